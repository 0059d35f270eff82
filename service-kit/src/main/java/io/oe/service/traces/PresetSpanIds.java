package io.oe.service.traces;

import io.opentelemetry.sdk.trace.IdGenerator;
import jakarta.inject.Singleton;

/**
 * The SDK's id generator (Quarkus takes an {@link IdGenerator} bean), random as the SDK's own unless a span is being
 * started with ids of its own ({@link Tracing#emit}): OpenTelemetry's API has no other way to give a span the id
 * that its children, started earlier in other processes, already name as their parent.
 */
@Singleton
@io.quarkus.arc.Unremovable // looked up by the OpenTelemetry extension, injected nowhere
public class PresetSpanIds implements IdGenerator {
    private static final ThreadLocal<io.opentelemetry.api.trace.SpanContext> PRESET = new ThreadLocal<>();

    /** Runs {@code start} (which starts one span) with {@code ids} as that span's trace and span id. */
    static <T> T with(io.opentelemetry.api.trace.SpanContext ids, java.util.function.Supplier<T> start) {
        PRESET.set(ids);
        try {
            return start.get();
        } finally {
            PRESET.remove();
        }
    }

    @Override
    public String generateSpanId() {
        var preset = PRESET.get();
        return preset != null ? preset.getSpanId() : IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
        var preset = PRESET.get();
        return preset != null ? preset.getTraceId() : IdGenerator.random().generateTraceId();
    }
}
