package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.artifact.ArtifactPathException;
import io.oe.core.artifact.ConfinedDirectory;
import io.oe.core.artifact.Paths2;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.core.plan.ProjectSpecification;
import io.oe.core.plan.Violation;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The documents a project plan names must be in the project when the plan is submitted, as the agents will be given
 * them: regular files (reached from the project root without following a link) within
 * {@link ProjectSpecification#MAX_FILE_BYTES}. A typo is named now, not found by an agent.
 */
final class SpecificationCheck {
    private SpecificationCheck() {
    }

    static List<Violation> check(JsonNode config, JsonNode projectPlan, Path projectRoot, Path projectDir) {
        List<Violation> out = new ArrayList<>();
        List<String> documents = ProjectSpecification.documents(PlanJson.config(config), projectPlan);
        for (int i = 0; i < documents.size(); i++) {
            String where = PlanValidator.PROJECT_PLAN_FILE + " /" + ProjectSpecification.DOCUMENTS + "/" + i;
            problem(documents.get(i), projectRoot, projectDir).ifPresent(p -> out.add(new Violation(where, p)));
        }
        return out;
    }

    private static Optional<String> problem(String document, Path projectRoot, Path projectDir) {
        List<String> parts = Paths2.components(document, projectDir);
        String name = parts.get(parts.size() - 1);
        try (ConfinedDirectory dir = ConfinedDirectory.open(projectRoot, projectDir.resolve(String.join("/",
                parts.subList(0, parts.size() - 1))))) {
            ConfinedDirectory.Entry e = dir.entry(name);
            if (e.kind() == ConfinedDirectory.Kind.MISSING) {
                return Optional.of(document + " is not in the project (" + e.path() + ")");
            }
            if (e.kind() != ConfinedDirectory.Kind.FILE || e.links() != 1) {
                return Optional.of(ConfinedDirectory.refusal(e, "a regular file").getMessage());
            }
            if (e.size() > ProjectSpecification.MAX_FILE_BYTES) {
                return Optional.of(document + " is " + e.size() + " bytes, over the limit of "
                        + ProjectSpecification.MAX_FILE_BYTES + " for a file of the specification");
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.of(document + " is not in the project (" + e.getMessage() + " does not exist)");
        } catch (ArtifactPathException | IOException e) {
            return Optional.of(e.getMessage());
        }
    }
}
