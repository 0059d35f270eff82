package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerWritesTest {

    @Test
    void aStepCostsTheGrowthOfEveryTopicDividedByTheSteps() {
        var before = BrokerWrites.ofTopics(Map.of("execution-status", 100L, "__consumer_offsets", 50L, "alerts", 7L));
        var after = BrokerWrites.ofTopics(Map.of("execution-status", 400L, "__consumer_offsets", 1050L, "alerts", 7L));

        Map<String, Double> perStep = BrokerWrites.perStep(before, after, 100);

        assertThat(perStep).containsExactly(Map.entry("__consumer_offsets", 10.0), Map.entry("execution-status", 3.0));
        assertThat(BrokerWrites.total(perStep)).isEqualTo(13.0);
    }

    @Test
    void aTopicCreatedDuringTheGraphCountsFromZero() {
        var before = BrokerWrites.ofTopics(Map.of());
        var after = BrokerWrites.ofTopics(Map.of("oe-phase-scheduler-phases-changelog", 40L));

        assertThat(BrokerWrites.perStep(before, after, 10)).containsEntry("oe-phase-scheduler-phases-changelog", 4.0);
    }

    @Test
    void topicsThatDidNotGrowAreLeftOutAndBusiestComeFirst() {
        var before = BrokerWrites.ofTopics(Map.of("a", 0L, "b", 0L, "c", 5L));
        var after = BrokerWrites.ofTopics(Map.of("a", 1L, "b", 9L, "c", 5L));

        assertThat(List.copyOf(BrokerWrites.perStep(before, after, 1).keySet())).containsExactly("b", "a");
    }
}
