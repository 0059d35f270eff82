package io.oe.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.service.StreamsApp;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The projector's topology reads and writes what its Kafka identity may, so its ACLs let it run. */
class ProjectorKafkaAccessTest {

    @Test
    void theTopologyReadsAndWritesOnlyWhatTheProjectorsKafkaIdentityMay() {
        Topology t = ProjectorTopology.build();
        KafkaAccess.Access access = KafkaAccess.of(ProjectorTopology.SERVICE);
        assertThat(StreamsApp.sourcesOf(t)).containsExactlyInAnyOrderElementsOf(access.reads().stream().map(Topic::name).toList());
        assertThat(StreamsApp.sinksOf(t)).isNotEmpty();
        assertThat(access.writes().stream().map(Topic::name).toList()).containsAll(StreamsApp.sinksOf(t));
        assertThat(access.streamsApplication()).isEqualTo(ProjectorTopology.APPLICATION_ID);
    }
}
