package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;

/**
 * How an event becomes bytes on a topic and back: the one seam between the services and the wire. The default is
 * Avro single-object encoding ({@link SingleObjectFormat}); {@link RegistryFramedFormat} is the Confluent wire format
 * against a schema registry. Every serde of the engine ({@link EventSerde}, {@link EventSerializer},
 * {@link EventDeserializer}) goes through {@link WireFormats#current()}, so switching formats touches no service.
 */
public interface WireFormat {
    <T extends SpecificRecord> byte[] encode(String topic, T event);

    <T extends SpecificRecord> T decode(String topic, Class<T> type, byte[] bytes);
}
