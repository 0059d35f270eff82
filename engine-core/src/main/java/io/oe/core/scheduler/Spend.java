package io.oe.core.scheduler;

/**
 * What agents used, as a budget counts it: tokens (input + output + cached) and US dollars. An attempt's figure only
 * grows ({@link #atLeast}): a report that says less than an earlier one (a lying or reordered agent) lowers nothing.
 */
public record Spend(long tokens, double costUsd) {
    public static final Spend NONE = new Spend(0, 0);

    public Spend plus(Spend o) {
        return o == null ? this : new Spend(tokens + o.tokens, costUsd + o.costUsd);
    }

    public Spend minus(Spend o) {
        return new Spend(tokens - o.tokens, costUsd - o.costUsd);
    }

    /** Each measure the larger of the two. */
    public Spend atLeast(Spend o) {
        return o == null ? this : new Spend(Math.max(tokens, o.tokens), Math.max(costUsd, o.costUsd));
    }
}
