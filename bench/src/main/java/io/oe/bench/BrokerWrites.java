package io.oe.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker was asked to write: every partition's end offset, internal topics included. The difference of two
 * snapshots around a graph, divided by its steps, is the records a step costs per topic: the engine's events, the
 * stores' changelogs, and the price of exactly-once ({@code __consumer_offsets}: offsets committed inside
 * transactions; {@code __transaction_state}: the coordinator's records; a transaction marker takes an offset in every
 * partition the transaction wrote). Counts, not times: the same on a quiet machine and a busy one.
 */
final class BrokerWrites {
    private final Map<TopicPartition, Long> endOffsets;

    BrokerWrites(Map<TopicPartition, Long> endOffsets) {
        this.endOffsets = endOffsets;
    }

    /** For tests: one partition per topic. */
    static BrokerWrites ofTopics(Map<String, Long> endOffsetsByTopic) {
        Map<TopicPartition, Long> out = new HashMap<>();
        endOffsetsByTopic.forEach((topic, end) -> out.put(new TopicPartition(topic, 0), end));
        return new BrokerWrites(out);
    }

    static BrokerWrites snapshot(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get().forEach((topic, d) -> d.partitions()
                    .forEach(part -> latest.put(new TopicPartition(topic, part.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return new BrokerWrites(out);
        }
    }

    /** Each partition of {@code topic} that grew: where it started and where it ended. */
    static Map<TopicPartition, long[]> grown(BrokerWrites before, BrokerWrites after, String topic) {
        Map<TopicPartition, long[]> out = new HashMap<>();
        after.endOffsets.forEach((tp, end) -> {
            long start = before.endOffsets.getOrDefault(tp, 0L);
            if (tp.topic().equals(topic) && end > start) {
                out.put(tp, new long[] {start, end});
            }
        });
        return out;
    }

    private Map<String, Long> byTopic() {
        Map<String, Long> out = new HashMap<>();
        endOffsets.forEach((tp, end) -> out.merge(tp.topic(), end, Long::sum));
        return out;
    }

    /** Records written per step between {@code before} and {@code after}, by topic, busiest first (topics with none left out). */
    static Map<String, Double> perStep(BrokerWrites before, BrokerWrites after, int steps) {
        return Stats.grownPerStep(before.byTopic(), after.byTopic(), steps);
    }

    /** The sum over every topic of a {@link #perStep} map. */
    static double total(Map<String, Double> perStep) {
        return Stats.sum(perStep);
    }
}
