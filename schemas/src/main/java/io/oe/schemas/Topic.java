package io.oe.schemas;

import io.oe.schemas.serde.EventSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A typed topic contract: its name, the Avro record it carries, how it is keyed and kept.
 * Services never spell a topic name or build a serde themselves; they take both from here.
 */
public record Topic<V extends SpecificRecord>(
        String name, Class<V> valueType, int partitions, boolean compacted, String keyedBy) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Serde<V> valueSerde() {
        return EventSerde.of(valueType);
    }
}
