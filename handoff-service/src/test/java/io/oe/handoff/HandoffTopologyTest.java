package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentResult;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.schemas.Topics;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.PresetSpanIds;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
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
                Clock.systemUTC()), Tracing.of(io.opentelemetry.api.OpenTelemetry.noop(), false)), props)) {
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

    @Test
    void theValidationIsASpanUnderTheAttemptItsResultNamesAndTheHandoffKeepsThatContext() throws Exception {
        var exported = InMemorySpanExporter.create();
        var tracing = Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handoff-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        try (var driver = new TopologyTestDriver(HandoffTopology.build(new HandoffProcessor(root, 1 << 20, 10,
                Clock.systemUTC()), tracing), props)) {
            var in = driver.createInputTopic(Topics.AGENT_RESULT.name(), Topics.AGENT_RESULT.keySerde().serializer(),
                    Topics.AGENT_RESULT.valueSerde().serializer());
            var out = driver.createOutputTopic(Topics.HANDOFF_VALIDATED.name(), Topics.HANDOFF_VALIDATED.keySerde().deserializer(),
                    Topics.HANDOFF_VALIDATED.valueSerde().deserializer());
            AgentResult failed = AgentResult.newBuilder().setExecutionId("e1").setPhaseId(1).setAttempt(1).setAgent("@doc")
                    .setProjectDir(root.toString()).setSuccess(false).setExitCode(2).setError("exited with code 2")
                    .setStartedAt(Instant.now()).setEndedAt(Instant.now()).setWorkspaceDir("").setOutputs(List.of()).build();
            var attempt = ExecutionSpans.attempt("e1", 1, 1);
            in.pipeInput(new TestRecord<>("e1", failed, TraceHeaders.write(new RecordHeaders(), attempt), Instant.now()));
            var garbage = new RecordHeaders();
            garbage.add(TraceHeaders.TRACEPARENT, "\u0000not a traceparent".getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new TestRecord<>("e1", AgentResult.newBuilder(failed).setAttempt(2).build(), garbage, Instant.now()));

            var records = out.readRecordsToList();
            assertThat(records).hasSize(2); // a garbage header changes nothing about the handoff
            assertThat(TraceHeaders.read(records.get(0).headers(), "out").orElseThrow().getSpanId()).isEqualTo(attempt.getSpanId());
            var spans = exported.getFinishedSpanItems();
            assertThat(spans).extracting(s -> s.getName()).containsExactly("handoff validation", "handoff validation");
            assertThat(spans.get(0).getParentSpanId()).isEqualTo(attempt.getSpanId());
            assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(spans.get(1).getParentSpanContext().isValid()).isFalse(); // a new trace
        }
    }
}
