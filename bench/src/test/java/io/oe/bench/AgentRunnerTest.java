package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner files the bench gives the gateway, and how it tells whether the gateway can run the in-process one. */
class AgentRunnerTest {
    @Test
    void theProcessRunnerRunsBinTrueForEveryAgent(@TempDir Path dir) throws Exception {
        JsonNode runners = Json.MAPPER.readTree(AgentRunner.PROCESS.write(dir).toFile());
        assertThat(runners.at("/runners/noop/argv/0").asText()).isEqualTo("/bin/true");
        assertThat(runners.at("/agents/*").asText()).isEqualTo("noop");
    }

    @Test
    void theInProcessRunnerIsAProfileOfTheInProcessKind(@TempDir Path dir) throws Exception {
        JsonNode runners = Json.MAPPER.readTree(AgentRunner.NOOP_IN_PROCESS.write(dir).toFile());
        assertThat(runners.at("/runners/noop-in-process/kind").asText()).isEqualTo("in-process-noop");
        assertThat(runners.at("/runners/noop-in-process/argv").isMissingNode()).isTrue();
        assertThat(runners.at("/agents/*").asText()).isEqualTo("noop-in-process");
        assertThat(AgentRunner.parse("noop-in-process")).isEqualTo(AgentRunner.NOOP_IN_PROCESS);
    }

    @Test
    void onlyAGatewayWhoseClassesNameTheKindCanRunIt(@TempDir Path home) throws Exception {
        assertThat(AgentRunner.PROCESS.supportedBy(home)).isTrue();
        assertThat(AgentRunner.NOOP_IN_PROCESS.supportedBy(home)).isFalse(); // no gateway built at all
        Path app = Files.createDirectories(home.resolve("agent-gateway/target/quarkus-app/app"));
        jar(app.resolve("agent-gateway-1.0.0-SNAPSHOT.jar"), "runner kinds: argv, http");
        assertThat(AgentRunner.NOOP_IN_PROCESS.supportedBy(home)).isFalse();
        jar(app.resolve("agent-gateway-1.0.0-SNAPSHOT.jar"), "runner kinds: argv, http, in-process-noop");
        assertThat(AgentRunner.NOOP_IN_PROCESS.supportedBy(home)).isTrue();
    }

    private static void jar(Path file, String constant) throws Exception {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("io/oe/gateway/RunnerConfig.class"));
            zip.write(("\u00ca\u00fe" + constant).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
