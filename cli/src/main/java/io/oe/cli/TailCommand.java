package io.oe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventDecodingException;
import io.oe.schemas.serde.WireFormats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Print the events of an engine topic, decoded, one line each (any topic of "
        + "io.oe.schemas.Topics); with --json, one JSON object per record: topic, partition, offset, key, timestamp, "
        + "type and the event (or the error that kept it from being decoded).")
public class TailCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Mixin
    Context ctx;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. execution-status, agent-progress, plan-rejected")
    String topicName;

    @Option(names = "--execution-id", paramLabel = "ID", description = "Only this execution's events (by record key).")
    String executionId;

    @Option(names = "--from-beginning", description = "Start at the oldest retained event instead of new ones only.")
    boolean fromBeginning;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many events (0: no limit).")
    long max;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this long without an event (0: follow until interrupted).")
    long idleSeconds;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: env KAFKA_BOOTSTRAP, then .oe/stack/stack.json, then localhost:19092).")
    String bootstrap;

    @Override
    public Integer call() {
        Topic<?> topic = Topics.byName(topicName).orElseThrow(() -> new CliException("unknown topic '" + topicName
                + "'; engine topics: " + Topics.ALL.stream().map(Topic::name).toList(), CliException.REJECTED));
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        c.putAll(KafkaClientSecurity.fromEnv(System.getenv())); // KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_…
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long seen = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long lastEvent = System.nanoTime();
            while (max == 0 || seen < max) {
                var records = consumer.poll(Duration.ofMillis(250));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (executionId != null && !matches(r.key(), executionId)) {
                        continue;
                    }
                    System.out.println(ctx.json ? jsonLine(topic, r) : line(topic, r));
                    lastEvent = System.nanoTime();
                    if (max > 0 && ++seen >= max) {
                        break;
                    }
                }
                if (idleSeconds > 0 && System.nanoTime() - lastEvent > Duration.ofSeconds(idleSeconds).toNanos()) {
                    break;
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("no broker at " + bootstrap() + " (start the stack with `./oe up`): " + e.getMessage());
        }
        return 0;
    }

    /** phase-ready is keyed execution/phase; every other topic by execution id. */
    static boolean matches(String key, String executionId) {
        return key != null && (key.equals(executionId) || key.startsWith(executionId + "/"));
    }

    static String line(Topic<?> topic, ConsumerRecord<String, byte[]> r) {
        String event;
        try {
            event = r.value() == null ? "(tombstone)" : decode(topic, r).toString();
        } catch (EventDecodingException e) {
            event = "(undecodable: " + e.getMessage() + ")";
        }
        return TIME.format(Instant.ofEpochMilli(r.timestamp())) + " " + r.topic() + "[" + r.partition() + "]@" + r.offset()
                + " " + r.key() + " " + event;
    }

    /** One JSON object on one line: a tombstone has a null event, an undecodable record says why in "error". */
    static String jsonLine(Topic<?> topic, ConsumerRecord<String, byte[]> r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("topic", r.topic());
        o.put("partition", r.partition());
        o.put("offset", r.offset());
        o.put("key", r.key());
        o.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
        o.put("type", topic.valueType().getSimpleName());
        try {
            o.set("event", r.value() == null ? null : EventJson.of(decode(topic, r)));
        } catch (EventDecodingException e) {
            o.putNull("event");
            o.put("error", e.getMessage());
        }
        return new String(Json.compact(o), StandardCharsets.UTF_8);
    }

    private static Object decode(Topic<?> topic, ConsumerRecord<String, byte[]> r) {
        return WireFormats.current().decode(topic.name(), topic.valueType(), r.value());
    }

    private String bootstrap() {
        if (bootstrap != null && !bootstrap.isBlank()) {
            return bootstrap;
        }
        String env = System.getenv("KAFKA_BOOTSTRAP");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return ctx.stack().map(s -> s.bootstrapServers).filter(b -> b != null && !b.isBlank()).orElse("localhost:19092");
    }
}
