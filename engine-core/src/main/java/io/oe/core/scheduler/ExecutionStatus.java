package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An execution's place in the state machine (docs/architecture.md, "Execution"). There is no "failed": a phase whose
 * retries ran out waits for a person ({@link #WAITING_FOR_INTERVENTION}), who may always retry it, skip it or cancel the
 * execution, so an execution ends only completed or cancelled.
 */
public enum ExecutionStatus {
    /** Plan loaded, waiting for START. */
    INITIALIZED,
    IN_PROGRESS,
    /** No new phase starts; running ones finish. */
    PAUSED,
    /** Nothing can run until a person retries or skips a phase whose retries ran out. */
    WAITING_FOR_INTERVENTION,
    COMPLETED,
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** Whether a status as written in events and states ("completed", "in_progress", ...) is an end; false if unknown. */
    public static boolean isTerminal(String status) {
        return status != null && (status.equals(COMPLETED.json()) || status.equals(CANCELLED.json()));
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status as events and states write it ("in_progress"); an unknown one is an error that names it. */
    @JsonCreator
    public static ExecutionStatus parse(String text) {
        return Statuses.parse(ExecutionStatus.class, "execution", text);
    }
}
