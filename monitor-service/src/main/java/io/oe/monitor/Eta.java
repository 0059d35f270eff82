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

/**
 * When an execution is expected to end, from the durations of the phases this execution has completed: every phase
 * still to run costs their mean, a running phase what its tasks' progress (else the mean) says is left, and phases
 * that may run side by side overlap, so the estimate is the longest remaining path through the prerequisites.
 * Reckoned at the state's own {@code updated_at}, not the wall clock, so the same state always gives the same answer
 * (readers count down from {@code estimated_end}). Time spent waiting for a person cannot be known and is left out.
 */
record Eta(Double remainingSeconds, Instant estimatedEnd, String basis) {
    /** A mean not known yet (no phase completed): {@link #left} then knows only what task progress says. */
    private static final double UNKNOWN = -1;
    private static final Set<String> ENDED = Set.of("completed", "skipped", "cancelled");
    private static final Set<String> EXECUTION_ENDED = Set.of("completed", "failed", "cancelled");

    static Eta of(EngineState s) {
        if (EXECUTION_ENDED.contains(s.getStatus())) {
            return new Eta(0.0, s.getEndTime(), "the execution has ended");
        }
        List<Double> done = s.getPhases().values().stream()
                .filter(p -> "completed".equals(p.getStatus()) && p.getStartedAt() != null && p.getCompletedAt() != null)
                .map(p -> seconds(p.getStartedAt(), p.getCompletedAt())).toList();
        if (done.isEmpty()) {
            return new Eta(null, null, "no phase of this execution has completed yet");
        }
        double mean = done.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        Instant at = s.getUpdatedAt();
        Map<Integer, Double> finish = new HashMap<>();
        double longest = 0;
        for (PhaseState p : s.getPhases().values()) {
            longest = Math.max(longest, finish(s, p, mean, at, finish, 0));
        }
        boolean people = s.getPhases().values().stream().anyMatch(p -> p.getStatus().startsWith("waiting_for"));
        String basis = String.format(java.util.Locale.ROOT, "mean of %d completed phase(s), %.1f s each, along the longest"
                + " remaining path%s", done.size(), mean, people ? "; time waiting for approval or intervention not included" : "");
        return new Eta(round(longest), at == null ? null : at.plusMillis((long) (longest * 1000)), basis);
    }

    /** When a running phase should end, if anything says: its tasks' progress, or the mean of completed phases. */
    static Instant expectedEnd(EngineState s, PhaseState p) {
        if (!"in_progress".equals(p.getStatus()) || p.getStartedAt() == null || s.getUpdatedAt() == null) {
            return null;
        }
        double mean = s.getPhases().values().stream()
                .filter(q -> "completed".equals(q.getStatus()) && q.getStartedAt() != null && q.getCompletedAt() != null)
                .mapToDouble(q -> seconds(q.getStartedAt(), q.getCompletedAt())).average().orElse(Double.NaN);
        double left = left(s, p, Double.isNaN(mean) ? UNKNOWN : mean, s.getUpdatedAt());
        return left < 0 ? null : s.getUpdatedAt().plusMillis((long) (left * 1000));
    }

    /** Seconds a running phase still needs: from its tasks' progress when they report any, else the mean. */
    static double left(EngineState s, PhaseState p, double mean, Instant at) {
        if (!"in_progress".equals(p.getStatus()) || p.getStartedAt() == null || at == null) {
            return mean;
        }
        double elapsed = Math.max(0, seconds(p.getStartedAt(), at));
        List<TaskState> tasks = s.getTasks().values().stream().filter(t -> t.getPhaseId() == p.getId()).toList();
        double progress = tasks.stream().mapToInt(TaskState::getProgress).average().orElse(0);
        if (progress > 0 && progress < 100) {
            return elapsed * (100 - progress) / progress;
        }
        return mean == UNKNOWN ? UNKNOWN : Math.max(0, mean - elapsed);
    }

    private static double finish(EngineState s, PhaseState p, double mean, Instant at, Map<Integer, Double> memo, int depth) {
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
                    before = Math.max(before, finish(s, q, mean, at, memo, depth + 1));
                }
            }
        }
        double end = before + left(s, p, mean, at);
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
