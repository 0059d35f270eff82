package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.oe.core.plan.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The scheduler's record of one phase: its status, its attempts so far (the append-only history), and the timers
 * that wait on it. {@code budgetStart} is the first attempt of the current retry budget: a person's RETRY starts a
 * new budget while attempt numbers keep counting. {@code agentEndedAt}: the current attempt's agent has exited and its
 * result waits for the handoff, so the heartbeat clock stops (an agent that is done sends no more life signs).
 * {@code choice}: for a phase with agent alternatives, which one runs it and why (null until chosen, and for a phase
 * with one agent). {@code feedback}: a person's words for the attempts since the last rerun of the phase (null if
 * none).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PhaseRun(PhaseStatus status, List<Attempt> attempts, int budgetStart, Long nextAttemptAt,
        Long lastHeartbeatAt, boolean approved, String approvedBy, Long approvedAt, String reason, String lastError,
        Long agentEndedAt, AgentChoice choice, Feedback feedback, Seat seat) {

    /**
     * The seats of the limits across executions ({@code limits}, in the fixed order) that attempt {@code attempt} asked
     * for and, once {@code granted}, holds (docs/architecture.md, "Limits across executions"). A phase holds its seats
     * while it waits for them (pending) and while its attempt is ready or running; every other transition gives them
     * back ({@link #holdsSeat}, applied where the scheduler makes transitions).
     */
    public record Seat(int attempt, List<String> limits, boolean granted) {
        public Seat {
            limits = List.copyOf(limits);
        }
    }

    /** Whether the seat this run names is still held (or waited for) in its status: see {@link Seat}. */
    boolean holdsSeat() {
        if (seat == null) {
            return false;
        }
        return status.isActive() ? seat.granted() && seat.attempt() == attempt()
                : status == PhaseStatus.PENDING && !seat.granted() && seat.attempt() == attempt() + 1;
    }

    /** Waits for its seats, or (pending, not granted) counts as one of the phases the execution runs at once. */
    boolean waitsForSeat() {
        return status == PhaseStatus.PENDING && seat != null && !seat.granted();
    }

    PhaseRun withSeat(Seat s) {
        return new PhaseRun(status, attempts, budgetStart, nextAttemptAt, lastHeartbeatAt, approved, approvedBy, approvedAt,
                reason, lastError, agentEndedAt, choice, feedback, s);
    }

    public PhaseRun {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    static PhaseRun pending() {
        return new PhaseRun(PhaseStatus.PENDING, List.of(), 1, null, null, false, null, null, null, null, null, null, null, null);
    }

    static PhaseRun completedBefore() {
        return new PhaseRun(PhaseStatus.COMPLETED, List.of(), 1, null, null, false, null, null,
                "completed before this execution (plan status)", null, null, null, null, null);
    }

    /** The current (latest) attempt number; 0 before the first dispatch. */
    public int attempt() {
        return attempts.isEmpty() ? 0 : attempts.get(attempts.size() - 1).number();
    }

    /** The agent that runs the phase: the chosen alternative's, else the phase's own (or its alternatives, until chosen). */
    public String agent(Phase phase) {
        return choice != null && choice.agent() != null ? choice.agent() : phase.agentLabel();
    }

    public Attempt currentAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    PhaseRun withStatus(PhaseStatus s, String why) {
        return new PhaseRun(s, attempts, budgetStart, nextAttemptAt, lastHeartbeatAt, approved, approvedBy, approvedAt,
                why, lastError, agentEndedAt, choice, feedback, seat);
    }

    PhaseRun dispatched(long at) {
        return dispatched(at, null);
    }

    PhaseRun dispatched(long at, Memo memo) {
        List<Attempt> more = new ArrayList<>(attempts);
        more.add(new Attempt(attempt() + 1, at, null, null, null, null, null, memo));
        return new PhaseRun(PhaseStatus.READY, more, budgetStart, null, null, approved, approvedBy, approvedAt, null,
                lastError, null, choice, feedback, seat);
    }

    PhaseRun started(long at, String worker) {
        return new PhaseRun(PhaseStatus.IN_PROGRESS, replaceLast(currentAttempt().started(at, worker)), budgetStart,
                null, agentEndedAt == null ? at : null, approved, approvedBy, approvedAt, null, lastError, agentEndedAt, choice,
                feedback, seat);
    }

    PhaseRun heartbeat(long at) {
        if (agentEndedAt != null) {
            return this; // a life sign published before the agent's exit, read after it
        }
        return new PhaseRun(status, attempts, budgetStart, nextAttemptAt, at, approved, approvedBy, approvedAt, reason,
                lastError, null, choice, feedback, seat);
    }

    PhaseRun agentEnded(long at) {
        return new PhaseRun(status, attempts, budgetStart, nextAttemptAt, null, approved, approvedBy, approvedAt, reason,
                lastError, at, choice, feedback, seat);
    }

    PhaseRun ended(PhaseStatus s, long at, String outcome, String error) {
        return new PhaseRun(s, replaceLast(currentAttempt().ended(at, outcome, error)), budgetStart, null, null,
                approved, approvedBy, approvedAt, error, error == null ? lastError : error, null, choice, feedback, seat);
    }

    PhaseRun retryAt(long when, String why) {
        return new PhaseRun(PhaseStatus.PENDING, attempts, budgetStart, when, null, approved, approvedBy, approvedAt,
                why, lastError, null, choice, feedback, seat);
    }

    PhaseRun newBudget(long now, String why) {
        return new PhaseRun(PhaseStatus.PENDING, attempts, attempt() + 1, now, null, approved, approvedBy, approvedAt,
                why, lastError, null, choice, feedback, seat);
    }

    /**
     * A person's RERUN: back to pending with a fresh retry budget, the next dispatch a new attempt. An earlier attempt's
     * error is kept only if the last attempt failed (the agent should still hear why); the feedback replaces any before.
     */
    PhaseRun rerun(String why, Feedback f) {
        Attempt last = currentAttempt();
        String error = last != null && last.failed() ? lastError : null;
        return new PhaseRun(PhaseStatus.PENDING, attempts, attempt() + 1, null, null, approved, approvedBy, approvedAt,
                why, error, null, choice, f, seat);
    }

    PhaseRun approvedBy(String actor, long at) {
        return new PhaseRun(PhaseStatus.PENDING, attempts, budgetStart, nextAttemptAt, lastHeartbeatAt, true, actor, at,
                "approved by " + actor, lastError, agentEndedAt, choice, feedback, seat);
    }

    /** The phase's agent alternative is chosen (the agent that runs it, with why): kept for every attempt. */
    PhaseRun chose(AgentChoice c) {
        return new PhaseRun(status, attempts, budgetStart, nextAttemptAt, lastHeartbeatAt, approved, approvedBy, approvedAt,
                reason, lastError, agentEndedAt, c, feedback, seat);
    }

    /** Its attempt {@code number}'s usage raised to {@code reported} (an earlier attempt's late result counts too). */
    PhaseRun used(int number, Spend reported) {
        List<Attempt> copy = new ArrayList<>(attempts);
        for (int i = copy.size() - 1; i >= 0; i--) {
            if (copy.get(i).number() == number) {
                copy.set(i, copy.get(i).used(reported));
            }
        }
        return new PhaseRun(status, copy, budgetStart, nextAttemptAt, lastHeartbeatAt, approved, approvedBy, approvedAt,
                reason, lastError, agentEndedAt, choice, feedback, seat);
    }

    /** What every attempt of the phase used: what its budget counts. */
    public Spend spent() {
        Spend sum = Spend.NONE;
        for (Attempt a : attempts) {
            sum = sum.plus(a.usage());
        }
        return sum;
    }

    /** Failures counted against the current retry budget. */
    int failuresInBudget() {
        return attempt() - budgetStart + 1;
    }

    private List<Attempt> replaceLast(Attempt a) {
        List<Attempt> copy = new ArrayList<>(attempts);
        copy.set(copy.size() - 1, a);
        return copy;
    }
}
