package io.oe.monitor;

import io.oe.core.util.LruMap;
import io.oe.events.EngineState;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.Map;

/**
 * The monitor's spans (docs/architecture.md, "Traces"): the writer's "state write" of an execution's files, a child of
 * the projector's fold that made the state it writes (the state record's trace context, {@link #traced}), or of the
 * execution's span when no fold is known (traces were off at the projector, or this instance restarted since); and,
 * when the execution has ended, the "report render" of its final report under it. Traces off: no span, no cost.
 */
@ApplicationScoped
class WriteSpans {
    static final AttributeKey<String> EXECUTION = AttributeKey.stringKey("oe.execution_id");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("oe.status");
    /** Executions whose latest fold is remembered: more than one instance writes at once, a bound all the same. */
    static final int REMEMBERED = 10_000;

    private final Tracing tracing;
    /** Written by the state view's stream threads, read by the writer thread. */
    private final Map<String, SpanContext> folds = Collections.synchronizedMap(new LruMap<>(REMEMBERED));

    @Inject
    WriteSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** The execution's latest state came from this fold. */
    void traced(String executionId, SpanContext fold) {
        if (tracing.enabled()) {
            folds.put(executionId, fold);
        }
    }

    /** Starts the span of one write of {@code s}'s files; {@link Span#getInvalid()} (does nothing) when off. */
    Span stateWrite(EngineState s) {
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        SpanContext fold = folds.get(s.getExecutionId());
        return tracing.start("state write", fold != null ? fold : ExecutionSpans.execution(s.getExecutionId()), attributes(s));
    }

    /** Starts the span of the final report's rendering, under the write it belongs to. */
    Span reportRender(Span stateWrite, EngineState s) {
        return !tracing.enabled() ? Span.getInvalid() : tracing.start("report render", stateWrite.getSpanContext(), attributes(s));
    }

    /** Ends a span, with an error status naming {@code error} when there was one. */
    static void end(Span span, Exception error) {
        if (error != null) {
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }
        span.end();
    }

    private static Attributes attributes(EngineState s) {
        return Attributes.of(EXECUTION, s.getExecutionId(), STATUS, String.valueOf(s.getStatus()));
    }
}
