package io.oe.core.scheduler;

import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.EngineConfig;
import java.util.List;

/** What can happen to an execution. Each carries its own time, so the scheduler reads no clock. */
public sealed interface SchedulerInput {
    long at();

    enum CommandKind { START, RETRY, SKIP, CANCEL, PAUSE, RESUME, APPROVE, RERUN, REVIEW, BUDGET }

    /**
     * A person's command. {@code withDependants} and {@code feedback} belong to RERUN: the phases that need the rerun
     * one go back to pending too, and the feedback reaches the rerun phase's agent. {@code review} belongs to REVIEW
     * (its feedback, for a rejection, is {@code feedback}). {@code budget} belongs to BUDGET: the new limits of the
     * phase's budget ({@code phaseId}) or, without a phase, of the execution's.
     */
    record Command(CommandKind kind, Integer phaseId, String actor, String reason, EngineConfig config, long at,
            boolean withDependants, String feedback, Review review, BudgetLimit budget) implements SchedulerInput {
        public Command(CommandKind kind, Integer phaseId, String actor, String reason, EngineConfig config, long at) {
            this(kind, phaseId, actor, reason, config, at, false, null, null, null);
        }

        public Command(CommandKind kind, Integer phaseId, String actor, String reason, EngineConfig config, long at,
                boolean withDependants, String feedback, Review review) {
            this(kind, phaseId, actor, reason, config, at, withDependants, feedback, review, null);
        }

        public Command(CommandKind kind, Integer phaseId, String actor, String reason, EngineConfig config, long at,
                boolean withDependants, String feedback) {
            this(kind, phaseId, actor, reason, config, at, withDependants, feedback, null, null);
        }
    }

    /**
     * The handoff-service validated and stored a person's replacement of a reviewed output ({@code replacedBy}): the
     * phase completes with it, or, when it failed ({@code error} set, {@code artifacts} empty), keeps waiting.
     */
    record OutputReplaced(int phaseId, int attempt, List<Artifact> artifacts, String replacedBy, String error, long at)
            implements SchedulerInput {
    }

    record AgentStarted(int phaseId, int attempt, String workerId, long at) implements SchedulerInput {
    }

    record Heartbeat(int phaseId, int attempt, long at) implements SchedulerInput {
    }

    /**
     * The attempt's agent exited (agent-result); its outcome comes with the handoff, which may take a while.
     * {@code usage}: what it used in all, as the result says (null: it reported nothing).
     */
    record AgentFinished(int phaseId, int attempt, long at, Spend usage) implements SchedulerInput {
        public AgentFinished(int phaseId, int attempt, long at) {
            this(phaseId, attempt, at, null);
        }
    }

    /**
     * A running attempt's usage so far (the gateway's totals of the usage lines accepted until now): what the budgets
     * are checked against while the agent runs, so that a runaway agent is stopped before it ends.
     */
    record UsageReported(int phaseId, int attempt, Spend usage, long at) implements SchedulerInput {
    }

    /** The attempt's agent succeeded and every output passed its contract. */
    record AttemptSucceeded(int phaseId, int attempt, List<Artifact> artifacts, long at) implements SchedulerInput {
    }

    /** Why an attempt failed, as far as its alerts are concerned. */
    enum Failure {
        /** The agent failed (exit code, spawn error, interrupted) or the handoff could not be done. */
        AGENT,
        /** The gateway stopped the agent at its phase or task timeout. */
        TIMED_OUT,
        /** The agent's outputs broke their contracts. */
        CONTRACT_VIOLATED
    }

    /** The agent failed, timed out, or its outputs broke their contracts ({@code failure} says which). */
    record AttemptFailed(int phaseId, int attempt, String error, long at, Failure failure) implements SchedulerInput {
        public AttemptFailed {
            failure = failure == null ? Failure.AGENT : failure;
        }

        public AttemptFailed(int phaseId, int attempt, String error, long at) {
            this(phaseId, attempt, error, at, Failure.AGENT);
        }
    }

    /**
     * The seat keeper granted attempt {@code attempt} of the phase a seat of every one of {@code limits}: the phase may
     * be dispatched (or, if that attempt is no longer wanted, the seats go back at once).
     */
    record SeatGranted(int phaseId, int attempt, List<String> limits, long at) implements SchedulerInput {
        public SeatGranted {
            limits = List.copyOf(limits);
        }
    }

    /**
     * Time passed: fire due retries, detect timeouts and lost heartbeats. {@code inputLagMs} is how far the scheduler's
     * own reading of its inputs is behind: silence is only evidence of a lost agent for the part of it that is not
     * the scheduler's backlog (a burst of a thousand results must not make the heartbeats queued behind it look lost).
     */
    record Tick(long at, long inputLagMs) implements SchedulerInput {
        public Tick(long at) {
            this(at, 0);
        }
    }
}
