package io.oe.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * What the services-over-Kafka architecture cannot avoid on this machine, measured on the stack's own broker with the
 * engine's client settings ({@link FloorProbe}), and the floor of one chain step composed from it. Times in ms,
 * each array sorted.
 *
 * <p>A chain step travels agent-result → handoff-service (exactly-once) → handoff-validated → phase-scheduler
 * (exactly-once) → phase-ready → agent-gateway (plain consumer), then starts a process. Its floor is the measured
 * path through two chained exactly-once hops ({@code twoEosPath}: a plain producer → EOS app → EOS app → a
 * read_committed consumer, the same three produce → consume legs) plus one process start. The sum of the separately
 * measured hops, 2 × EOS hop + plain hop + process start, is kept as a cross-check: it is higher, because each
 * separately measured hop counts its own produce → consume legs, so the legs between hops are counted twice.
 *
 * @param withProcess false when the agents run in-process ({@code --runner noop-in-process}): no process start
 * @param clientSettings the engine's settings the hops were measured with, as text for the output
 */
record Floor(double[] plainHop, double[] eosHop, double[] twoEosPath, double[] processStart, boolean withProcess,
        String clientSettings) {
    /** Independent draws that compose distributions: enough for a stable p99, seeded so that a run is repeatable. */
    static final int DRAWS = 100_000;
    private static final long SEED = 16;

    static final String COMPOSITION = "two chained exactly-once hops (measured as one path: producer -> EOS app -> EOS app"
            + " -> read_committed consumer, the three legs a step makes) + one process start";
    static final String COMPOSITION_IN_PROCESS = "two chained exactly-once hops (measured as one path: producer -> EOS app"
            + " -> EOS app -> read_committed consumer); the in-process runner starts no process";

    /** The floor of one chain step: the two-EOS path plus (unless in-process) one process start, drawn independently. */
    double[] step() {
        return withProcess ? sumOfDraws(twoEosPath, processStart) : twoEosPath;
    }

    /** The cross-check: 2 × EOS hop + plain hop (+ process start), each drawn independently. */
    double[] sumOfParts() {
        return withProcess ? sumOfDraws(eosHop, eosHop, plainHop, processStart) : sumOfDraws(eosHop, eosHop, plainHop);
    }

    String composition() {
        return withProcess ? COMPOSITION : COMPOSITION_IN_PROCESS;
    }

    /**
     * The distribution of a sum of independent parts, by drawing one value of each part {@link #DRAWS} times: adding
     * percentiles instead would make the p99 of the sum the sum of the p99s, which only happens if every part is slow
     * at once. Empty when a part is.
     */
    static double[] sumOfDraws(double[]... parts) {
        if (Arrays.stream(parts).anyMatch(p -> p.length == 0)) {
            return new double[0];
        }
        Random random = new Random(SEED);
        double[] out = new double[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            double sum = 0;
            for (double[] part : parts) {
                sum += part[random.nextInt(part.length)];
            }
            out[i] = sum;
        }
        Arrays.sort(out);
        return out;
    }
}
