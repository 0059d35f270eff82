package io.oe.service.traces;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} value (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}. Hand-checked rather than through OpenTelemetry's
 * propagator because the propagator drops a malformed value without a word, and a caller who sends one should be
 * told what is wrong with it ({@link #parse}).
 */
public final class TraceParent {
    /** Version 00's layout; a later version may append fields after the flags (the spec's forward compatibility). */
    private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    static final String EXPECTED = "expected 00-<32 lowercase hex trace id>-<16 lowercase hex span id>-<2 hex flags>";
    /** A value longer than this is not read, nor quoted whole in a message. */
    static final int MAX_LENGTH = 512;

    private TraceParent() {
    }

    /** The span context a {@code traceparent} (and optional {@code tracestate}) names, as a remote parent. */
    public static SpanContext parse(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.isBlank()) {
            throw new IllegalArgumentException("traceparent is empty; " + EXPECTED);
        }
        String value = traceparent.strip();
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("traceparent is " + value.length() + " characters long (at most "
                    + MAX_LENGTH + "); " + EXPECTED);
        }
        var m = FORMAT.matcher(value);
        value = value.replaceAll("\\p{Cntrl}", "?"); // shown in a log line: no line breaks or escapes from outside
        if (!m.matches()) {
            throw new IllegalArgumentException("traceparent '" + value + "' is not W3C trace context; " + EXPECTED);
        }
        if (m.group(1).equals("ff")) {
            throw new IllegalArgumentException("traceparent '" + value + "' has version ff, which the spec forbids");
        }
        if (m.group(1).equals("00") && m.group(5) != null) {
            throw new IllegalArgumentException("traceparent '" + value + "' has fields after its flags, which version 00 does not have");
        }
        if (!TraceId.isValid(m.group(2))) {
            throw new IllegalArgumentException("traceparent '" + value + "' has an all-zero trace id");
        }
        if (!SpanId.isValid(m.group(3))) {
            throw new IllegalArgumentException("traceparent '" + value + "' has an all-zero span id");
        }
        return SpanContext.createFromRemoteParent(m.group(2), m.group(3),
                TraceFlags.fromByte((byte) Integer.parseInt(m.group(4), 16)), traceState(tracestate));
    }

    /** The {@code traceparent} value of a span context. */
    public static String format(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The {@code tracestate} value of a span context, or null when it carries none. */
    public static String formatState(SpanContext context) {
        TraceState state = context.getTraceState();
        if (state.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        state.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * A tracestate is vendors' opaque data: one that does not parse is dropped (the spec says so) and the parent kept.
     * Entries are {@code key=value} separated by commas.
     */
    private static TraceState traceState(String tracestate) {
        if (tracestate == null || tracestate.isBlank() || tracestate.length() > MAX_LENGTH) {
            return TraceState.getDefault();
        }
        var b = TraceState.builder();
        String[] members = tracestate.split(",");
        for (int i = members.length - 1; i >= 0; i--) { // put() adds in front: the first member is the latest
            String m = members[i].strip();
            int eq = m.indexOf('=');
            if (m.isEmpty()) {
                continue;
            }
            if (eq <= 0 || eq == m.length() - 1) {
                return TraceState.getDefault();
            }
            b.put(m.substring(0, eq), m.substring(eq + 1));
        }
        return b.build();
    }
}
