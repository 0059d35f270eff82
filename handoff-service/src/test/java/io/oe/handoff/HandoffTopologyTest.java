package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentResult;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandoffTopologyTest {
    @TempDir
    Path root;

    @Test
    void eachAgentResultBecomesOneHandoffKeyedByExecution() throws Exception {
        Path ws = Files.createDirectories(root.resolve("p/tee-output/workspaces/e1/1/1/outputs")).getParent();
        Files.writeString(ws.resolve("outputs/a.json"), "{\"ok\": true}");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handoff-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        try (var driver = new TopologyTestDriver(HandoffTopology.build(new HandoffProcessor(root, 1 << 20, 10,
                Clock.systemUTC())), props)) {
            var in = driver.createInputTopic(Topics.AGENT_RESULT.name(), Topics.AGENT_RESULT.keySerde().serializer(),
                    Topics.AGENT_RESULT.valueSerde().serializer());
            var out = driver.createOutputTopic(Topics.HANDOFF_VALIDATED.name(), Topics.HANDOFF_VALIDATED.keySerde().deserializer(),
                    Topics.HANDOFF_VALIDATED.valueSerde().deserializer());
            AgentResult ok = AgentResult.newBuilder().setExecutionId("e1").setPhaseId(1).setAttempt(1).setAgent("@doc")
                    .setProjectDir(root.resolve("p").toString()).setSuccess(true).setExitCode(0).setStartedAt(Instant.now())
                    .setEndedAt(Instant.now()).setWorkspaceDir(ws.toString())
                    .setOutputs(List.of(new OutputSpec("a.json", null, "{\"type\": \"object\", \"required\": [\"ok\"]}", List.of("@qa"), java.util.Map.of(), List.of())))
                    .build();
            in.pipeInput("e1", ok);
            in.pipeInput("e1", AgentResult.newBuilder(ok).setAttempt(2).setSuccess(false).setExitCode(2).setError("exited with code 2").build());
            var records = out.readKeyValuesToList();
            assertThat(records).extracting(kv -> kv.key).containsExactly("e1", "e1");
            HandoffValidated first = records.get(0).value;
            assertThat(first.getStatus()).isEqualTo(HandoffStatus.SUCCESS);
            assertThat(first.getToAgents()).containsExactly("@qa");
            assertThat(records.get(1).value.getStatus()).isEqualTo(HandoffStatus.FAILED);
            assertThat(records.get(1).value.getError()).contains("exited with code 2");
        }
    }
}
