package io.oe.core.progress;

import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import java.time.Instant;
import java.util.List;

/**
 * What a reader knows of one phase, as the engine state keeps it: its status and the cause of its last transition
 * (with the reason in words), its attempts so far, the phases it waits for, when it started and completed, and the
 * average progress its tasks reported (0 without tasks or reports).
 */
public record PhaseView(int id, String name, PhaseStatus status, TransitionCause cause, String reason, int attempts,
        List<Integer> prerequisites, Instant startedAt, Instant completedAt, double taskProgress) {
    public PhaseView {
        prerequisites = prerequisites == null ? List.of() : List.copyOf(prerequisites);
        cause = cause == null ? TransitionCause.UNKNOWN : cause;
    }
}
