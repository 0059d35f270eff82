package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.service.StreamsApp;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The scheduler's topology reads and writes what its Kafka identity may, so its ACLs let it run. */
class SchedulerKafkaAccessTest {

    @Test
    void theTopologyReadsAndWritesOnlyWhatTheSchedulersKafkaIdentityMay() {
        Topology t = SchedulerTopology.build(TestSettings.SCHEDULER, Duration.ofMillis(500), Duration.ofSeconds(2), now -> 0,
                new SchedulerMetrics(new SimpleMeterRegistry()), new SchedulerSpans(Tracing.of(OpenTelemetry.noop(), false)));
        KafkaAccess.Access access = KafkaAccess.of(SchedulerTopology.SERVICE);
        assertThat(StreamsApp.sourcesOf(t)).containsExactlyInAnyOrderElementsOf(access.reads().stream().map(Topic::name).toList());
        assertThat(StreamsApp.sinksOf(t)).isNotEmpty();
        assertThat(access.writes().stream().map(Topic::name).toList()).containsAll(StreamsApp.sinksOf(t));
        assertThat(access.streamsApplication()).isEqualTo(SchedulerTopology.APPLICATION_ID);
    }
}
