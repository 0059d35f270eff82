package io.oe.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * One graph's figures on one stack, from the engine's events. For chains (where a step waits for nothing but its
 * predecessor) the per-step figures: {@code overheadMs} (previous agent's end → next agent started: the engine alone)
 * and {@code stepMs} (agent start → next agent start: the whole step, what the floor is the floor of), both sorted;
 * on fan-outs the time queued behind agent slots would count as overhead, so they are left empty there.
 *
 * @param failure why the engine did not complete the graph (null: it did)
 * @param writesPerStep records the broker wrote per step, by topic, busiest first ({@link BrokerWrites})
 * @param requestsPerStep requests the broker handled per step, by type ({@link BrokerRequests}; none when not read)
 */
record GraphResult(Graphs graph, String failure, double wallSeconds, double spanSeconds, double[] overheadMs, double[] stepMs,
        Map<Stats.Hop, Double> hopP50, Map<String, Double> writesPerStep, BrokerRequests.PerStep requestsPerStep) {

    static GraphResult of(Graphs g, double wallSeconds, EngineRun.Timings t, Map<String, Double> writesPerStep,
            BrokerRequests.PerStep requestsPerStep) {
        boolean chain = g.shape().equals("chain");
        Map<Stats.Hop, Double> hops = new EnumMap<>(Stats.Hop.class);
        if (chain) {
            for (Stats.Hop h : Stats.Hop.values()) {
                hops.put(h, Stats.hopP50(g, t, h));
            }
        }
        return new GraphResult(g, null, wallSeconds, Stats.spanSeconds(t), chain ? Stats.overheads(g, t) : new double[0],
                chain ? Stats.stepPeriods(g, t) : new double[0], hops, writesPerStep, requestsPerStep);
    }

    static GraphResult failed(Graphs g, String why) {
        return new GraphResult(g, why, Double.NaN, Double.NaN, new double[0], new double[0], Map.of(), Map.of(), BrokerRequests.PerStep.NONE);
    }

    String name() {
        return graph.name();
    }

    boolean completed() {
        return failure == null;
    }

    /** Steps ÷ (last agent end − first agent start). */
    double stepsPerSecond() {
        return graph.n() / spanSeconds;
    }

    double overhead(int percentile) {
        return Stats.percentile(overheadMs, percentile);
    }

    double step(int percentile) {
        return Stats.percentile(stepMs, percentile);
    }
}
