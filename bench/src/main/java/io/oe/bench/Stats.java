package io.oe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles and per-step overheads, from the engine's event times. Pure: unit-tested in StatsTest. */
final class Stats {
    private Stats() {
    }

    /** The three legs of a chain step's overhead, each stamped by the service at its end. */
    enum Hop {
        /** agent end (gateway) → handoff verdict (handoff-service) */
        HANDOFF,
        /** handoff verdict → dispatch (phase-scheduler's phase-ready ready_at) */
        DISPATCH,
        /** dispatch → next agent started (gateway) */
        START
    }

    /**
     * Per dependency edge: the successor's agent start minus the latest predecessor's agent end. For a chain that
     * is the engine's whole per-step overhead (result published → next agent started). Sorted.
     */
    static double[] overheads(Graphs g, EngineRun.Timings t) {
        List<Double> out = new ArrayList<>();
        g.dependsOn().forEach((step, deps) -> {
            if (deps.isEmpty() || !t.started().containsKey(step)) {
                return;
            }
            long ready = deps.stream().mapToLong(d -> t.ended().getOrDefault(d, Long.MIN_VALUE)).max().orElse(Long.MIN_VALUE);
            if (ready != Long.MIN_VALUE) {
                out.add((double) (t.started().get(step) - ready));
            }
        });
        return sorted(out);
    }

    /**
     * Per step that waits for exactly one other: its agent's start minus that step's agent's start. On a chain that is
     * the whole cost of a step: the agent's run (a process start for {@code /bin/true}) and the engine's overhead, the
     * figure the {@link Floor} of a step is the floor of. Sorted.
     */
    static double[] stepPeriods(Graphs g, EngineRun.Timings t) {
        List<Double> out = new ArrayList<>();
        g.dependsOn().forEach((step, deps) -> {
            if (deps.size() == 1 && t.started().containsKey(step) && t.started().containsKey(deps.get(0))) {
                out.add((double) (t.started().get(step) - t.started().get(deps.get(0))));
            }
        });
        return sorted(out);
    }

    /** The median of one hop of the chain's steps: gateway → handoff → scheduler → gateway. */
    static double hopP50(Graphs g, EngineRun.Timings t, Hop hop) {
        List<Double> out = new ArrayList<>();
        g.dependsOn().forEach((step, deps) -> {
            if (deps.size() != 1) {
                return;
            }
            int prev = deps.get(0);
            Long from = switch (hop) {
                case HANDOFF -> t.ended().get(prev);
                case DISPATCH -> t.handedOff().get(prev);
                case START -> t.ready().get(step);
            };
            Long to = switch (hop) {
                case HANDOFF -> t.handedOff().get(prev);
                case DISPATCH -> t.ready().get(step);
                case START -> t.started().get(step);
            };
            if (from != null && to != null) {
                out.add((double) (to - from));
            }
        });
        return percentile(sorted(out), 50);
    }

    /** Nearest rank on sorted values; NaN when there are none. */
    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double[] sorted(Collection<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** First agent start to last agent end. */
    static double spanSeconds(EngineRun.Timings t) {
        long first = t.started().values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = t.ended().values().stream().mapToLong(Long::longValue).max().orElse(first);
        return Math.max(0.001, (last - first) / 1000.0);
    }

    /** {@code a / b}, NaN when either is unknown or b is not positive (a ratio to nothing says nothing). */
    static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? Double.NaN : a / b;
    }

    /**
     * What grew between two readings of counters by name, ÷ {@code steps}, busiest first; names that did not grow are
     * left out (a name new in {@code after} counts from zero).
     */
    static Map<String, Double> grownPerStep(Map<String, ? extends Number> before, Map<String, ? extends Number> after, int steps) {
        List<Map.Entry<String, Double>> grown = new ArrayList<>();
        after.forEach((name, end) -> {
            Number start = before.get(name);
            double d = end.doubleValue() - (start == null ? 0 : start.doubleValue());
            if (d > 1e-9) {
                grown.add(Map.entry(name, d / Math.max(1, steps)));
            }
        });
        grown.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        Map<String, Double> out = new LinkedHashMap<>();
        grown.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The sum of a per-step map's values. */
    static double sum(Map<String, Double> perStep) {
        return perStep.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
