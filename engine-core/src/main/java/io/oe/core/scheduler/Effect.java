package io.oe.core.scheduler;

import io.oe.core.plan.Budget;
import java.util.List;

/** What the scheduler asks the world to do; the service turns each into an event. */
public sealed interface Effect {
    /**
     * Run attempt {@code attempt} of a phase with these inputs, by {@code agent}: the phase's agent, or the agent
     * alternative chosen for it ({@link AgentChoice}). After a rerun: {@code feedback}, the person's words for it (or
     * null), and {@code previousOutputs}, the phase's outputs as its last completed attempt left them (else empty).
     */
    record Dispatch(int phaseId, int attempt, String agent, List<Artifact> inputs, String previousError, long timeoutMs,
            long taskTimeoutMs, Feedback feedback, List<Artifact> previousOutputs) implements Effect {
        public Dispatch {
            previousOutputs = previousOutputs == null ? List.of() : List.copyOf(previousOutputs);
        }

        public Dispatch(int phaseId, int attempt, String agent, List<Artifact> inputs, String previousError, long timeoutMs,
                long taskTimeoutMs) {
            this(phaseId, attempt, agent, inputs, previousError, timeoutMs, taskTimeoutMs, null, List.of());
        }
    }

    /**
     * A state-machine transition, of a phase or (phaseId null) of the execution. {@code choice}: set on the transition
     * with which a phase's agent alternative was chosen (or none held), else null. {@code memo}: on a phase's
     * {@code completed}, what its attempt was made of and left (a later submission may reuse it). {@code reuse}: in a
     * memoized resubmission, on the transition that decided it, whether the phase was reused or why it runs.
     * {@code budget}: on the execution's transition with which the scheduler applied a budget (START, an accepted
     * BUDGET), the whole budget it holds from then on; readers show that, never their own reading of the command.
     * {@code cause}: why, as a type readers decide on (the reason says it in words); null only in transitions built
     * outside the scheduler. {@code nextAttemptAt}: with cause {@link TransitionCause#BACKOFF}, when the next attempt
     * may go; else null.
     */
    record Transition(Integer phaseId, String from, String to, int attempt, String reason,
            ExecutionStatus executionStatus, AgentChoice choice, Memo memo, String reuse, Budget budget,
            TransitionCause cause, Long nextAttemptAt) implements Effect {
        public Transition(Integer phaseId, String from, String to, int attempt, String reason,
                ExecutionStatus executionStatus, AgentChoice choice, Memo memo, String reuse, Budget budget) {
            this(phaseId, from, to, attempt, reason, executionStatus, choice, memo, reuse, budget, null, null);
        }

        public Transition(Integer phaseId, String from, String to, int attempt, String reason,
                ExecutionStatus executionStatus, AgentChoice choice, Memo memo, String reuse) {
            this(phaseId, from, to, attempt, reason, executionStatus, choice, memo, reuse, null);
        }

        public Transition(Integer phaseId, String from, String to, int attempt, String reason,
                ExecutionStatus executionStatus) {
            this(phaseId, from, to, attempt, reason, executionStatus, null, null, null);
        }

        public Transition(Integer phaseId, String from, String to, int attempt, String reason,
                ExecutionStatus executionStatus, AgentChoice choice) {
            this(phaseId, from, to, attempt, reason, executionStatus, choice, null, null);
        }
    }

    /**
     * Validate a person's file ({@code path}, relative to the project directory) as output {@code output} of the
     * reviewed attempt, as a handoff: the handoff-service checks its contract and stores it, then the phase completes.
     */
    record ReplaceOutput(int phaseId, int attempt, String agent, String output, String path, String replacedBy)
            implements Effect {
    }

    /**
     * Ask the seat keeper for a seat of each of {@code limits} (in that order, the fixed one) for attempt {@code attempt}
     * of the phase, at the execution's {@code priority}: the phase is dispatched once they are all granted
     * ({@link SchedulerInput.SeatGranted}).
     */
    record RequestSeat(int phaseId, int attempt, List<String> limits, int priority) implements Effect {
        public RequestSeat {
            limits = List.copyOf(limits);
        }
    }

    /**
     * Give back the seats (held or waited for) of attempt {@code attempt} of the phase: its attempt ended, for whatever
     * reason, or a grant came that is no longer wanted. The keeper ignores a release of what is not held, so a release
     * may be sent twice.
     */
    record ReleaseSeat(int phaseId, int attempt, List<String> limits) implements Effect {
        public ReleaseSeat {
            limits = List.copyOf(limits);
        }
    }

    record RaiseAlert(Integer phaseId, String severity, String kind, String message) implements Effect {
    }

    /** An input that changed nothing: a stale or duplicate result, a command that does not apply. */
    record Ignored(String reason) implements Effect {
    }
}
