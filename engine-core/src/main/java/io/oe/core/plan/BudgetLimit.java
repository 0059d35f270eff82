package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One budget: at most {@code tokens} (input + output + cached, as agents report them) and/or {@code costUsd} US dollars.
 * A measure left null is not limited. Tokens count cached ones too: a token budget bounds how much the models read and
 * write, whatever it is billed; the cost budget is the money, where a cache's discount shows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BudgetLimit(@JsonProperty("tokens") Long tokens, @JsonProperty("cost_usd") Double costUsd) {
    /** More than this many tokens for one budget is a typo (a trillion), refused with its place. */
    public static final long MAX_TOKENS = 1_000_000_000_000L;
    /** More than this many US dollars for one budget is a typo, refused with its place. */
    public static final double MAX_COST_USD = 1_000_000;

    @JsonIgnore // not a key of the config
    public boolean isEmpty() {
        return tokens == null && costUsd == null;
    }

    /** This limit, each measure it does not give taken from {@code fallback} (either may be null). */
    public BudgetLimit or(BudgetLimit fallback) {
        if (fallback == null) {
            return this;
        }
        return new BudgetLimit(tokens != null ? tokens : fallback.tokens, costUsd != null ? costUsd : fallback.costUsd);
    }

    /** What share of a limit {@code used} is, in whole percent (rounded): how budgets are shown and alerted on. */
    public static long percent(double used, double limit) {
        return Math.round(used / limit * 100);
    }

    /**
     * Each measure of this limit beside what is used of it: "tokens 1,234 of 5,000 (25 %); cost $0.0420 of $1.0000
     * (4 %)". The words the state, the report, the dashboard, oe status and oe watch show.
     */
    public String use(long usedTokens, double usedCostUsd) {
        List<String> parts = new ArrayList<>();
        if (tokens != null) {
            parts.add(String.format(Locale.ROOT, "tokens %,d of %,d (%d %%)", usedTokens, tokens, percent(usedTokens, tokens)));
        }
        if (costUsd != null) {
            parts.add("cost " + Budget.usd(usedCostUsd) + " of " + Budget.usd(costUsd) + " (" + percent(usedCostUsd, costUsd)
                    + " %)");
        }
        return String.join("; ", parts);
    }

    /** What is wrong with the values, each naming its place ({@code where}: e.g. {@code config.budget.phase}). */
    public List<String> problems(String where) {
        List<String> out = new ArrayList<>();
        if (tokens != null && (tokens <= 0 || tokens > MAX_TOKENS)) {
            out.add(where + ".tokens is " + tokens + "; a token budget is a whole number from 1 to " + MAX_TOKENS);
        }
        if (costUsd != null && (!Double.isFinite(costUsd) || costUsd <= 0 || costUsd > MAX_COST_USD)) {
            out.add(where + ".cost_usd is " + costUsd + "; a cost budget is more than 0 and at most "
                    + (long) MAX_COST_USD + " US dollars");
        }
        return out;
    }
}
