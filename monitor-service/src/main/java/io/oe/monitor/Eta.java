package io.oe.monitor;

import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When an execution is expected to end, from the durations of the phases this execution has completed: every phase
 * still to run costs their mean, a running phase what its tasks' progress (else the mean) says is left, and phases
 * that may run side by side overlap, so the estimate is the longest remaining path through the prerequisites.
 * Reckoned at the state's own {@code updated_at}, not the wall clock, so the same state always gives the same answer
 * (readers count down from {@code estimated_end}). Time spent waiting for a person cannot be known and is left out.
 * {@code phaseEnds}: when each running phase should end, where anything says.
 */
record Eta(Double remainingSeconds, Instant estimatedEnd, String basis, Map<Integer, Instant> phaseEnds) {
    /** A mean not known yet (no phase completed): {@link #left} then knows only what task progress says. */
    private static final double UNKNOWN = -1;
    private static final Set<String> ENDED = Set.of("completed", "skipped", "cancelled");
    private static final Set<String> EXECUTION_ENDED = Set.of("completed", "failed", "cancelled");

    /** Everything in one pass over the state: it is rendered on every event of the execution. */
    static Eta of(EngineState s) {
        Instant at = s.getUpdatedAt();
        Map<Integer, Double> progress = s.getTasks().values().stream()
                .collect(Collectors.groupingBy(TaskState::getPhaseId, Collectors.averagingInt(TaskState::getProgress)));
        List<Double> done = s.getPhases().values().stream()
                .filter(p -> "completed".equals(p.getStatus()) && p.getStartedAt() != null && p.getCompletedAt() != null)
                .map(p -> seconds(p.getStartedAt(), p.getCompletedAt())).toList();
        double mean = done.isEmpty() ? UNKNOWN : done.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        Map<Integer, Instant> phaseEnds = new HashMap<>();
        if (at != null) {
            for (PhaseState p : s.getPhases().values()) {
                if ("in_progress".equals(p.getStatus()) && p.getStartedAt() != null) {
                    double left = left(p, progress, mean, at);
                    if (left >= 0) {
                        phaseEnds.put(p.getId(), at.plusMillis((long) (left * 1000)));
                    }
                }
            }
        }
        if (EXECUTION_ENDED.contains(s.getStatus())) {
            return new Eta(0.0, s.getEndTime(), "the execution has ended", phaseEnds);
        }
        if (done.isEmpty()) {
            return new Eta(null, null, "no phase of this execution has completed yet", phaseEnds);
        }
        Map<Integer, Double> finish = new HashMap<>();
        double longest = 0;
        for (PhaseState p : s.getPhases().values()) {
            longest = Math.max(longest, finish(s, p, progress, mean, at, finish, 0));
        }
        boolean people = s.getPhases().values().stream().anyMatch(p -> p.getStatus().startsWith("waiting_for"));
        String basis = String.format(java.util.Locale.ROOT, "mean of %d completed phase(s), %.1f s each, along the longest"
                + " remaining path%s", done.size(), mean, people ? "; time waiting for approval or intervention not included" : "");
        return new Eta(round(longest), at == null ? null : at.plusMillis((long) (longest * 1000)), basis, phaseEnds);
    }

    /** Seconds a phase still needs: a running one from its tasks' average progress when above 0, else the mean. */
    private static double left(PhaseState p, Map<Integer, Double> progress, double mean, Instant at) {
        if (!"in_progress".equals(p.getStatus()) || p.getStartedAt() == null || at == null) {
            return mean;
        }
        double elapsed = Math.max(0, seconds(p.getStartedAt(), at));
        double done = progress.getOrDefault(p.getId(), 0.0);
        if (done > 0 && done < 100) {
            return elapsed * (100 - done) / done;
        }
        return mean == UNKNOWN ? UNKNOWN : Math.max(0, mean - elapsed);
    }

    private static double finish(EngineState s, PhaseState p, Map<Integer, Double> progress, double mean, Instant at,
            Map<Integer, Double> memo, int depth) {
        if (ENDED.contains(p.getStatus())) {
            return 0;
        }
        Double known = memo.get(p.getId());
        if (known != null) {
            return known;
        }
        double before = 0;
        if (depth < s.getPhases().size()) { // plans are acyclic when loaded; the bound only guards a corrupt state
            for (Integer pre : p.getPrerequisites()) {
                PhaseState q = s.getPhases().get(String.valueOf(pre));
                if (q != null) {
                    before = Math.max(before, finish(s, q, progress, mean, at, memo, depth + 1));
                }
            }
        }
        double end = before + left(p, progress, mean, at);
        memo.put(p.getId(), end);
        return end;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
