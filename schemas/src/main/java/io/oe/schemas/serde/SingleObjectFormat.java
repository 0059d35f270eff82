package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;

/** Avro single-object encoding through {@link EventCodec}: self-describing by fingerprint, no registry needed. */
public final class SingleObjectFormat implements WireFormat {
    @Override
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> byte[] encode(String topic, T event) {
        return EventCodec.of((Class<T>) event.getClass()).encode(event);
    }

    @Override
    public <T extends SpecificRecord> T decode(String topic, Class<T> type, byte[] bytes) {
        return EventCodec.of(type).decode(bytes);
    }
}
