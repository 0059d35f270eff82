package io.oe.demoagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path ws;

    private ObjectNode phase() throws Exception {
        Path contract = Files.writeString(ws.resolve("design.schema.json"),
                "{\"type\": \"object\", \"required\": [\"region\"], \"properties\": {\"region\": {\"type\": \"string\"}}}");
        ObjectNode phase = JSON.createObjectNode().put("attempt", 1).put("phase_name", "Design").put("agent", "@azure-architect");
        phase.putArray("outputs").addObject().put("artifact", "design.yaml")
                .put("path", ws.resolve("outputs/design.yaml").toString()).put("contract", contract.toString());
        return phase;
    }

    @Test
    void aYamlOutputIsWrittenAsYamlThatSatisfiesItsContract() throws Exception {
        assertThat(DemoAgent.run(phase(), Map.of("OE_DEMO_DELAY_MS", "0"))).isZero();
        String text = Files.readString(ws.resolve("outputs/design.yaml"));
        assertThat(text).doesNotStartWith("{");
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(text).path("region").isTextual()).isTrue();
    }

    @Test
    void aSimulatedFailureComesInTheMiddleOfTheFirstTask() throws Exception {
        ObjectNode phase = phase();
        phase.putArray("tasks").addObject().put("id", "T1").put("title", "one");
        ((com.fasterxml.jackson.databind.node.ArrayNode) phase.get("tasks")).addObject().put("id", "T2").put("title", "two");
        var out = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = DemoAgent.run(phase, Map.of("OE_DEMO_DELAY_MS", "0", "OE_DEMO_FAIL_ATTEMPTS", "1"));
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList())
                .containsExactly("::task-started T1::", "::progress task=T1 percent=35::");
        assertThat(ws.resolve("outputs/design.yaml")).doesNotExist();
    }

    @Test
    void aMissingFileOfTheSpecificationFailsTheAgent() throws Exception {
        ObjectNode phase = phase();
        phase.putArray("specification").addObject().put("file", "ProjectPlan/project-plan.json")
                .put("path", ws.resolve("specification/ProjectPlan/project-plan.json").toString());
        assertThat(DemoAgent.run(phase, Map.of("OE_DEMO_DELAY_MS", "0"))).isEqualTo(3);
    }

    @Test
    void anAgentWithAGateWritesItsOutputsOnlyOnceTheGateFileExists() throws Exception {
        Path gate = ws.resolve("release");
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return DemoAgent.run(phase(), Map.of("OE_DEMO_DELAY_MS", "0", "OE_DEMO_WAIT_FOR", gate.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(500);
        assertThat(run).isNotDone();
        assertThat(ws.resolve("outputs/design.yaml")).doesNotExist();

        Files.writeString(gate, "go");
        assertThat(run.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(ws.resolve("outputs/design.yaml")).exists();
    }
}
