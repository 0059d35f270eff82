package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The Kafka serde of one event type. Null stays null (a tombstone on a compacted topic). */
public final class EventSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final EventCodec<T> codec;

    private EventSerde(EventCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type) {
        return new EventSerde<>(EventCodec.of(type));
    }

    @Override
    public byte[] serialize(String topic, T event) {
        return event == null ? null : codec.encode(event);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        return bytes == null ? null : codec.decode(bytes);
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
