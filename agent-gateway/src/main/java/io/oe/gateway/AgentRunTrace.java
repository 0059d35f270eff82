package io.oe.gateway;

import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.TraceParent;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * One attempt's "agent run" span (docs/architecture.md, "Traces"): a child of the attempt's span, which the
 * phase-ready record names in its {@code traceparent} header, from the agent's start to its exit. The agent is handed
 * this span as its parent ({@link #w3c()}: {@code TRACEPARENT} in a process's environment, {@code traceparent} on the
 * HTTP runner's requests), so the agent's own model calls nest under it. Traces off: nothing, and no cost.
 */
final class AgentRunTrace {
    static final AgentRunTrace OFF = new AgentRunTrace(null, null);

    private final Span span;
    private final SpanContext attempt;

    private AgentRunTrace(Span span, SpanContext attempt) {
        this.span = span;
        this.attempt = attempt;
    }

    /** {@code where}: the record's place, for the log line about a garbage header (then the run starts a new trace). */
    static AgentRunTrace start(Tracing tracing, PhaseReady r, Headers headers, String where) {
        if (!tracing.enabled()) {
            return OFF;
        }
        SpanContext attempt = TraceHeaders.read(headers, where).orElse(null);
        Span span = tracing.start("agent run", attempt, Attributes.builder()
                .put(AttributeKey.stringKey("oe.execution_id"), r.getExecutionId())
                .put(AttributeKey.longKey("oe.phase_id"), (long) r.getPhaseId())
                .put(AttributeKey.longKey("oe.attempt"), (long) r.getAttempt())
                .put(AttributeKey.stringKey("oe.agent"), r.getAgent()).build());
        return new AgentRunTrace(span, attempt);
    }

    /** The W3C trace context headers ({@code traceparent}, {@code tracestate}) naming the agent-run span; empty when off. */
    Map<String, String> w3c() {
        if (span == null) {
            return Map.of();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put(TraceHeaders.TRACEPARENT, TraceParent.format(span.getSpanContext()));
        String state = TraceParent.formatState(span.getSpanContext());
        if (state != null) {
            h.put(TraceHeaders.TRACESTATE, state);
        }
        return h;
    }

    /**
     * The context of the attempt's records (agent-result, agent-progress): the attempt's span, so that the handoff's
     * validation is the agent run's sibling; the run's own when the phase-ready carried none. Null when off.
     */
    SpanContext recordContext() {
        return span == null ? null : attempt != null ? attempt : span.getSpanContext();
    }

    void end(AgentResult result) {
        if (span == null) {
            return;
        }
        if (result != null && !result.getSuccess()) {
            span.setStatus(StatusCode.ERROR, String.valueOf(result.getError()));
        }
        span.end();
    }
}
