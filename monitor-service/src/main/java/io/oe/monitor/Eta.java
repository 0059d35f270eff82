package io.oe.monitor;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * When an execution is expected to end, from the durations of the phases this execution has completed: every phase
 * still to run costs their mean, a running phase what its tasks' progress (else the mean) says is left, and phases
 * that may run side by side overlap, so the estimate is the longest remaining path through the prerequisites.
 * Reckoned at the state's own {@code updated_at}, not the wall clock, so the same state always gives the same answer
 * (readers count down from {@code estimated_end}). Time spent waiting for a person cannot be known and is left out:
 * while the end waits on one (an approval, an intervention, a paused or unstarted execution) there is no expected
 * end, {@code remainingSeconds} is the work left once they act, and {@code waiting} says what the execution waits
 * for, in the one wording every reader shows ({@link #waitingForPeople}). {@code phaseEnds}: when each running phase
 * should end, where anything says.
 */
record Eta(Double remainingSeconds, Instant estimatedEnd, String basis, String waiting, Map<Integer, Instant> phaseEnds) {
    /** A mean not known yet (no phase completed): {@link #left} then knows only what task progress says. */
    private static final double UNKNOWN = -1;
    private static final Set<String> ENDED = Set.of("completed", "skipped", "cancelled");

    /** A long list of phases waiting for a person is cut after this many ids ("and 35 more"). */
    private static final int IDS_SHOWN = 5;

    static Eta of(EngineState s) {
        return of(s, WaitingFor.all(s));
    }

    /** Everything in one pass over the state: it is rendered on every event of the execution. */
    static Eta of(EngineState s, Map<Integer, WaitingFor> waitingFor) {
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
        if (ExecutionStatus.isTerminal(s.getStatus())) {
            return new Eta(0.0, s.getEndTime(), "the execution has ended", null, phaseEnds);
        }
        String waiting = waitingForPeople(s, waitingFor);
        if (done.isEmpty()) {
            return new Eta(null, null, "no phase of this execution has completed yet", waiting, phaseEnds);
        }
        Map<Integer, Double> finish = new HashMap<>();
        double longest = 0;
        for (PhaseState p : s.getPhases().values()) {
            longest = Math.max(longest, finish(s, p, progress, mean, at, finish, 0));
        }
        String basis = String.format(java.util.Locale.ROOT, "mean of %d completed phase(s), %.1f s each, along the longest"
                + " remaining path%s", done.size(), mean, waiting != null ? "; time waiting for a person not included" : "");
        Instant end = at == null || waiting != null ? null : at.plusMillis((long) (longest * 1000));
        return new Eta(round(longest), end, basis, waiting, phaseEnds);
    }

    /**
     * "waiting for a person: phase 7 needs intervention; phases 2 and 3 need approval", or null when the end waits on
     * no one. From the phases' own waiting reasons; a paused or unstarted execution waits for a person too.
     */
    static String waitingForPeople(EngineState s, Map<Integer, WaitingFor> waitingFor) {
        List<String> parts = new ArrayList<>();
        if ("paused".equals(s.getStatus())) {
            parts.add("the execution is paused (oe resume)");
        } else if ("initialized".equals(s.getStatus())) {
            parts.add("the execution is not started (oe execute)");
        }
        Map<String, List<Integer>> byKind = new TreeMap<>(Comparator.reverseOrder()); // review, intervention, approval
        waitingFor.forEach((id, w) -> {
            if (w.kind().equals(WaitingFor.Kind.INTERVENTION.json()) || w.kind().equals(WaitingFor.Kind.APPROVAL.json())
                    || w.kind().equals(WaitingFor.Kind.REVIEW.json())) {
                byKind.computeIfAbsent(w.kind(), k -> new ArrayList<>()).add(id);
            }
        });
        byKind.forEach((kind, ids) -> parts.add(phases(ids) + (ids.size() == 1 ? " needs " : " need ") + kind));
        return parts.isEmpty() ? null : "waiting for a person: " + String.join("; ", parts);
    }

    /** "phase 7", "phases 2 and 3", "phases 1, 2, 3, 4, 5 and 35 more". */
    private static String phases(List<Integer> ids) {
        List<String> shown = ids.stream().sorted().limit(IDS_SHOWN).map(String::valueOf).toList();
        if (ids.size() == 1) {
            return "phase " + shown.get(0);
        }
        String last = ids.size() > IDS_SHOWN ? (ids.size() - IDS_SHOWN) + " more" : shown.get(shown.size() - 1);
        List<String> first = ids.size() > IDS_SHOWN ? shown : shown.subList(0, shown.size() - 1);
        return "phases " + String.join(", ", first) + " and " + last;
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
