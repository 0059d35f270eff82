package io.oe.e2e;

import io.oe.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, and publishes to one, the way any outside client would. */
final class Events {
    private Events() {
    }

    /**
     * Every event of the topic, polling until {@code quiet} passes with nothing new (at most {@code max}). Records that
     * are not events (a test put them there) are passed over, as the services set them aside.
     */
    @SuppressWarnings("unchecked")
    static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(String bootstrap, Topic<V> topic,
                                                                            Duration quiet, Duration max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new StringDeserializer(), new DecodingDeserializer())) {
            c.subscribe(List.of(topic.name()));
            long end = System.nanoTime() + max.toNanos();
            long lastNew = System.nanoTime();
            boolean assigned = false;
            while (System.nanoTime() < end) {
                var recs = c.poll(Duration.ofMillis(200));
                assigned |= !c.assignment().isEmpty();
                for (var r : recs) {
                    if (r.value() instanceof Decoded.Event e) {
                        out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                                r.serializedKeySize(), r.serializedValueSize(), r.key(), (V) e.event(), r.headers(),
                                r.leaderEpoch()));
                    }
                }
                if (!recs.isEmpty() || !assigned) {
                    lastNew = System.nanoTime();
                } else if (System.nanoTime() - lastNew > quiet.toNanos()) {
                    break;
                }
            }
        }
        return out;
    }

    /** One event on the topic, acknowledged by the broker before this returns. */
    static <V extends SpecificRecord> void publish(String bootstrap, Topic<V> topic, String key, V event) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, SpecificRecord>(
                java.util.Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new org.apache.kafka.common.serialization.StringSerializer(), new io.oe.schemas.serde.EventSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic.name(), key, event)).get();
        }
    }
}
