package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

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
        return find(status).map(ExecutionStatus::isTerminal).orElse(false);
    }

    /**
     * A status as events and states write it, or empty when this release does not know it (a state written when an
     * execution could still be "failed").
     */
    public static Optional<ExecutionStatus> find(String text) {
        return Statuses.find(ExecutionStatus.class, text);
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
