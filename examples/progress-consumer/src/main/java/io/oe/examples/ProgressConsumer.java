package io.oe.examples;

import io.oe.events.Alert;
import io.oe.events.HandoffValidated;
import io.oe.events.StatusChanged;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A downstream consumer of the engine, as a user would write one: plain kafka-clients and the engine's published
 * schemas, nothing else. It follows one execution on the progress topics (every phase transition, every handoff,
 * every alert), prints one line per event, and returns when the execution ends.
 *
 * <pre>java -cp progress-consumer.jar:schemas.jar:kafka-clients.jar io.oe.examples.ProgressConsumer localhost:19092 exec_…</pre>
 */
public final class ProgressConsumer {
    private static final Set<String> TERMINAL = Set.of("completed", "cancelled"); // an execution never fails: it waits for a person

    private ProgressConsumer() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ProgressConsumer BOOTSTRAP_SERVERS EXECUTION_ID");
            System.exit(2);
        }
        String end = follow(args[0], args[1], Duration.ofHours(24), System.out::println);
        System.exit("completed".equals(end) ? 0 : 1);
    }

    /** Prints the execution's events until it ends (returns its final status) or {@code timeout} passes (returns null). */
    public static String follow(String bootstrap, String executionId, Duration timeout, Consumer<String> out) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // only what the engine committed
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The events of one execution are keyed by its id, so they are in order within their topic's partition.
        List<String> topics = List.of(Topics.EXECUTION_STATUS.name(), Topics.HANDOFF_VALIDATED.name(), Topics.ALERTS.name());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new EventDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions); // from the start: a late subscriber still sees the whole execution
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (!executionId.equals(r.key())) {
                        continue;
                    }
                    if (r.value() instanceof StatusChanged s) {
                        out.accept(s.getPhaseId() == null
                                ? "execution " + s.getFromStatus() + " -> " + s.getToStatus()
                                : "phase " + s.getPhaseId() + " " + s.getFromStatus() + " -> " + s.getToStatus()
                                        + (s.getReason() == null ? "" : " (" + s.getReason() + ")"));
                        if (s.getPhaseId() == null && TERMINAL.contains(s.getToStatus())) {
                            return s.getToStatus();
                        }
                    } else if (r.value() instanceof HandoffValidated h) {
                        out.accept("handoff " + h.getHandoffId() + " " + h.getStatus() + " " + h.getArtifacts().size()
                                + " artifact(s)" + (h.getError() == null ? "" : ": " + h.getError().lines().findFirst().orElse("")));
                    } else if (r.value() instanceof Alert a) {
                        out.accept("alert " + a.getSeverity() + " " + a.getKind() + ": " + a.getMessage());
                    }
                }
            }
        }
        return null;
    }
}
