package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One try of a phase: when it was dispatched, started and ended, and how it ended. {@code memo}: what it was made of
 * (agent definition, prompt, inputs), for a later memoized resubmission (null in an attempt stored before memos).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int number, long readyAt, Long startedAt, Long endedAt, String outcome, String error,
        String workerId, Memo memo) {

    public Attempt(int number, long readyAt, Long startedAt, Long endedAt, String outcome, String error, String workerId) {
        this(number, readyAt, startedAt, endedAt, outcome, error, workerId, null);
    }

    Attempt started(long at, String worker) {
        return new Attempt(number, readyAt, at, endedAt, outcome, error, worker, memo);
    }

    Attempt ended(long at, String how, String why) {
        return new Attempt(number, readyAt, startedAt, at, how, why, workerId, memo);
    }
}
