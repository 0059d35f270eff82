package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer for any engine event, for clients configured by class name (SmallRye channels, plain
 * producers): {@code value.serializer=io.oe.schemas.serde.EventSerializer}.
 */
public class EventSerializer implements Serializer<SpecificRecord> {
    @Override
    public byte[] serialize(String topic, SpecificRecord event) {
        if (event == null) {
            return null;
        }
        return WireFormats.current().encode(topic, event);
    }
}
