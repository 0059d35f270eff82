package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ExecutionStatus {
    /** Plan loaded, waiting for START. */
    INITIALIZED,
    IN_PROGRESS,
    /** No new phase starts; running ones finish. */
    PAUSED,
    /** Nothing can run until a person retries or skips a phase whose retries ran out. */
    WAITING_FOR_INTERVENTION,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ExecutionStatus parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
