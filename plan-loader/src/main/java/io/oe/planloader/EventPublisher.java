package io.oe.planloader;

import io.oe.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where the plan-loader's events go: the one seam between its checks and the broker ({@link KafkaEventPublisher}),
 * so that the REST and command paths are tested without Kafka.
 */
public interface EventPublisher {
    /**
     * Returns once the event is durable (a 2xx answer may say so); throws {@link IllegalStateException} when the broker
     * did not take it in time (the answer is a 503 to retry).
     */
    <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event);
}
