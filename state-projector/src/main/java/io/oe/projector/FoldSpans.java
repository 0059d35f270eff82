package io.oe.projector;

import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The projector's spans (docs/architecture.md, "Traces"): one "state fold" per event read, a child of the span its
 * record names in its {@code traceparent} header (the execution's, a phase's or an attempt's), from the read to the
 * state written. What the fold publishes carries that span, so the monitor's work on it nests under the fold. Traces
 * off: no span, no header, no cost.
 */
final class FoldSpans {
    static final AttributeKey<String> EXECUTION = AttributeKey.stringKey("oe.execution_id");
    static final AttributeKey<Long> PHASE = AttributeKey.longKey("oe.phase_id");
    static final AttributeKey<String> TOPIC = AttributeKey.stringKey("oe.topic");
    static final AttributeKey<String> LOG_TYPE = AttributeKey.stringKey("oe.log_type");
    static final AttributeKey<Boolean> CHANGED = AttributeKey.booleanKey("oe.changed");

    private final Tracing tracing;

    FoldSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** {@code where}: the record's topic, partition and offset, for the log line about a garbage header. */
    Fold start(String executionId, String topic, Headers headers, String where) {
        if (!tracing.enabled()) {
            return Fold.OFF;
        }
        return new Fold(tracing.start("state fold", TraceHeaders.read(headers, where).orElse(null),
                Attributes.builder().put(EXECUTION, executionId).put(TOPIC, topic).build()));
    }

    /** The headers of a record the fold publishes: its span's trace context, none when there is none. */
    static Headers headers(SpanContext fold) {
        RecordHeaders headers = new RecordHeaders();
        return fold == null ? headers : TraceHeaders.write(headers, fold);
    }

    /** One event's fold; {@link #OFF} does nothing. */
    static final class Fold {
        static final Fold OFF = new Fold(null);
        private final Span span;
        private boolean changed;

        private Fold(Span span) {
            this.span = span;
        }

        /** The event changed the state: the phase it changed and its log line's type. */
        void folded(EngineStateFold.Folded f) {
            changed = true;
            if (span != null) {
                if (f.phaseId() != null) {
                    span.setAttribute(PHASE, (long) f.phaseId());
                }
                if (f.entry() != null) {
                    span.setAttribute(LOG_TYPE, f.entry().getType());
                }
            }
        }

        /** The trace context of what this fold publishes; null when traces are off. */
        SpanContext context() {
            return span == null ? null : span.getSpanContext();
        }

        void end() {
            if (span != null) {
                span.setAttribute(CHANGED, changed); // false: a heartbeat, a redelivered plan, an event before its plan
                span.end();
            }
        }
    }
}
