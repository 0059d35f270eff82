package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.PlanBundle;
import io.oe.core.plan.PlanValidator;
import io.oe.core.plan.Violation;
import java.util.List;
import java.util.Map;

/** An engine.config.json given with START is checked like one given at init. */
final class ConfigCheck {
    private final PlanValidator validator;

    ConfigCheck(Map<String, String> schemas) {
        this.validator = new PlanValidator(schemas);
    }

    List<Violation> check(JsonNode config) {
        // Validate the config alone: the validator's config rules, without a plan to check.
        return validator.validateConfig(config);
    }
}
