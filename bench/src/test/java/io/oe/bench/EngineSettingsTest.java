package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The floor is measured with the services' own client settings, resolved as the services resolve them. */
class EngineSettingsTest {
    @Test
    void theServicesDefaultsComeFromServiceKitsConfigFile() {
        EngineSettings s = EngineSettings.of("localhost:1", Map.of());
        assertThat(s.streams("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(s.commitIntervalMs()).isEqualTo(0);
        assertThat(s.streams("poll.ms")).isEqualTo("500");
        assertThat(s.streams().getProperty("bootstrap.servers")).isEqualTo("localhost:1");
        assertThat(s.describeStreams()).contains("commit.interval.ms=0", "poll.ms=500");
    }

    @Test
    void theStackEnvironmentOverridesThemAsItDoesForTheServices() {
        EngineSettings s = EngineSettings.of("localhost:1", Map.of("OE_STREAMS_COMMIT_MS", "10", "OE_STREAMS_POLL_MS", "1",
                "OE_PROCESSING_GUARANTEE", "at_least_once"));
        assertThat(s.commitIntervalMs()).isEqualTo(10);
        assertThat(s.streams("poll.ms")).isEqualTo("1");
        assertThat(s.streams("processing.guarantee")).isEqualTo("at_least_once");
    }

    @Test
    void aVariableNamedAfterThePropertyWinsAsInMicroProfileConfig() {
        Properties file = new Properties();
        file.setProperty("kafka-streams.poll.ms", "${OE_STREAMS_POLL_MS:5}");
        file.setProperty("kafka-streams.state.dir", "${OE_STATE_DIR:}");
        file.setProperty("kafka.bootstrap.servers", "x");
        Map<String, String> out = EngineSettings.streamsSettings(file, Map.of("KAFKA_STREAMS_POLL_MS", "7", "OE_STREAMS_POLL_MS", "9"));
        assertThat(out).containsExactly(Map.entry("poll.ms", "7")); // blank state.dir left out, other prefixes ignored
        assertThat(EngineSettings.resolve("${A:1}-${B:2}", Map.of("B", "3"))).isEqualTo("1-3");
    }

    @Test
    void producersAndConsumersAreTheServicesOwn() {
        EngineSettings s = EngineSettings.of("localhost:1", Map.of());
        assertThat(s.producer()).containsEntry("acks", "all").containsEntry("enable.idempotence", true).containsEntry("linger.ms", 0);
        assertThat(s.consumer("g")).containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", false)
                .containsEntry("group.id", "g").containsEntry("fetch.max.wait.ms", 3000);
    }
}
