package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** A phase's place in the state machine (see docs/architecture.md, "State machine"). */
public enum PhaseStatus {
    PENDING, READY, IN_PROGRESS, COMPLETED, FAILED, SKIPPED, WAITING_FOR_APPROVAL, WAITING_FOR_INTERVENTION, CANCELLED,
    /** The attempt's outputs passed their contracts; a person approves, rejects (rerun with feedback) or replaces one. */
    WAITING_FOR_REVIEW;

    /** Done for good: dependants may go on (completed, skipped) or never will (cancelled). */
    public boolean isTerminal() {
        return this == COMPLETED || this == SKIPPED || this == CANCELLED;
    }

    /** Lets dependants start. */
    public boolean isResolved() {
        return this == COMPLETED || this == SKIPPED;
    }

    /** Did not run and will not (skipped, cancelled): counts nothing in the plan's estimate ({@code Estimate}). */
    public boolean isLeftOut() {
        return this == SKIPPED || this == CANCELLED;
    }

    /** Holds one of the execution's concurrency slots. */
    public boolean isActive() {
        return this == READY || this == IN_PROGRESS;
    }

    /**
     * Counted and reported as failed: its attempt failed and it has not gone on yet, or it waits for a person to retry or
     * skip it (retries ran out, or a budget stopped it).
     */
    public boolean countsAsFailed() {
        return this == FAILED || this == WAITING_FOR_INTERVENTION;
    }

    /** Waits for a person's decision (approval before it runs, review after it ran, intervention when it failed). */
    public boolean waitsForPerson() {
        return this == WAITING_FOR_APPROVAL || this == WAITING_FOR_REVIEW || this == WAITING_FOR_INTERVENTION;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status as events and states write it, or empty when this release does not know it. */
    public static Optional<PhaseStatus> find(String text) {
        return Statuses.find(PhaseStatus.class, text);
    }

    /** A status as events and states write it ("in_progress"); an unknown one is an error that names it. */
    @JsonCreator
    public static PhaseStatus parse(String text) {
        return Statuses.parse(PhaseStatus.class, "phase", text);
    }
}
