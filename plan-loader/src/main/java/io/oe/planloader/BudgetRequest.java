package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.Violation;
import java.util.List;

/**
 * A BUDGET command's own fields ({@code tokens}, {@code cost_usd}) as the REST body gives them: at least one, each a
 * positive number within {@link BudgetLimit}'s bounds (tokens a whole number). Whether the new limit is above what the
 * execution already used is the scheduler's to say (usage is its state; it refuses, naming both figures, and changes
 * nothing); whether it is within the runner configuration's ceiling the resource checks.
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
}
