package io.oe.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The usage an agent CLI prints in its JSON output mode, read from its stdout lines as the same reports as
 * {@code ::usage::} lines (same rules, {@link UsageLine#fromFields}); a profile's {@code usage_format} says which
 * (docs/agents.md, "What each agent CLI reports"). Lines that are not the CLI's usage are left alone.
 */
@FunctionalInterface
interface CliUsage {
    List<UsageLine> read(String line);

    CliUsage NONE = line -> List.of();

    ObjectMapper JSON = new ObjectMapper();

    static CliUsage reader(String usageFormat) {
        if (usageFormat == null) {
            return NONE;
        }
        return switch (usageFormat) {
            case "claude-json" -> json(CliUsage::claude);
            case "codex-jsonl" -> json(CliUsage::codex);
            default -> NONE; // RunnerConfig refuses any other at load
        };
    }

    private static CliUsage json(Function<JsonNode, List<UsageLine>> read) {
        return line -> {
            String s = line.strip();
            if (!s.startsWith("{") || !s.contains("usage")) {
                return List.of();
            }
            try {
                JsonNode n = JSON.readTree(s);
                return n != null && n.isObject() ? read.apply(n) : List.of();
            } catch (IOException e) {
                return List.of(); // not JSON: ordinary output
            }
        };
    }

    /**
     * Claude Code's result ({@code --output-format json}, or the last line of {@code stream-json}): per model in
     * {@code modelUsage} (tokens and {@code costUSD}), else the run's {@code usage} and {@code total_cost_usd}. Cache
     * writes count as input; cache reads as cached.
     */
    private static List<UsageLine> claude(JsonNode n) {
        if (!"result".equals(n.path("type").asText())) {
            return List.of();
        }
        List<UsageLine> out = new ArrayList<>();
        JsonNode models = n.path("modelUsage");
        if (models.isObject() && !models.isEmpty()) {
            models.fields().forEachRemaining(m -> {
                JsonNode u = m.getValue();
                Map<String, String> f = new LinkedHashMap<>();
                f.put("model", m.getKey());
                f.put("input", sum(u, "inputTokens", "cacheCreationInputTokens"));
                f.put("output", u.path("outputTokens").asText("0"));
                f.put("cached", u.path("cacheReadInputTokens").asText("0"));
                if (u.has("costUSD")) {
                    f.put("cost", decimal(u.path("costUSD")));
                }
                out.add(UsageLine.fromFields(f, "Claude Code result (modelUsage." + m.getKey() + ")"));
            });
            return out;
        }
        JsonNode u = n.path("usage");
        if (!u.isObject()) {
            return List.of();
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("input", sum(u, "input_tokens", "cache_creation_input_tokens"));
        f.put("output", u.path("output_tokens").asText("0"));
        f.put("cached", u.path("cache_read_input_tokens").asText("0"));
        if (n.has("total_cost_usd")) {
            f.put("cost", decimal(n.path("total_cost_usd")));
        }
        return List.of(UsageLine.fromFields(f, "Claude Code result (usage)"));
    }

    /**
     * Codex's {@code turn.completed} event ({@code exec --json}): input, cached input and output tokens of the turn;
     * no model (the profile's) and no cost (the price table's). Its input includes the cached tokens.
     */
    private static List<UsageLine> codex(JsonNode n) {
        if (!"turn.completed".equals(n.path("type").asText()) || !n.path("usage").isObject()) {
            return List.of();
        }
        JsonNode u = n.path("usage");
        Map<String, String> f = new LinkedHashMap<>();
        JsonNode input = u.path("input_tokens");
        JsonNode cached = u.path("cached_input_tokens");
        boolean counts = input.canConvertToExactIntegral() && cached.canConvertToExactIntegral()
                && cached.asLong() >= 0 && cached.asLong() <= input.asLong();
        // their input includes the cached tokens; a pair that does not add up is passed as given, to be judged
        f.put("input", counts ? String.valueOf(input.asLong() - cached.asLong()) : input.asText("0"));
        f.put("output", u.path("output_tokens").asText("0"));
        f.put("cached", cached.asText("0"));
        return List.of(UsageLine.fromFields(f, "Codex turn.completed"));
    }

    /** Two counts added when both are whole numbers, else the first as written (then refused, naming it). */
    private static String sum(JsonNode u, String a, String b) {
        JsonNode x = u.path(a);
        JsonNode y = u.path(b);
        if ((x.isMissingNode() || x.canConvertToExactIntegral()) && (y.isMissingNode() || y.canConvertToExactIntegral())) {
            return String.valueOf(x.asLong(0) + y.asLong(0));
        }
        return x.asText();
    }

    private static String decimal(JsonNode v) {
        return v.isNumber() ? v.decimalValue().toPlainString() : v.asText();
    }
}
