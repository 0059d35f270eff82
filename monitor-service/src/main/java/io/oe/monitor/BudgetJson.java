package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.PlanJson;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import io.oe.events.PhaseState;
import io.oe.schemas.Usages;
import java.util.List;

/**
 * Each budget limit beside its usage, as users read it (the state, the JSON and Markdown reports, the dashboard, oe
 * status and oe watch): per measure the tokens or dollars used, the limit and the share, and the words
 * ({@link BudgetLimit#use}). The budget is the one the scheduler applied (the projector keeps it in the config).
 */
final class BudgetJson {
    private BudgetJson() {
    }

    /** The execution's budget as the scheduler applied it; null when it has none (or its config cannot be read). */
    static Budget budget(EngineState s) {
        try {
            return PlanJson.config(StateJson.config(s)).budget();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The execution's limit beside everything its agents used; null without one. */
    static ObjectNode execution(Budget budget, EngineState s) {
        return budget == null ? null : of(budget.execution(), s.getUsage());
    }

    /** The phase's limit (its own, else the one of every phase) beside what its attempts used; null without one. */
    static ObjectNode phase(Budget budget, PhaseState p) {
        return budget == null ? null : of(budget.forPhase(p.getId()), p.getUsage());
    }

    /** {"tokens": {"used", "limit", "percent"}, "cost_usd": {...}, "text"}: each measure the limit has; null: none. */
    static ObjectNode of(BudgetLimit limit, List<ModelUsage> usage) {
        if (limit == null || limit.isEmpty()) {
            return null;
        }
        ModelUsage used = Usages.total(usage);
        long tokens = used.getInputTokens() + used.getOutputTokens() + used.getCachedTokens();
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        if (limit.tokens() != null) {
            o.putObject("tokens").put("used", tokens).put("limit", limit.tokens())
                    .put("percent", BudgetLimit.percent(tokens, limit.tokens()));
        }
        if (limit.costUsd() != null) {
            o.putObject("cost_usd").put("used", used.getCostUsd()).put("limit", limit.costUsd())
                    .put("percent", BudgetLimit.percent(used.getCostUsd(), limit.costUsd()));
        }
        o.put("text", limit.use(tokens, used.getCostUsd()));
        return o;
    }
}
