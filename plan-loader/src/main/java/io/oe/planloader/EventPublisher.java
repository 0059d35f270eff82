package io.oe.planloader;

import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventSerializer;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes an event and waits for the broker's acknowledgement, so that a 2xx means the event is durable. */
@ApplicationScoped
public class EventPublisher {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private final KafkaProducer<String, SpecificRecord> producer;

    @Inject
    public EventPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            io.micrometer.core.instrument.MeterRegistry registry) {
        Map<String, Object> props = new HashMap<>();
        props.putAll(KafkaClientSecurity.connectionOf(kafkaConfig));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_EVENT_BYTES);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer());
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer).bindTo(registry);
    }

    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, event)).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic.name() + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
