package io.oe.schemas.serde;

import io.oe.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializer for clients configured by class name: the event type is the one {@link Topics} declares for
 * the record's topic, so one class serves every topic.
 */
public class EventDeserializer implements Deserializer<SpecificRecord> {
    @Override
    public SpecificRecord deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        var declared = Topics.byName(topic).orElseThrow(() -> new EventDecodingException(
                "topic '" + topic + "' is not an engine topic (see io.oe.schemas.Topics)", null));
        return WireFormats.current().decode(topic, declared.valueType(), bytes);
    }
}
