package io.oe.planloader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.oe.schemas.Topic;
import io.oe.schemas.serde.EventSerializer;
import io.oe.service.KafkaSettings;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
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
public class KafkaEventPublisher implements EventPublisher {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Tracing tracing;

    @Inject
    public KafkaEventPublisher(KafkaSettings kafka, MeterRegistry registry, Tracing tracing) {
        this.tracing = tracing;
        Map<String, Object> props = kafka.producer();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer());
        new KafkaClientMetrics(producer).bindTo(registry);
    }

    /** An event of an execution (plan-loaded, a command) carries the execution's span as its traceparent header. */
    @Override
    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event) {
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topic.name(), key, event);
        var executionId = event.getSchema().getField("execution_id");
        if (tracing.enabled() && executionId != null && event.get(executionId.pos()) != null) {
            TraceHeaders.write(record.headers(), ExecutionSpans.execution(String.valueOf(event.get(executionId.pos()))));
        }
        try {
            producer.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
