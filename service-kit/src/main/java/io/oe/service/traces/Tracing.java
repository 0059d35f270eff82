package io.oe.service.traces;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's spans (docs/architecture.md, "Traces"). Off unless the OpenTelemetry SDK is on (one setting,
 * {@code OE_OTLP_ENDPOINT}: {@link TracesConfigSource}); off, {@link #enabled()} is false and the services write no
 * trace headers and build no spans.
 */
@Singleton
public class Tracing {
    public static final String INSTRUMENTATION = "io.oe";

    private final boolean enabled;
    private final Tracer tracer;

    @Inject
    public Tracing(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean sdkDisabled) {
        this.enabled = !sdkDisabled;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    }

    /** For tests: any OpenTelemetry, e.g. an SDK with an in-memory exporter and {@link PresetSpanIds}. */
    public static Tracing of(OpenTelemetry openTelemetry, boolean enabled) {
        return new Tracing(openTelemetry, !enabled);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Starts a span that this process ends ({@code parent} null or invalid: a new trace), linked to {@code links} (spans
     * of other traces it leads to or follows from).
     */
    public Span start(String name, SpanContext parent, Attributes attributes, SpanContext... links) {
        SpanBuilder b = builder(name, parent, attributes);
        for (SpanContext link : links) {
            b.addLink(link);
        }
        return b.startSpan();
    }

    /**
     * Sends a span that ended, with its own ids ({@code self}: derived, {@link ExecutionSpans}) and the times its events
     * carry: an execution's, phase's or attempt's span, which no process held open. {@code error}: why it failed, or
     * null.
     */
    public void emit(String name, SpanContext self, SpanContext parent, long startMs, long endMs, Attributes attributes,
            String error) {
        if (!enabled) {
            return;
        }
        Span span = PresetSpanIds.with(self, () -> builder(name, parent, attributes)
                .setStartTimestamp(startMs, TimeUnit.MILLISECONDS).startSpan());
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end(Math.max(startMs, endMs), TimeUnit.MILLISECONDS);
    }

    private SpanBuilder builder(String name, SpanContext parent, Attributes attributes) {
        SpanBuilder b = tracer.spanBuilder(name).setAllAttributes(attributes);
        return parent == null || !parent.isValid() ? b.setNoParent()
                : b.setParent(Context.root().with(Span.wrap(parent)));
    }
}
