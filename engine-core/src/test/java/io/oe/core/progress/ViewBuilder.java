package io.oe.core.progress;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the views the read model's tests read: phases by id, times in seconds after {@link #T0}. */
final class ViewBuilder {
    static final Instant T0 = Instant.parse("2026-01-13T12:00:00Z");
    private final Map<Integer, PhaseView> phases = new LinkedHashMap<>();

    PhaseView phase(int id, PhaseStatus status, Integer startedAt, Integer completedAt, Integer... prerequisites) {
        return phase(id, status, TransitionCause.UNKNOWN, null, startedAt, completedAt, 0, prerequisites);
    }

    PhaseView phase(int id, PhaseStatus status, TransitionCause cause, String reason, Integer startedAt,
            Integer completedAt, double taskProgress, Integer... prerequisites) {
        PhaseView p = new PhaseView(id, "P" + id, status, cause, reason, status == PhaseStatus.PENDING ? 0 : 1,
                List.of(prerequisites), startedAt == null ? null : T0.plusSeconds(startedAt),
                completedAt == null ? null : T0.plusSeconds(completedAt), taskProgress);
        phases.put(id, p);
        return p;
    }

    ExecutionView execution(ExecutionStatus status, int at, int maxConcurrentPhases) {
        return new ExecutionView(status, maxConcurrentPhases, T0.plusSeconds(at),
                status.isTerminal() ? T0.plusSeconds(at) : null, phases);
    }
}
