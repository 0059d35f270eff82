package io.oe.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Everything a submission carries: the plan, the project plan, the engine config (may be null), the contract
 * files the plan names (path relative to the project directory → text) and the agent definitions (name without
 * {@code @} → text of {@code .github/agents/<name>.agent.md}).
 */
public record PlanBundle(JsonNode plan, JsonNode projectPlan, JsonNode config, Map<String, String> contracts,
        Map<String, String> agents) {
    /**
     * The largest bundle, as JSON, the plan-loader's REST intake takes (its {@code quarkus.http.limits.max-body-size});
     * {@code oe init} refuses a larger one before sending it.
     */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    public PlanBundle {
        contracts = contracts == null ? Map.of() : Map.copyOf(contracts);
        agents = agents == null ? Map.of() : Map.copyOf(agents);
    }
}
