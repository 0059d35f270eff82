package io.oe.monitor;

import io.oe.core.plan.Estimate;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's "Status: On track" line: the time since the execution started against its plan's estimate (the tasks'
 * {@code estimate_minutes} along the longest chain of the phases that ran and remain, {@link Estimate}: the rule the
 * scheduler's {@code execution_behind_estimate} alert reads too). Reckoned at the state's {@code updated_at} (or its
 * end), so the same state always gives the same answer. Absent for a plan without estimates or an execution not
 * started.
 */
record Schedule(boolean onTrack, double elapsedSeconds, double estimateSeconds, String text) {
    static Optional<Schedule> of(EngineState s) {
        if (s.getStartTime() == null || s.getTasks().values().stream().noneMatch(t -> t.getEstimateMinutes() != null)) {
            return Optional.empty();
        }
        Map<Integer, List<Double>> taskEstimates = new HashMap<>();
        for (TaskState t : s.getTasks().values()) {
            taskEstimates.computeIfAbsent(t.getPhaseId(), id -> new ArrayList<>()).add(t.getEstimateMinutes());
        }
        Map<Integer, PhaseState> phases = new HashMap<>();
        s.getPhases().values().forEach(p -> phases.put(p.getId(), p));
        long estimate = Estimate.longestChainMillis(phases.keySet(), id -> phases.get(id).getPrerequisites(),
                id -> PhaseStatus.parse(phases.get(id).getStatus()).isLeftOut() ? 0
                        : Estimate.phaseMillis(taskEstimates.getOrDefault(id, List.of())));
        Instant at = s.getEndTime() != null ? s.getEndTime() : s.getUpdatedAt();
        long elapsed = at == null ? 0 : Math.max(0, Duration.between(s.getStartTime(), at).toMillis());
        boolean behind = Estimate.behind(elapsed, estimate);
        String text = (behind ? "Behind its estimate: " : "On track: ") + minutes(elapsed) + " of an estimated " + minutes(estimate);
        return Optional.of(new Schedule(!behind, elapsed / 1000.0, estimate / 1000.0, text));
    }

    private static String minutes(long millis) {
        double m = millis / 60_000.0;
        return m < 10 ? String.format(Locale.ROOT, "%.1f min", m) : Math.round(m) + " min";
    }
}
