package io.oe.core.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model costs, in US dollars per million tokens, as the runner configuration's {@code prices} say. It lives in
 * the trusted runner configuration, not in a plan's engine.config.json: whoever submits a plan must not be able to
 * make its agents look free. {@code cached}: input tokens read from a cache; input's price when absent.
 */
public record ModelPrice(@JsonProperty("input_per_million") Double input, @JsonProperty("output_per_million") Double output,
        @JsonProperty("cached_per_million") Double cached) {
    /** A price above this per million tokens is a typo (no model costs that much), refused with the model's name. */
    static final double MAX_PER_MILLION = 10_000;

    /** The cost of these tokens at this price. */
    public double cost(long inputTokens, long outputTokens, long cachedTokens) {
        double cachedPrice = cached != null ? cached : input;
        return (inputTokens * input + outputTokens * output + cachedTokens * cachedPrice) / 1_000_000d;
    }

    /** What is wrong with the price of {@code model}, each naming it and the key. */
    List<String> problems(String model) {
        List<String> out = new ArrayList<>();
        check(out, model, "input_per_million", input, true);
        check(out, model, "output_per_million", output, true);
        check(out, model, "cached_per_million", cached, false);
        return out;
    }

    private static void check(List<String> out, String model, String key, Double value, boolean required) {
        if (value == null) {
            if (required) {
                out.add("prices['" + model + "']." + key + " is missing");
            }
        } else if (!Double.isFinite(value) || value < 0 || value > MAX_PER_MILLION) {
            out.add("prices['" + model + "']." + key + " is " + value + "; a price is 0 to " + (long) MAX_PER_MILLION
                    + " US dollars per million tokens");
        }
    }
}
