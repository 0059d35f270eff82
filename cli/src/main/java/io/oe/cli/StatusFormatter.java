package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The human summary of an EngineState (monitor JSON, snake_case). */
public final class StatusFormatter {
    private StatusFormatter() {
    }

    public static String format(JsonNode s) {
        StringBuilder b = new StringBuilder();
        b.append("execution ").append(s.path("execution_id").asText()).append("  ")
                .append(s.path("project_name").asText()).append(" (plan ")
                .append(s.path("orchestration_plan_id").asText()).append(")")
                .append(s.path("dry_run").asBoolean() ? "  [DRY RUN]" : "").append('\n');
        if (s.path("dry_run").asBoolean()) {
            b.append("dry run:  sample outputs instead of agents (no agent process, no token); approvals not waited for");
            if (s.path("approval_gates").size() > 0) {
                List<String> gates = new ArrayList<>();
                s.path("approval_gates").forEach(g -> gates.add(g.asText()));
                b.append("; a real run waits for approval of phase ").append(String.join(", ", gates));
            }
            b.append('\n');
        }
        if (s.hasNonNull("reuse_from")) {
            long reused = 0;
            for (JsonNode d : s.path("reuse")) {
                reused += d.asText().startsWith("reused") ? 1 : 0;
            }
            b.append("reuse:    from ").append(s.path("reuse_from").asText()).append(": ").append(reused)
                    .append(" phase(s) reused\n");
        }
        b.append("status:   ").append(s.path("status").asText());
        if (!s.path("start_time").isMissingNode() && !s.path("start_time").isNull()) {
            b.append("   started ").append(s.path("start_time").asText());
        }
        if (!s.path("end_time").isMissingNode() && !s.path("end_time").isNull()) {
            b.append("   ended ").append(s.path("end_time").asText());
        }
        b.append('\n');
        if (s.hasNonNull("project_dir") && !s.path("project_dir").asText().isEmpty()) {
            b.append("project:  ").append(s.path("project_dir").asText()).append('\n');
        }

        JsonNode usage = s.path("usage");
        if (usage.path("reports").asInt() > 0) { // the monitor's words; by agent when more than one reported
            b.append("usage:    ").append(usage.path("text").asText()).append('\n');
            if (usage.path("by_agent").size() > 1) {
                usage.path("by_agent").forEach(a -> b.append(String.format("  %-26s %s%n", a.path("agent").asText(),
                        a.path("text").asText())));
            }
        }

        if (s.path("budget").isObject()) { // what the scheduler holds usage to (README, "Budgets")
            b.append("budget:   ").append(budget(s.path("budget"), s.path("budget_use"))).append('\n');
        }

        List<JsonNode> phases = new ArrayList<>();
        s.path("phases").forEach(phases::add);
        phases.sort(Comparator.comparingInt(p -> p.path("id").asInt()));

        Map<String, Map<String, Integer>> tiers = new LinkedHashMap<>();
        for (JsonNode t : s.path("tiers")) {
            tiers.put(t.path("name").asText(), new TreeMap<>());
        }
        for (JsonNode p : phases) {
            tiers.computeIfAbsent(p.path("tier").asText(""), k -> new TreeMap<>())
                    .merge(p.path("status").asText("?"), 1, Integer::sum);
        }
        if (!tiers.isEmpty()) {
            b.append("tiers:\n");
            tiers.forEach((name, counts) -> {
                int total = counts.values().stream().mapToInt(Integer::intValue).sum();
                b.append(String.format("  %-20s %2d phases: ", name.isEmpty() ? "(none)" : name, total));
                List<String> parts = new ArrayList<>();
                counts.forEach((st, n) -> parts.add(n + " " + st));
                b.append(String.join(", ", parts)).append('\n');
            });
        }
        b.append("phases:\n");
        for (JsonNode p : phases) {
            b.append(String.format("  %3s %-28s %-24s %-26s attempts %d", p.path("id").asText(),
                    p.path("name").asText(), p.path("agent").asText(), p.path("status").asText(),
                    p.path("attempts").asInt()));
            String note = note(p);
            if (!note.isEmpty()) {
                b.append("  ").append(note);
            }
            b.append('\n');
            if (p.path("usage").path("reports").asInt() > 0) {
                b.append("      usage: ").append(p.path("usage").path("text").asText()).append('\n');
                if (p.path("budget_use").hasNonNull("text")) { // beside what it used: a phase that used nothing has all of it
                    b.append("      budget: ").append(p.path("budget_use").path("text").asText()).append('\n');
                }
            }
            String reuse = s.path("reuse").path(p.path("id").asText()).asText(""); // reused, or why it ran
            if (!reuse.isEmpty()) {
                b.append("      reuse: ").append(reuse).append('\n');
            }
            String choice = p.path("alternative").path("reason").asText(""); // which agent alternative, and why
            if (!choice.isBlank() && !choice.equals(note)) {
                b.append("      alternative: ").append(choice).append('\n');
            }
        }
        int alerts = s.path("alerts").size();
        if (alerts > 0) {
            b.append("alerts: ").append(alerts).append(" (last: ")
                    .append(s.path("alerts").get(alerts - 1).path("message").asText()).append(")\n");
        }
        return b.toString();
    }

    /**
     * What to show beside a phase's status: the monitor's {@code note} (its reason, else its attempts; a state written
     * before notes existed: its reason), never {@code last_error}, which a phase keeps after a later attempt completed.
     * Empty when there is nothing to add.
     */
    static String note(JsonNode phase) {
        return (phase.has("note") ? phase.path("note") : phase.path("reason")).asText("");
    }

    /**
     * "execution tokens 2,150 of 10,000 (22 %); each phase 2,000 tokens; phase 3 4,000 tokens": the execution's limit
     * beside its usage in the monitor's words ({@code budget_use}), then the phases' limits (each phase's use shows
     * under it).
     */
    static String budget(JsonNode budget, JsonNode executionUse) {
        List<String> parts = new ArrayList<>();
        if (executionUse.hasNonNull("text")) {
            parts.add("execution " + executionUse.path("text").asText());
        }
        if (budget.path("phase").isObject()) {
            parts.add("each phase " + limit(budget.path("phase")));
        }
        budget.path("phases").fields().forEachRemaining(e -> parts.add("phase " + e.getKey() + " " + limit(e.getValue())));
        return String.join("; ", parts);
    }

    private static String limit(JsonNode limit) {
        List<String> parts = new ArrayList<>();
        if (limit.hasNonNull("tokens")) {
            parts.add(String.format(Locale.ROOT, "%,d tokens", limit.path("tokens").asLong()));
        }
        if (limit.hasNonNull("cost_usd")) {
            parts.add(String.format(Locale.ROOT, "$%.4f", limit.path("cost_usd").asDouble()));
        }
        return String.join(", ", parts);
    }
}
