package io.oe.service.traces;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TracesConfigSourceTest {

    @Test
    void withoutAnEndpointTheSdkIsDisabled() {
        assertThat(new TracesConfigSource(null).getProperties()).containsExactly(java.util.Map.entry("quarkus.otel.sdk.disabled", "true"));
        assertThat(new TracesConfigSource("  ").getValue("quarkus.otel.sdk.disabled")).isEqualTo("true");
    }

    @Test
    void anEndpointTurnsTheSdkOnAndExportsThere() {
        var source = new TracesConfigSource("http://jaeger:4317 ");
        assertThat(source.getValue("quarkus.otel.sdk.disabled")).isEqualTo("false");
        assertThat(source.getValue("quarkus.otel.exporter.otlp.traces.endpoint")).isEqualTo("http://jaeger:4317");
        assertThat(source.getOrdinal()).isLessThan(100); // any file's quarkus.otel.* wins
    }
}
