package io.oe.service.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class TracingTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true);

    @Test
    void anEmittedSpanHasTheDerivedIdsItsChildrenNameAndTheTimesOfItsEvents() {
        var execution = ExecutionSpans.execution("exec_1");
        var phase = ExecutionSpans.phase("exec_1", 4);
        tracing.emit("execution", execution, null, 1_000, 9_000, Attributes.empty(), null);
        tracing.emit("phase", phase, execution, 2_000, 8_000, Attributes.empty(), "retries ran out");
        var spans = exported.getFinishedSpanItems();
        assertThat(spans).hasSize(2);
        var root = spans.get(0);
        assertThat(root.getSpanContext().getTraceId()).isEqualTo(execution.getTraceId());
        assertThat(root.getSpanContext().getSpanId()).isEqualTo(execution.getSpanId());
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(root.getStartEpochNanos()).isEqualTo(1_000_000_000L);
        assertThat(root.getEndEpochNanos()).isEqualTo(9_000_000_000L);
        var child = spans.get(1);
        assertThat(child.getSpanContext().getSpanId()).isEqualTo(phase.getSpanId());
        assertThat(child.getParentSpanId()).isEqualTo(execution.getSpanId());
        assertThat(child.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(child.getStatus().getDescription()).isEqualTo("retries ran out");
    }

    @Test
    void aSpanStartedHereAfterAnEmittedOneGetsAFreshRandomId() {
        var attempt = ExecutionSpans.attempt("exec_1", 4, 1);
        tracing.emit("attempt", attempt, ExecutionSpans.phase("exec_1", 4), 0, 1, Attributes.empty(), null);
        tracing.start("agent run", attempt, Attributes.empty()).end();
        var run = exported.getFinishedSpanItems().get(1);
        assertThat(run.getParentSpanId()).isEqualTo(attempt.getSpanId());
        assertThat(run.getSpanContext().getSpanId()).isNotEqualTo(attempt.getSpanId());
        assertThat(run.getTraceId()).isEqualTo(attempt.getTraceId());
    }

    @Test
    void offNothingIsEmitted() {
        Tracing.of(OpenTelemetry.noop(), false).emit("execution", ExecutionSpans.execution("x"), null, 0, 1,
                Attributes.empty(), null);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void derivedIdsAreTheSameInEveryProcessAndDifferForEverySpan() {
        assertThat(ExecutionSpans.attempt("exec_1", 4, 1)).isEqualTo(ExecutionSpans.attempt("exec_1", 4, 1));
        assertThat(ExecutionSpans.attempt("exec_1", 4, 2).getSpanId()).isNotEqualTo(ExecutionSpans.attempt("exec_1", 4, 1).getSpanId());
        assertThat(ExecutionSpans.phase("exec_1", 4).getTraceId()).isEqualTo(ExecutionSpans.execution("exec_1").getTraceId());
        assertThat(ExecutionSpans.execution("exec_2").getTraceId()).isNotEqualTo(ExecutionSpans.execution("exec_1").getTraceId());
    }
}
