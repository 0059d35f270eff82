package io.oe.core.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.artifact.FileContent;
import io.oe.core.contract.ContractValidator;
import io.oe.core.plan.PlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleOutputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("../examples/myapp");
    private final SampleOutputs.Writer writer = new SampleOutputs.Writer("Docs", "@doc", "MyApp", 1,
            List.of(Map.entry("TASK_001", "Write the overview")));

    @Test
    void everyOutputOfTheExamplePlanIsWrittenSoThatItPassesItsContract(@TempDir Path dir) throws IOException {
        JsonNode plan = PlanJson.parse(Files.readString(EXAMPLE.resolve("orchestration-plan.json")));
        int checked = 0;
        for (JsonNode phase : plan.path("phases")) {
            for (JsonNode out : phase.path("outputs")) {
                String artifact = out.path("artifact").asText();
                String contractText = Files.readString(EXAMPLE.resolve(out.path("contract").asText()));
                Path target = dir.resolve(phase.path("id").asText()).resolve(artifact);
                SampleOutputs.write(target, artifact, JSON.readTree(contractText), writer);
                assertThat(new ContractValidator().validate(artifact, contractText, FileContent.of(target)))
                        .as(artifact + " against " + out.path("contract").asText()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).as("outputs of the example plan").isGreaterThanOrEqualTo(16);
    }

    @Test
    void aYamlOutputIsWrittenAsYaml(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("azure-design.yaml");
        SampleOutputs.write(target, "azure-design.yaml", JSON.readTree(
                Files.readString(EXAMPLE.resolve("contracts/azure-design.schema.json"))), writer);
        assertThat(Files.readString(target)).doesNotStartWith("{").contains("produced_by: \"@doc\"");
    }

    @Test
    void aDirectoryContractGetsEveryFileItRequires(@TempDir Path dir) throws IOException {
        JsonNode contract = JSON.readTree("{\"x-oe-file\": {\"type\": \"directory\", \"min_files\": 3,"
                + " \"required_files\": [\"package.json\", \"src/index.md\"]}}");
        Path target = dir.resolve("app");
        SampleOutputs.write(target, "app", contract, writer);
        assertThat(target.resolve("package.json")).exists();
        assertThat(target.resolve("src/index.md")).exists();
        try (var files = Files.walk(target)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(3);
        }
    }

    @Test
    void aFileThatIsNotADocumentNamesThePhaseAndListsItsTasks() {
        assertThat(SampleOutputs.text(writer, true)).startsWith("# Docs\n").contains("## Tasks", "- TASK_001: Write the overview");
        assertThat(SampleOutputs.text(writer, false)).doesNotContain("## Tasks");
    }
}
