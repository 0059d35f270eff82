package io.oe.core.progress;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When an execution is expected to end (its ETA), from the durations of the phases this execution has completed:
 * every phase still to run costs their mean, a running phase what its tasks' progress (else the mean) says is left,
 * and phases that may run side by side overlap, so the estimate is the longest remaining path through the
 * prerequisites. Reckoned at the view's own time ({@link ExecutionView#at}), not the wall clock, so the same view
 * always gives the same answer (readers count down from {@code estimatedEnd}). Time spent waiting for a person cannot
 * be known and is left out: while the end waits on one (an approval, a review, an intervention, a paused or unstarted
 * execution) there is no expected end, {@code remainingSeconds} is the work left once they act, and {@code waiting}
 * says what the execution waits for, in the one wording every reader shows ({@link #waitingForPeople}).
 * {@code phaseEnds}: when each running phase should end, where anything says.
 */
public record ExpectedEnd(Double remainingSeconds, Instant estimatedEnd, String basis, String waiting,
        Map<Integer, Instant> phaseEnds) {
    /** A mean not known yet (no phase completed): {@link #left} then knows only what task progress says. */
    private static final double UNKNOWN = -1;

    /** A long list of phases waiting for a person is cut after this many ids ("and 35 more"). */
    private static final int IDS_SHOWN = 5;

    /** The order in which the ETA names what people are awaited for. */
    private static final List<WaitingReason.Kind> PERSON_KINDS = List.of(WaitingReason.Kind.REVIEW,
            WaitingReason.Kind.INTERVENTION, WaitingReason.Kind.APPROVAL);

    public static ExpectedEnd of(ExecutionView s) {
        return of(s, WaitingReason.all(s));
    }

    /** Everything in one pass over the view, with its phases' waiting reasons already found. */
    public static ExpectedEnd of(ExecutionView s, Map<Integer, WaitingReason> waitingFor) {
        Instant at = s.at();
        List<Double> done = s.phases().values().stream()
                .filter(p -> p.status() == PhaseStatus.COMPLETED && p.startedAt() != null && p.completedAt() != null)
                .map(p -> seconds(p.startedAt(), p.completedAt())).toList();
        double mean = done.isEmpty() ? UNKNOWN : done.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        Map<Integer, Instant> phaseEnds = new HashMap<>();
        if (at != null) {
            for (PhaseView p : s.phases().values()) {
                if (p.status() == PhaseStatus.IN_PROGRESS && p.startedAt() != null) {
                    double left = left(p, mean, at);
                    if (left >= 0) {
                        phaseEnds.put(p.id(), at.plusMillis((long) (left * 1000)));
                    }
                }
            }
        }
        if (s.status().isTerminal()) {
            return new ExpectedEnd(0.0, s.endedAt(), "the execution has ended", null, phaseEnds);
        }
        String waiting = waitingForPeople(s, waitingFor);
        if (done.isEmpty()) {
            return new ExpectedEnd(null, null, "no phase of this execution has completed yet", waiting, phaseEnds);
        }
        Map<Integer, Double> finish = new HashMap<>();
        double longest = 0;
        for (PhaseView p : s.phases().values()) {
            longest = Math.max(longest, finish(s, p, mean, at, finish, 0));
        }
        String basis = String.format(Locale.ROOT, "mean of %d completed phase(s), %.1f s each, along the longest"
                + " remaining path%s", done.size(), mean, waiting != null ? "; time waiting for a person not included" : "");
        Instant end = at == null || waiting != null ? null : at.plusMillis((long) (longest * 1000));
        return new ExpectedEnd(round(longest), end, basis, waiting, phaseEnds);
    }

    /**
     * "waiting for a person: phase 7 needs intervention; phases 2 and 3 need approval", or null when the end waits on
     * no one. From the phases' own waiting reasons; a paused or unstarted execution waits for a person too.
     */
    public static String waitingForPeople(ExecutionView s, Map<Integer, WaitingReason> waitingFor) {
        List<String> parts = new ArrayList<>();
        if (s.status() == ExecutionStatus.PAUSED) {
            parts.add("the execution is paused (oe resume)");
        } else if (s.status() == ExecutionStatus.INITIALIZED) {
            parts.add("the execution is not started (oe execute)");
        }
        Map<WaitingReason.Kind, List<Integer>> byKind = new LinkedHashMap<>();
        PERSON_KINDS.forEach(k -> byKind.put(k, new ArrayList<>()));
        waitingFor.forEach((id, w) -> {
            if (w.kind().waitsForPerson()) {
                byKind.get(w.kind()).add(id);
            }
        });
        byKind.forEach((kind, ids) -> {
            if (!ids.isEmpty()) {
                parts.add(phases(ids) + (ids.size() == 1 ? " needs " : " need ") + kind.json());
            }
        });
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
    private static double left(PhaseView p, double mean, Instant at) {
        if (p.status() != PhaseStatus.IN_PROGRESS || p.startedAt() == null || at == null) {
            return mean;
        }
        double elapsed = Math.max(0, seconds(p.startedAt(), at));
        double done = p.taskProgress();
        if (done > 0 && done < 100) {
            return elapsed * (100 - done) / done;
        }
        return mean == UNKNOWN ? UNKNOWN : Math.max(0, mean - elapsed);
    }

    private static double finish(ExecutionView s, PhaseView p, double mean, Instant at, Map<Integer, Double> memo,
            int depth) {
        if (p.status().isTerminal()) {
            return 0;
        }
        Double known = memo.get(p.id());
        if (known != null) {
            return known;
        }
        double before = 0;
        if (depth < s.phases().size()) { // plans are acyclic when loaded; the bound only guards a corrupt state
            for (Integer pre : p.prerequisites()) {
                PhaseView q = s.phases().get(pre);
                if (q != null) {
                    before = Math.max(before, finish(s, q, mean, at, memo, depth + 1));
                }
            }
        }
        double end = before + left(p, mean, at);
        memo.put(p.id(), end);
        return end;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
