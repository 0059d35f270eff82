package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.service.StreamsApp;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The handoff-service's topology reads and writes what its Kafka identity may, so its ACLs let it run. */
class HandoffKafkaAccessTest {

    @Test
    void theTopologyReadsAndWritesOnlyWhatTheHandoffServicesKafkaIdentityMay() {
        Topology t = HandoffTopology.build(new HandoffProcessor(Path.of("target"), 1 << 20, 10, Clock.systemUTC()),
                Tracing.of(OpenTelemetry.noop(), false));
        KafkaAccess.Access access = KafkaAccess.of(HandoffTopology.SERVICE);
        assertThat(StreamsApp.sourcesOf(t)).containsExactlyInAnyOrderElementsOf(access.reads().stream().map(Topic::name).toList());
        assertThat(StreamsApp.sinksOf(t)).isNotEmpty();
        assertThat(access.writes().stream().map(Topic::name).toList()).containsAll(StreamsApp.sinksOf(t));
        assertThat(access.streamsApplication()).isEqualTo(HandoffTopology.APPLICATION_ID);
    }
}
