package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.Violation;
import java.util.List;
import java.util.Optional;

/**
 * A BUDGET command's own fields ({@code tokens}, {@code cost_usd}) as the REST body gives them: at least one, each a
 * positive number within {@link BudgetLimit}'s bounds (tokens a whole number); then whether it raises the limit the
 * execution holds ({@link #notARaise}). Whether it is above what the execution already used is the scheduler's to say
 * too (usage is its state; it refuses, naming both figures, and changes nothing); whether it is within the runner
 * configuration's ceiling the resource checks.
 */
final class BudgetRequest {
    static final List<String> FIELDS = List.of("tokens", "cost_usd");

    private BudgetRequest() {
    }

    sealed interface Read {
        record Ok(BudgetLimit limit) implements Read {
        }

        record Wrong(Violation violation) implements Read {
        }
    }

    static Read read(JsonNode body) {
        JsonNode tokens = body.get("tokens");
        JsonNode cost = body.get("cost_usd");
        boolean hasTokens = tokens != null && !tokens.isNull();
        boolean hasCost = cost != null && !cost.isNull();
        if (!hasTokens && !hasCost) {
            return new Read.Wrong(new Violation("tokens", "BUDGET needs tokens, cost_usd or both"));
        }
        if (hasTokens && !(tokens.isIntegralNumber() && tokens.canConvertToLong())) {
            return new Read.Wrong(new Violation("tokens", "must be a whole number, not " + tokens));
        }
        if (hasCost && !cost.isNumber()) {
            return new Read.Wrong(new Violation("cost_usd", "must be a number, not " + cost));
        }
        BudgetLimit limit = new BudgetLimit(hasTokens ? tokens.asLong() : null, hasCost ? cost.asDouble() : null);
        var problems = limit.problems("budget");
        if (!problems.isEmpty()) {
            return new Read.Wrong(new Violation(problems.get(0).startsWith("budget.tokens") ? "tokens" : "cost_usd",
                    problems.get(0).substring("budget.".length())));
        }
        return new Read.Ok(limit);
    }

    /**
     * Why {@code limit} does not raise the limit it would replace in {@code current} (the budget the scheduler last
     * applied, as the directory knows it; null: none): {@link Budget#raiseRefusal}, the scheduler's rule, with no usage
     * counted here (the scheduler checks that).
     */
    static Optional<Violation> notARaise(Budget current, Integer phaseId, BudgetLimit limit) {
        return Budget.raiseRefusal(current, phaseId, limit, 0, 0);
    }
}
