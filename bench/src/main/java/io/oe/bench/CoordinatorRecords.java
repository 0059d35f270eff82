package io.oe.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Who made the broker write its coordinators' records: {@code __consumer_offsets} (offsets committed, by consumer
 * group) and {@code __transaction_state} (a transaction's state changes, by transactional id, i.e. by service). Their
 * keys start with a version or record type (a short) and the group or transactional id (a short-length string), the
 * same in every record type of both topics. What is left of a topic's growth once its records are counted is
 * transaction markers (a control record takes an offset too, but no consumer sees it).
 */
final class CoordinatorRecords {
    static final List<String> TOPICS = List.of("__consumer_offsets", "__transaction_state");
    /** Kafka Streams (exactly_once_v2) names its producers {@code <application.id>-<process UUID>-<thread index>}. */
    private static final Pattern STREAMS_PRODUCER = Pattern.compile("-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-\\d+$");

    private CoordinatorRecords() {
    }

    /**
     * {@code perStep} with each coordinator topic's line split into one line per owner ({@code topic [owner]}) and
     * one of markers; the total stays the same. Busiest first.
     */
    static Map<String, Double> split(Map<String, Double> perStep, BrokerWrites before, BrokerWrites after, String bootstrap,
            int steps) {
        Map<String, Double> out = new HashMap<>(perStep);
        for (String topic : TOPICS) {
            Double total = out.remove(topic);
            if (total == null) {
                continue;
            }
            double counted = 0;
            for (var e : owners(BrokerWrites.grown(before, after, topic), bootstrap).entrySet()) {
                double n = e.getValue() / (double) Math.max(1, steps);
                out.merge(topic + " [" + e.getKey() + "]", n, Double::sum);
                counted += n;
            }
            if (total - counted > 1e-9) {
                out.put(topic + " [transaction markers]", total - counted);
            }
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(out.entrySet());
        sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> ordered = new LinkedHashMap<>();
        sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    /** Records in these ranges by owner. */
    static Map<String, Long> owners(Map<TopicPartition, long[]> ranges, String bootstrap) {
        Map<String, Long> out = new HashMap<>();
        if (ranges.isEmpty()) {
            return out;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var c = new KafkaConsumer<byte[], byte[]>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(ranges.keySet());
            ranges.forEach((tp, range) -> c.seek(tp, range[0]));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ranges.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue()[1]) && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ranges.get(new TopicPartition(r.topic(), r.partition()))[1]) {
                        out.merge(owner(r.key()), 1L, Long::sum);
                    }
                }
            }
        }
        return out;
    }

    /** The group or transactional id a coordinator record's key names, the process part of a Streams producer's left out. */
    static String owner(byte[] key) {
        if (key == null || key.length < 4) {
            return "?";
        }
        ByteBuffer b = ByteBuffer.wrap(key);
        b.getShort(); // the key's version or record type
        int length = b.getShort();
        if (length < 0 || length > b.remaining()) {
            return "?";
        }
        String id = new String(key, 4, length, StandardCharsets.UTF_8);
        return STREAMS_PRODUCER.matcher(id).replaceFirst("");
    }
}
