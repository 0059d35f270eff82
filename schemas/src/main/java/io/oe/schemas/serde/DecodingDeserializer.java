package io.oe.schemas.serde;

import io.oe.schemas.Topics;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads any engine topic as {@link Decoded} values: the type comes from {@link Topics} by the record's topic, as
 * {@link EventDeserializer} does, but a record that is not an event becomes {@link Decoded.Undecodable} instead of an
 * exception thrown out of {@code poll} (which would stop the consumer on that record, and on every restart).
 */
public class DecodingDeserializer implements Deserializer<Decoded> {
    private final EventDeserializer events = new EventDeserializer();

    @Override
    public Decoded deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return new Decoded.Event(events.deserialize(topic, bytes), bytes);
        } catch (RuntimeException e) {
            return new Decoded.Undecodable(bytes, e.getMessage());
        }
    }
}
