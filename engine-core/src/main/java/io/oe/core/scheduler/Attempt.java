package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One try of a phase: when it was dispatched, started and ended, and how it ended. {@code memo}: what it was made of
 * (agent definition, prompt, inputs), for a later memoized resubmission (null in an attempt stored before memos).
 * {@code usage}: what its agent reported it used so far (while it runs) or in all (with its result); null: nothing yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int number, long readyAt, Long startedAt, Long endedAt, String outcome, String error,
        String workerId, Memo memo, Spend usage) {
    /** The outcome of an attempt whose outputs passed their contracts. */
    static final String COMPLETED = "completed";
    /** The outcome of an attempt that failed (its agent, its contracts, a timeout or a lost heartbeat). */
    static final String FAILED = "failed";
    /** The outcome of an attempt the scheduler stopped (a budget was used up). */
    static final String STOPPED = "stopped";

    public Attempt(int number, long readyAt, Long startedAt, Long endedAt, String outcome, String error, String workerId) {
        this(number, readyAt, startedAt, endedAt, outcome, error, workerId, null, null);
    }

    public Attempt(int number, long readyAt, Long startedAt, Long endedAt, String outcome, String error, String workerId,
            Memo memo) {
        this(number, readyAt, startedAt, endedAt, outcome, error, workerId, memo, null);
    }

    Attempt started(long at, String worker) {
        return new Attempt(number, readyAt, at, endedAt, outcome, error, worker, memo, usage);
    }

    Attempt ended(long at, String how, String why) {
        return new Attempt(number, readyAt, startedAt, at, how, why, workerId, memo, usage);
    }

    /** Its usage, each measure raised to {@code reported} where that is more (never lowered). */
    Attempt used(Spend reported) {
        return new Attempt(number, readyAt, startedAt, endedAt, outcome, error, workerId, memo,
                usage == null ? reported : usage.atLeast(reported));
    }

    /** Whether it failed; false while it runs and when it completed or was stopped. */
    public boolean failed() {
        return FAILED.equals(outcome);
    }

    /** What it used, none when it reported nothing. */
    public Spend spent() {
        return usage == null ? Spend.NONE : usage;
    }
}
