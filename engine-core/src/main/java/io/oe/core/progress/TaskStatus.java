package io.oe.core.progress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.Statuses;
import java.util.Locale;
import java.util.Optional;

/**
 * A task's status as the engine state keeps it (docs/architecture.md, "Task"): what its agent reported with the
 * progress protocol, and what the end of its attempt made of that.
 */
public enum TaskStatus {
    PENDING, IN_PROGRESS, COMPLETED, FAILED,
    /** The attempt ended and its agent never reported the task done (its last reported progress is kept). */
    NOT_REPORTED,
    SKIPPED, CANCELLED;

    /**
     * This task's status once its attempt ended {@code how} (completed, failed, cancelled) or its phase was skipped: what
     * the agent reported completed stays completed; when the attempt failed, what it had started failed with it; a task
     * of a skipped or cancelled phase is skipped or cancelled; otherwise the agent never reported it done.
     */
    public TaskStatus afterAttempt(PhaseStatus how) {
        if (this == COMPLETED) {
            return this;
        }
        return switch (how) {
            case SKIPPED -> SKIPPED;
            case CANCELLED -> CANCELLED;
            case FAILED -> this == IN_PROGRESS || this == FAILED ? FAILED : NOT_REPORTED;
            default -> NOT_REPORTED;
        };
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status as states write it, or empty when this release does not know it. */
    public static Optional<TaskStatus> find(String text) {
        return Statuses.find(TaskStatus.class, text);
    }

    /** A status as states write it ("not_reported"); an unknown one is an error that names it. */
    @JsonCreator
    public static TaskStatus parse(String text) {
        return Statuses.parse(TaskStatus.class, "task", text);
    }
}
