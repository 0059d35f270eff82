package io.oe.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.artifact.ArtifactPathException;
import io.oe.core.artifact.Paths2;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The seed's "ProjectPlan/ — project specification", an input of every phase: the project plan file
 * ({@code project_plan_path}) and the documents it names under {@code "documents"}, paths relative to the project
 * plan's own directory that stay inside it. Agents find them in their workspace's {@code specification/}, each under
 * its path in the project.
 */
public final class ProjectSpecification {
    /** The project plan's key that names its documents. */
    public static final String DOCUMENTS = "documents";
    /** The largest file of the specification an agent is given. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private ProjectSpecification() {
    }

    /** The files, relative to the project directory: the project plan first, then its documents in its order. */
    public static List<String> files(EngineConfig config, JsonNode projectPlan) {
        Set<String> out = new LinkedHashSet<>();
        out.add(projectPlanPath(config));
        out.addAll(documents(config, projectPlan));
        return List.copyOf(out);
    }

    /** The documents the project plan names, relative to the project directory, in its order. */
    public static List<String> documents(EngineConfig config, JsonNode projectPlan) {
        String planPath = projectPlanPath(config);
        String dir = planPath.substring(0, planPath.lastIndexOf('/') + 1);
        List<String> out = new ArrayList<>();
        for (JsonNode doc : projectPlan == null ? List.<JsonNode>of() : projectPlan.path(DOCUMENTS)) {
            out.add(normalize(dir + doc.asText()));
        }
        return out;
    }

    private static String projectPlanPath(EngineConfig config) {
        return normalize((config == null ? EngineConfig.DEFAULTS : config.withDefaults()).projectPlanPath());
    }

    /** Each document's path must stay inside the project plan's directory; the violation names its place. */
    static List<Violation> problems(JsonNode projectPlan) {
        List<Violation> out = new ArrayList<>();
        JsonNode docs = projectPlan.path(DOCUMENTS);
        for (int i = 0; i < docs.size(); i++) {
            try {
                Paths2.components(docs.get(i).asText(), "the project plan's directory");
            } catch (ArtifactPathException e) {
                out.add(new Violation(PlanValidator.PROJECT_PLAN_FILE + " /" + DOCUMENTS + "/" + i, e.getMessage()));
            }
        }
        return out;
    }

    private static String normalize(String relative) {
        return String.join("/", Paths2.components(relative, "the project directory"));
    }
}
