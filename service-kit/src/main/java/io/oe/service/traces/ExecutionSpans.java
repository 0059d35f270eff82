package io.oe.service.traces;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ids of an execution's long spans, derived from what names them: the execution's trace id and its span from the
 * execution id, a phase's span from (execution, phase), an attempt's from (execution, phase, attempt), each a prefix
 * of a SHA-256. An execution lasts hours and outlives processes, so no JVM can hold its span open; with derived ids
 * any service, in either stack mode and after any restart, knows the span that a record of the execution belongs to,
 * and the scheduler sends each long span once it has ended with the times its events carry
 * (docs/architecture.md, "Traces"). Pure.
 */
public final class ExecutionSpans {
    private ExecutionSpans() {
    }

    public static SpanContext execution(String executionId) {
        return context(executionId, "execution/" + executionId);
    }

    public static SpanContext phase(String executionId, int phaseId) {
        return context(executionId, "phase/" + executionId + "/" + phaseId);
    }

    public static SpanContext attempt(String executionId, int phaseId, int attempt) {
        return context(executionId, "attempt/" + executionId + "/" + phaseId + "/" + attempt);
    }

    private static SpanContext context(String executionId, String span) {
        String traceId = sha256Hex("trace/" + executionId).substring(0, 32);
        String spanId = sha256Hex(span).substring(0, 16);
        return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
