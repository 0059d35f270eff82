package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.StreamsApp;
import java.util.stream.Stream;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The monitor's views and its webhook read and write what its Kafka identity may, so its ACLs let it run. */
class MonitorKafkaAccessTest {

    @Test
    void theViewsAndTheWebhookReadOnlyWhatTheMonitorsKafkaIdentityMay() {
        Topology t = MonitorTopology.build(executionId -> { });
        KafkaAccess.Access access = KafkaAccess.of(MonitorTopology.SERVICE);
        // the views' topics, and the alerts the webhook follows in its own group
        assertThat(access.reads().stream().map(Topic::name).toList()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(StreamsApp.sourcesOf(t).stream(), Stream.of(Topics.ALERTS.name())).toList());
        assertThat(access.writes().stream().map(Topic::name).toList()).containsAll(StreamsApp.sinksOf(t));
        assertThat(access.streamsApplication()).isEqualTo(MonitorTopology.APPLICATION_ID);
        assertThat(access.groups()).containsExactly(AlertWebhook.GROUP);
    }
}
