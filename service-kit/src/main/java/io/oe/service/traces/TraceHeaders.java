package io.oe.service.traces;

import io.opentelemetry.api.trace.SpanContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * The W3C trace context on a Kafka record: {@code traceparent} (and {@code tracestate} when there is one) headers, as
 * the W3C "Trace Context: AMQP/MQTT" drafts and OpenTelemetry's Kafka instrumentation write them. Plain clients and
 * Kafka Streams processors (whose {@code Record} has the same {@link Headers}) use the same two calls.
 */
public final class TraceHeaders {
    private static final Logger LOG = Logger.getLogger(TraceHeaders.class);
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private TraceHeaders() {
    }

    /** Puts {@code context} on the headers, replacing any trace context they had. */
    public static Headers write(Headers headers, SpanContext context) {
        headers.remove(TRACEPARENT);
        headers.remove(TRACESTATE);
        headers.add(TRACEPARENT, TraceParent.format(context).getBytes(StandardCharsets.US_ASCII));
        String state = TraceParent.formatState(context);
        if (state != null) {
            headers.add(TRACESTATE, state.getBytes(StandardCharsets.US_ASCII));
        }
        return headers;
    }

    /**
     * The trace context a consumed record carries; empty when it has none, and when its {@code traceparent} is garbage:
     * that is logged once with {@code where} (topic, partition, offset) and the reason, and the caller goes on with a
     * fresh context. Never throws: a header is a hint, not the event.
     */
    public static Optional<SpanContext> read(Headers headers, String where) {
        Header parent = headers == null ? null : headers.lastHeader(TRACEPARENT);
        if (parent == null || parent.value() == null) {
            return Optional.empty();
        }
        Header state = headers.lastHeader(TRACESTATE);
        try {
            return Optional.of(TraceParent.parse(text(parent), state == null || state.value() == null ? null : text(state)));
        } catch (IllegalArgumentException e) {
            LOG.warnf("%s: trace context header ignored, a new trace starts here: %s", where, e.getMessage());
            return Optional.empty();
        }
    }

    private static String text(Header h) {
        byte[] v = h.value();
        // a value too long to be one is cut before decoding, so that a flood is not copied into the message whole
        return new String(v, 0, Math.min(v.length, TraceParent.MAX_LENGTH + 1), StandardCharsets.UTF_8);
    }
}
