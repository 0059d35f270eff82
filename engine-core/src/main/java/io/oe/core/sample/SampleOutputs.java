package io.oe.core.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.oe.core.contract.FileContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A phase's outputs written so that each satisfies its contract, with values that say who wrote them: a JSON or YAML
 * document from its JSON Schema ({@link SampleGenerator}), any other file as Markdown that names the phase and lists its
 * tasks, a directory (a file contract of {@code "type": "directory"}) with the files it requires. The one place of this
 * rule: the demo agent writes its outputs with it, and the agent-gateway writes a dry run's outputs with it in-process,
 * so that a dry run exercises every contract without an agent.
 */
public final class SampleOutputs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Who writes the outputs, for the values: the phase's name, its agent, the project, its tasks (id and title). */
    public record Writer(String phase, String agent, String project, int attempt, List<Map.Entry<String, String>> tasks) {
        Map<String, String> context() {
            return Map.of("agent", agent, "produced_by", agent, "phase", phase, "project", project, "slug", "api");
        }
    }

    private SampleOutputs() {
    }

    /** Whether the artifact is a document a JSON Schema describes (JSON or YAML), rather than any other file. */
    public static boolean isDocument(String artifact) {
        return artifact.endsWith(".json") || artifact.endsWith(".yaml") || artifact.endsWith(".yml");
    }

    /** A document that satisfies the JSON Schema {@code contract} (an empty object without one). */
    public static JsonNode document(JsonNode contract, Writer w) {
        return new SampleGenerator(JSON, w.context()).generate(contract == null ? JSON.createObjectNode() : contract);
    }

    /** Markdown for a file that is not a document; {@code withTasks} false leaves out the task list (a broken file). */
    public static String text(Writer w, boolean withTasks) {
        StringBuilder b = new StringBuilder("# " + w.phase() + "\n\nWritten by " + w.agent() + " for " + w.project()
                + ", attempt " + w.attempt() + ".\n\n");
        if (withTasks) {
            b.append("## Tasks\n\n");
            w.tasks().forEach(t -> b.append("- ").append(t.getKey()).append(": ").append(t.getValue()).append('\n'));
        }
        return b.toString();
    }

    /** Writes a document as its name says: JSON, or YAML for {@code .yaml}/{@code .yml}. */
    public static void writeDocument(Path target, String artifact, JsonNode doc) throws IOException {
        Files.createDirectories(target.getParent());
        (artifact.endsWith(".json") ? JSON : YAML).writeValue(target.toFile(), doc);
    }

    /** Writes one output at {@code target} so that it satisfies {@code contract} (null: it has none). */
    public static void write(Path target, String artifact, JsonNode contract, Writer w) throws IOException {
        JsonNode file = contract == null ? null : contract.get(FileContract.KEY);
        if (file != null && "directory".equals(file.path("type").asText())) {
            directory(target, file, w);
        } else if (isDocument(artifact)) {
            writeDocument(target, artifact, document(contract, w));
        } else {
            Files.createDirectories(target.getParent());
            Files.writeString(target, text(w, true));
        }
    }

    /** A directory with every file its contract requires, and as many more as it wants at least. */
    private static void directory(Path target, JsonNode contract, Writer w) throws IOException {
        Files.createDirectories(target);
        int written = 0;
        for (JsonNode f : contract.path("required_files")) {
            Path p = target.resolve(f.asText()).normalize();
            if (!p.startsWith(target)) {
                continue; // the contract's validation refuses such a name; nothing is written outside
            }
            Files.createDirectories(p.getParent());
            Files.writeString(p, text(w, true));
            written++;
        }
        for (int i = written; i < contract.path("min_files").asInt(1); i++) {
            Files.writeString(target.resolve("sample-" + (i + 1) + ".md"), text(w, true));
        }
    }
}
