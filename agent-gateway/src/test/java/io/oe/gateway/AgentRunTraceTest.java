package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.PresetSpanIds;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.TraceParent;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AgentRunTraceTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true);
    private final PhaseReady ready = PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName("Docs")
            .setAgent("@doc").setAttempt(2).setProjectDir("/p").setProjectName("P").setReadyAt(Instant.now())
            .setAgentDefinition("").setTasks(List.of()).setInputs(List.of()).setOutputs(List.of()).setTimeoutMs(1000)
            .setHeartbeatIntervalMs(100).build();

    @Test
    void theAgentRunIsAChildOfTheAttemptItsRecordNamesAndTheAgentIsHandedTheRun() {
        var attempt = ExecutionSpans.attempt("e1", 3, 2);
        var trace = AgentRunTrace.start(tracing, ready, TraceHeaders.write(new RecordHeaders(), attempt), "phase-ready-0@1");
        trace.end(failed());
        var run = exported.getFinishedSpanItems().get(0);
        assertThat(run.getName()).isEqualTo("agent run");
        assertThat(run.getParentSpanId()).isEqualTo(attempt.getSpanId());
        assertThat(run.getTraceId()).isEqualTo(attempt.getTraceId());
        assertThat(run.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(trace.w3c()).containsEntry("traceparent", TraceParent.format(run.getSpanContext()));
        // the handoff validates the attempt, beside the run
        assertThat(trace.recordContext().getSpanId()).isEqualTo(attempt.getSpanId());
    }

    @Test
    void aGarbageTraceparentOnTheRecordStartsANewTraceInsteadOfFailingTheAttempt() {
        var headers = new RecordHeaders();
        headers.add(TraceHeaders.TRACEPARENT, "00-zz-garbage".getBytes(StandardCharsets.UTF_8));
        var trace = AgentRunTrace.start(tracing, ready, headers, "phase-ready-0@2");
        trace.end(null);
        var run = exported.getFinishedSpanItems().get(0);
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(trace.recordContext()).isEqualTo(run.getSpanContext());
    }

    @Test
    void offTheAgentGetsNothingAndRecordsCarryNothing() {
        var trace = AgentRunTrace.start(Tracing.of(OpenTelemetry.noop(), false), ready,
                TraceHeaders.write(new RecordHeaders(), ExecutionSpans.attempt("e1", 3, 2)), "phase-ready-0@3");
        assertThat(trace.w3c()).isEmpty();
        assertThat(trace.recordContext()).isNull();
    }

    private static AgentResult failed() {
        return AgentResult.newBuilder().setExecutionId("e1").setPhaseId(3).setAttempt(2).setAgent("@doc").setProjectDir("/p")
                .setSuccess(false).setExitCode(1).setError("exited with code 1").setStartedAt(Instant.now())
                .setEndedAt(Instant.now()).setWorkspaceDir("").setOutputs(List.of()).setWorkerId("w").build();
    }
}
