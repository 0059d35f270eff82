package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.ModelUsage;
import io.oe.schemas.Usages;
import java.util.List;

/**
 * Usage as users read it (the state, the JSON report, the dashboard, oe status): the totals, then by model, and for
 * the execution by agent. Sums come from {@link Usages}, the projector's; nothing is added up a second way here.
 */
final class UsageJson {
    private UsageJson() {
    }

    /** An attempt's or a phase's: totals and by model. */
    static ObjectNode of(List<ModelUsage> entries) {
        ObjectNode o = totals(Usages.total(entries));
        ArrayNode models = o.putArray("by_model");
        Usages.byModel(entries, "").forEach(u -> models.add(totals(u).put("model", u.getModel())));
        return o;
    }

    /** The execution's: totals, by model, and by agent (each with its models). */
    static ObjectNode execution(List<ModelUsage> byAgentAndModel) {
        ObjectNode o = of(byAgentAndModel);
        ArrayNode agents = o.putArray("by_agent");
        Usages.byAgent(byAgentAndModel).forEach((agent, total) -> {
            ObjectNode a = totals(total).put("agent", agent);
            ArrayNode models = a.putArray("by_model");
            byAgentAndModel.stream().filter(u -> u.getAgent().equals(agent))
                    .forEach(u -> models.add(totals(u).put("model", u.getModel())));
            agents.add(a);
        });
        return o;
    }

    static ObjectNode totals(ModelUsage u) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        o.put("input_tokens", u.getInputTokens());
        o.put("output_tokens", u.getOutputTokens());
        o.put("cached_tokens", u.getCachedTokens());
        o.put("total_tokens", u.getInputTokens() + u.getOutputTokens() + u.getCachedTokens());
        o.put("cost_usd", u.getCostUsd());
        o.put("reports", u.getReports());
        o.put("unpriced_reports", u.getUnpricedReports());
        o.put("text", Usages.describe(u)); // the words oe status, oe watch and the dashboard show
        return o;
    }
}
