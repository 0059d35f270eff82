package io.oe.core.scheduler;

import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The budget rule, pure: when usage crosses 80 % of a limit (a warning) or reaches it (exceeded), when a budget is used
 * up, and whether a person's new limit may replace it. A crossing is found by comparing the usage before and after one
 * input, and usage only grows, so each warning comes once per limit (a raised limit can warn again) without keeping
 * what was raised, also across restarts.
 */
final class BudgetCheck {
    /** The share of a budget at which a warning is raised. */
    static final double WARN_AT = 0.8;

    private BudgetCheck() {
    }

    enum Level { WARNING, EXCEEDED }

    /** Usage of {@code budget} (e.g. "the execution's budget") crossed {@code level} of one measure. */
    record Crossing(Level level, String budget, String text) {
    }

    /** What crossed 80 % or 100 % of {@code limit} between {@code before} and {@code after}, warnings first. */
    static List<Crossing> crossings(String budget, BudgetLimit limit, Spend before, Spend after) {
        List<Crossing> out = new ArrayList<>();
        if (limit == null) {
            return out;
        }
        for (Level level : Level.values()) {
            double share = level == Level.WARNING ? WARN_AT : 1.0;
            if (limit.tokens() != null && crossed(before.tokens(), after.tokens(), limit.tokens() * share)) {
                out.add(new Crossing(level, budget, used(budget, after, limit, true)));
            }
            if (limit.costUsd() != null && crossed(before.costUsd(), after.costUsd(), limit.costUsd() * share)) {
                out.add(new Crossing(level, budget, used(budget, after, limit, false)));
            }
        }
        return out;
    }

    private static boolean crossed(double before, double after, double at) {
        return before < at && after >= at;
    }

    /** Why nothing more may run under {@code limit}: a measure is used up; empty while some is left. */
    static Optional<String> exhausted(String budget, BudgetLimit limit, Spend used) {
        if (limit == null) {
            return Optional.empty();
        }
        if (limit.tokens() != null && used.tokens() >= limit.tokens()) {
            return Optional.of(used(budget, used, limit, true));
        }
        if (limit.costUsd() != null && used.costUsd() >= limit.costUsd()) {
            return Optional.of(used(budget, used, limit, false));
        }
        return Optional.empty();
    }

    /**
     * Why a person's new limit is refused: malformed, or not a raise of {@code current} above what is used
     * ({@link Budget#raiseRefusal}, the rule the plan-loader applies too, without the usage).
     */
    static Optional<String> raiseRefusal(Budget current, Integer phaseId, BudgetLimit raised, Spend used) {
        if (raised == null || raised.isEmpty()) {
            return Optional.of("BUDGET refused: it gives neither tokens nor cost_usd");
        }
        var problems = raised.problems("BUDGET");
        if (!problems.isEmpty()) {
            return Optional.of("BUDGET refused: " + String.join("; ", problems));
        }
        return Budget.raiseRefusal(current, phaseId, raised, used.tokens(), used.costUsd())
                .map(v -> "BUDGET refused: " + v.message());
    }

    /** "the execution's budget: 850 of 1000 tokens used (85 %)". */
    private static String used(String budget, Spend used, BudgetLimit limit, boolean tokens) {
        long percent = tokens ? BudgetLimit.percent(used.tokens(), limit.tokens())
                : BudgetLimit.percent(used.costUsd(), limit.costUsd());
        String figures = tokens ? used.tokens() + " of " + limit.tokens() + " tokens"
                : usd(used.costUsd()) + " of " + usd(limit.costUsd());
        return budget + ": " + figures + " used (" + percent + " %)";
    }

    static String usd(double v) {
        return Budget.usd(v);
    }
}
