package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The Kafka serde of one event type. Null stays null (a tombstone on a compacted topic). */
public final class EventSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;

    private EventSerde(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type) {
        return new EventSerde<>(type);
    }

    @Override
    public byte[] serialize(String topic, T event) {
        return event == null ? null : WireFormats.current().encode(topic, event);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        return bytes == null ? null : WireFormats.current().decode(topic, type, bytes);
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
