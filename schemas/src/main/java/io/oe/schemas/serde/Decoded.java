package io.oe.schemas.serde;

import org.apache.avro.specific.SpecificRecord;

/**
 * A record read from an engine topic: the event, or why it is not one. A consumer that reads {@code Decoded} values
 * ({@link DecodingDeserializer}) never stops on a record that does not decode; it decides what to do with it (set it
 * aside, answer the sender), as it would with any other value.
 */
public sealed interface Decoded {

    /** The record is an event of its topic's type (its bytes kept, should handling it fail). */
    record Event(SpecificRecord event, byte[] bytes) implements Decoded {
    }

    /** The record is not an event of its topic: its bytes as they came, and why. */
    record Undecodable(byte[] bytes, String reason) implements Decoded {
    }
}
