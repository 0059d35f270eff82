package io.oe.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record on an event topic that cannot be read as the topic's event type. */
public class EventDecodingException extends SerializationException {
    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
