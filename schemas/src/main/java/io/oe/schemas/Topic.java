package io.oe.schemas;

import io.oe.schemas.serde.EventSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import java.time.Duration;

/**
 * A typed topic contract: its name, the Avro record it carries, how it is keyed and kept.
 * Services never spell a topic name or build a serde themselves; they take both from here. {@code retention}: how long
 * its records are kept where that is part of the contract (null: the broker's default, or as deployed).
 */
public record Topic<V extends SpecificRecord>(
        String name, Class<V> valueType, int partitions, boolean compacted, String keyedBy, Duration retention) {

    public Topic(String name, Class<V> valueType, int partitions, boolean compacted, String keyedBy) {
        this(name, valueType, partitions, compacted, keyedBy, null);
    }

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Serde<V> valueSerde() {
        return EventSerde.of(valueType);
    }
}
