package io.oe.planloader;

import io.oe.schemas.Topic;
import io.oe.schemas.serde.EventSerializer;
import org.apache.avro.specific.SpecificRecord;

/** How many bytes an event takes on its topic (what the broker's and the topics' record limits count). */
final class EventSize {
    private EventSize() {
    }

    static <V extends SpecificRecord> int of(Topic<V> topic, V event) {
        try (EventSerializer serializer = new EventSerializer()) {
            return serializer.serialize(topic.name(), event).length;
        }
    }
}
