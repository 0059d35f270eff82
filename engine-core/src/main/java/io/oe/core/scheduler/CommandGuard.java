package io.oe.core.scheduler;

import io.oe.core.scheduler.SchedulerInput.CommandKind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a command makes sense for an execution as it stands, and if not, why. The scheduler applies it to its own
 * state; the plan-loader applies it to its view of the execution-status topic, so that a person gets the refusal as
 * an HTTP error before anything is published.
 */
public final class CommandGuard {
    private CommandGuard() {
    }

    /** Why {@code kind} is refused, or empty if it may go ahead. {@code phases} maps phase id → status. */
    public static Optional<String> refusal(String executionId, ExecutionStatus execution, Map<Integer, PhaseStatus> phases,
            CommandKind kind, Integer phaseId) {
        return refusal(executionId, execution, phases, kind, phaseId, phaseId == null ? Set.of() : Set.of(phaseId));
    }

    /** The same, where {@code reruns} are the phases a RERUN would send back to pending ({@link Rerun#phases}). */
    public static Optional<String> refusal(String executionId, ExecutionStatus execution, Map<Integer, PhaseStatus> phases,
            CommandKind kind, Integer phaseId, Set<Integer> reruns) {
        if (kind == CommandKind.RERUN) {
            return rerunRefusal(executionId, execution, phases, phaseId, reruns);
        }
        if (execution.isTerminal()) {
            return Optional.of(kind + " refused: execution " + executionId + " is already " + execution.json());
        }
        switch (kind) {
            case START:
                return execution == ExecutionStatus.INITIALIZED ? Optional.empty()
                        : Optional.of("START refused: execution is " + execution.json() + ", not initialized");
            case PAUSE:
                return execution == ExecutionStatus.IN_PROGRESS || execution == ExecutionStatus.WAITING_FOR_INTERVENTION
                        ? Optional.empty() : Optional.of("PAUSE refused: execution is " + execution.json());
            case RESUME:
                return execution == ExecutionStatus.PAUSED ? Optional.empty()
                        : Optional.of("RESUME refused: execution is " + execution.json() + ", not paused");
            case CANCEL:
                return Optional.empty();
            case BUDGET: // of the execution (no phase) or of one of its phases, at any time before its end
                return phaseId == null || phases.containsKey(phaseId) ? Optional.empty()
                        : Optional.of("BUDGET refused: execution " + executionId + " has no phase " + phaseId);
            default:
                break;
        }
        if (phaseId == null) {
            return Optional.of(kind + " refused: it needs a phase");
        }
        PhaseStatus s = phases.get(phaseId);
        if (s == null) {
            return Optional.of(kind + " refused: execution " + executionId + " has no phase " + phaseId);
        }
        return switch (kind) {
            case RETRY -> s == PhaseStatus.WAITING_FOR_INTERVENTION ? Optional.empty()
                    : Optional.of("RETRY refused: phase " + phaseId + " is " + s.json() + ", not waiting_for_intervention");
            case SKIP -> s == PhaseStatus.PENDING || s == PhaseStatus.WAITING_FOR_INTERVENTION
                    || s == PhaseStatus.WAITING_FOR_APPROVAL ? Optional.empty()
                    : Optional.of("SKIP refused: phase " + phaseId + " is " + s.json());
            case APPROVE -> s == PhaseStatus.WAITING_FOR_APPROVAL ? Optional.empty()
                    : Optional.of("APPROVE refused: phase " + phaseId + " is " + s.json() + ", not waiting_for_approval");
            case REVIEW -> s == PhaseStatus.WAITING_FOR_REVIEW ? Optional.empty()
                    : Optional.of("REVIEW refused: phase " + phaseId + " is " + s.json() + ", not waiting_for_review");
            default -> throw new IllegalStateException(kind.name());
        };
    }

    /**
     * A rerun goes back over finished work, so it applies to an execution in any state once started, ended ones too;
     * it may not take a running attempt's place (the agent would go on writing), so every phase it moves must be idle.
     */
    private static Optional<String> rerunRefusal(String executionId, ExecutionStatus execution,
            Map<Integer, PhaseStatus> phases, Integer phaseId, Set<Integer> reruns) {
        if (execution == ExecutionStatus.INITIALIZED) {
            return Optional.of("RERUN refused: execution " + executionId + " has not started (oe execute)");
        }
        if (phaseId == null) {
            return Optional.of("RERUN refused: it needs a phase");
        }
        if (!phases.containsKey(phaseId)) {
            return Optional.of("RERUN refused: execution " + executionId + " has no phase " + phaseId);
        }
        for (int id : reruns) {
            PhaseStatus s = phases.get(id);
            if (s != null && s.isActive()) {
                return Optional.of("RERUN refused: phase " + id + (id == phaseId ? "" : ", which depends on phase " + phaseId
                        + ",") + " is " + s.json() + "; wait until it ends");
            }
        }
        return Optional.empty();
    }
}
