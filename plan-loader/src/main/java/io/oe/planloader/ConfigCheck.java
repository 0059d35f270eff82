package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.plan.Violation;
import java.util.List;
import java.util.Map;

/**
 * An engine.config.json given with START is checked like one given at init, by the same validator with the same
 * runner configuration: a budget above its {@code budget_ceiling} is refused naming both keys.
 */
final class ConfigCheck {
    private final PlanValidator validator;

    /** @param runners the trusted runner configuration (null: none, so no ceiling) */
    ConfigCheck(Map<String, String> schemas, RunnerConfig runners) {
        this.validator = new PlanValidator(schemas, runners);
    }

    List<Violation> check(JsonNode config) {
        // Validate the config alone: the validator's config rules, without a plan to check.
        return validator.validateConfig(config);
    }

    /**
     * A checked config as the scheduler is to run it: a budget it gives has each measure it leaves out from the
     * ceiling, as at load ({@link PlanValidator#bounded}). One without a budget is left so: the scheduler keeps the
     * one the execution was loaded with, which was bounded then.
     */
    JsonNode bounded(JsonNode config) {
        if (!(config instanceof ObjectNode o) || !o.hasNonNull("budget")) {
            return config;
        }
        var bounded = validator.bounded(PlanJson.config(o)).budget();
        ObjectNode out = o.deepCopy();
        out.set("budget", PlanJson.MAPPER.valueToTree(bounded));
        return out;
    }
}
