package io.oe.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.oe.events.Alert;
import io.oe.events.DeadLetter;
import io.oe.events.DeadLetterStage;
import io.oe.events.Severity;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.schemas.serde.EventDecodingException;
import io.oe.schemas.serde.EventSerializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Where a service puts a record it cannot take, so that it goes on instead of stopping or looping on it: the record
 * (cut to {@link #KEPT_VALUE_BYTES}) with its source topic, partition, offset and the reason goes to
 * {@code dead-letters}, an alert of kind {@value #ALERT_KIND} goes to {@code alerts} (so the webhook and whoever
 * follows the execution hear of it), {@code oe_dead_letters_total{service,topic,stage}} counts it, and the log says
 * it. The record itself stays in its topic: nothing is deleted.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    public static final String ALERT_KIND = "dead_letter";
    static final int KEPT_VALUE_BYTES = 64 * 1024;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final MeterRegistry registry;
    private final Publisher publisher;

    /** Where dead letters and their alerts go: the broker, or a test's list. */
    @FunctionalInterface
    public interface Publisher extends AutoCloseable {
        /** Publishes and waits until the event is durable. */
        void publish(String topic, String key, SpecificRecord event) throws Exception;

        @Override
        default void close() {
        }
    }

    @Inject
    public DeadLetters(KafkaSettings kafka, MeterRegistry registry) {
        this(registry, kafkaPublisher(kafka));
    }

    public DeadLetters(MeterRegistry registry, Publisher publisher) {
        this.registry = registry;
        this.publisher = publisher;
    }

    private static Publisher kafkaPublisher(KafkaSettings kafka) {
        var config = kafka.producer();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis());
        var producer = new KafkaProducer<String, SpecificRecord>(config, new StringSerializer(), new EventSerializer());
        return new Publisher() {
            @Override
            public void publish(String topic, String key, SpecificRecord event) throws Exception {
                producer.send(new ProducerRecord<>(topic, key, event)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                producer.close(Duration.ofSeconds(5));
            }
        };
    }

    /** Where the record was and what it was. {@code targetTopic}: set only when an output could not be published. */
    public record Source(String service, DeadLetterStage stage, String topic, int partition, long offset,
            String targetTopic, byte[] key, byte[] value) {
    }

    /**
     * Sets the record aside and waits until the broker has it, so that a consumer may commit past it. Never throws:
     * when the dead letter itself cannot be published the log keeps its coordinates (the record is still in its topic).
     */
    public void setAside(Source source, Throwable cause) {
        String reason = reason(cause);
        Instant now = Instant.now();
        Counter.builder("oe.dead.letters").description("Records set aside because a service could not take them")
                .tag("service", source.service()).tag("topic", source.topic()).tag("stage", source.stage().name().toLowerCase())
                .register(registry).increment();
        String where = source.topic() + "[" + source.partition() + "]@" + source.offset();
        LOG.warnf("%s sets aside %s (%s%s): %s", source.service(), where, source.stage().name().toLowerCase(),
                source.targetTopic() == null ? "" : " to " + source.targetTopic(), reason);
        byte[] value = source.value();
        DeadLetter letter = DeadLetter.newBuilder()
                .setService(source.service()).setStage(source.stage())
                .setSourceTopic(source.topic()).setSourcePartition(source.partition()).setSourceOffset(source.offset())
                .setTargetTopic(source.targetTopic()).setReason(reason)
                .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setValue(value == null ? null : ByteBuffer.wrap(Arrays.copyOf(value, Math.min(value.length, KEPT_VALUE_BYTES))))
                .setValueSize(value == null ? -1 : value.length)
                .setAt(now).build();
        String executionId = executionOf(source.topic(), source.key());
        Alert alert = Alert.newBuilder()
                .setAlertId("dl_" + source.service() + "_" + source.topic() + "_" + source.partition() + "_" + source.offset())
                .setExecutionId(executionId).setPhaseId(null).setSeverity(Severity.WARNING).setKind(ALERT_KIND)
                .setMessage(source.service() + " set aside " + where + " (" + source.stage().name().toLowerCase() + "): "
                        + reason + "; see topic " + Topics.DEAD_LETTERS.name())
                .setAt(now).build();
        try {
            publisher.publish(Topics.DEAD_LETTERS.name(), source.topic(), letter);
            publisher.publish(Topics.ALERTS.name(), executionId, alert);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf("%s: dead letter for %s not published (interrupted); the record stays in its topic", source.service(), where);
        } catch (Exception e) {
            LOG.errorf("%s: dead letter for %s not published (%s); the record stays in its topic", source.service(), where, e);
        }
    }

    /** A record a plain consumer read that is not an event of its topic ({@link DecodingDeserializer}). */
    public void setAside(String service, ConsumerRecord<String, ?> record, Decoded.Undecodable undecodable) {
        setAside(new Source(service, DeadLetterStage.DECODING, record.topic(), record.partition(), record.offset(), null,
                keyOf(record), undecodable.bytes()), new EventDecodingException(undecodable.reason(), null));
    }

    /** An event a plain consumer read whose handling failed. */
    public void setAside(String service, ConsumerRecord<String, ?> record, Decoded.Event event, Throwable cause) {
        setAside(new Source(service, DeadLetterStage.PROCESSING, record.topic(), record.partition(), record.offset(), null,
                keyOf(record), event.bytes()), cause);
    }

    private static byte[] keyOf(ConsumerRecord<String, ?> record) {
        return record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    }

    /** The exception's message and those of its causes (each said once), on one line, without control characters. */
    static String reason(Throwable cause) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = cause; t != null && b.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (b.indexOf(m) < 0) {
                b.append(b.length() > 0 ? " <- " : "").append(m);
            }
        }
        return b.toString().replaceAll("\\p{Cntrl}", " ");
    }

    /**
     * The execution a record belongs to, for the alert's key: the record key of a topic keyed by execution (or by
     * execution/phase), when it is printable text; else empty.
     */
    static String executionOf(String topic, byte[] key) {
        var declared = Topics.byName(topic);
        if (key == null || key.length == 0 || key.length > 256 || declared.isEmpty()
                || !declared.get().keyedBy().startsWith("execution_id")) {
            return "";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
            int slash = text.indexOf('/');
            String id = slash < 0 ? text : text.substring(0, slash);
            return id.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? id : "";
        } catch (CharacterCodingException e) {
            return "";
        }
    }

    @PreDestroy
    void close() {
        publisher.close();
    }
}
