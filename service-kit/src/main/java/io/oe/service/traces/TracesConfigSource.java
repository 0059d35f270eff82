package io.oe.service.traces;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Traces take one setting: {@code OE_OTLP_ENDPOINT} (or the system property {@code oe.otlp-endpoint}), the OTLP/gRPC
 * endpoint spans go to. Unset, the OpenTelemetry SDK is disabled ({@code quarkus.otel.sdk.disabled=true}: no exporter,
 * no span built); set, the SDK is on and exports there. Properties cannot express "on when that other one is set", hence
 * this source; its ordinal is below every file's, so {@code quarkus.otel.*} given anywhere else wins (the tests turn
 * the SDK on with an in-memory exporter that way).
 */
public class TracesConfigSource implements ConfigSource {
    static final String ENV = "OE_OTLP_ENDPOINT";
    static final String PROPERTY = "oe.otlp-endpoint";

    private final Map<String, String> values;

    public TracesConfigSource() {
        this(System.getProperty(PROPERTY, System.getenv(ENV)));
    }

    TracesConfigSource(String endpoint) {
        Map<String, String> v = new HashMap<>();
        boolean on = endpoint != null && !endpoint.isBlank();
        v.put("quarkus.otel.sdk.disabled", String.valueOf(!on));
        if (on) {
            v.put("quarkus.otel.exporter.otlp.traces.endpoint", endpoint.strip());
        }
        this.values = Map.copyOf(v);
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return "oe-traces (" + ENV + ")";
    }

    @Override
    public int getOrdinal() {
        return 50; // below microprofile-config.properties (100): any explicit setting wins
    }
}
