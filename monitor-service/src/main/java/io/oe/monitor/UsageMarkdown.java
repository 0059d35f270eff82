package io.oe.monitor;

import static io.oe.monitor.MarkdownText.text;

import io.oe.core.plan.Budget;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import io.oe.events.PhaseState;
import io.oe.schemas.Usages;
import java.util.Comparator;
import java.util.Locale;

/**
 * The report's usage: one line in its summary, a section by agent and model, and each attempt that reported usage; and
 * its budget: the execution's limit beside its usage in the summary, a section with every limit beside its usage.
 */
final class UsageMarkdown {
    private UsageMarkdown() {
    }

    /** "12,345 tokens (...), $0.0420", or "none reported". */
    static String summary(EngineState s) {
        return Usages.any(s.getUsage()) ? Usages.describe(Usages.total(s.getUsage())) : "none reported";
    }

    static void section(StringBuilder r, EngineState s) {
        if (!Usages.any(s.getUsage())) {
            return;
        }
        r.append("\n## Usage\n\n| agent | model | input | output | cached | cost |\n|---|---|---|---|---|---|\n");
        for (ModelUsage u : s.getUsage()) {
            row(r, text(u.getAgent()), u);
        }
        row(r, "**total**", Usages.total(s.getUsage()));
        r.append("\n| phase | attempt | model | input | output | cached | cost |\n|---|---|---|---|---|---|---|\n");
        s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).forEach(p -> {
            for (AttemptRecord a : p.getAttemptHistory()) {
                for (ModelUsage u : a.getUsage()) {
                    r.append("| ").append(p.getId()).append(' ').append(text(p.getName())).append(" | ").append(a.getNumber())
                            .append(' ');
                    row(r, "", u);
                }
            }
        });
    }

    private static void row(StringBuilder r, String first, ModelUsage u) {
        if (!first.isEmpty()) {
            r.append("| ").append(first).append(' ');
        }
        r.append("| ").append(u.getModel().isEmpty() ? "—" : text(u.getModel())).append(" | ")
                .append(count(u.getInputTokens())).append(" | ").append(count(u.getOutputTokens())).append(" | ")
                .append(count(u.getCachedTokens())).append(" | ").append(text(Usages.cost(u))).append(" |\n");
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "| Budget | tokens 1,234 of 5,000 (25 %) |": the execution's limit beside its usage, when it has one. */
    static void budgetSummary(StringBuilder r, EngineState s) {
        var use = BudgetJson.execution(BudgetJson.budget(s), s);
        if (use != null) {
            r.append("| Budget | ").append(text(use.path("text").asText())).append(" |\n");
        }
    }

    /** Each limit beside its usage: the execution's and every phase's that has one. */
    static void budgetSection(StringBuilder r, EngineState s) {
        Budget budget = BudgetJson.budget(s);
        if (budget == null) {
            return;
        }
        r.append("\n## Budget\n\n| budget | used of the limit |\n|---|---|\n");
        var execution = BudgetJson.execution(budget, s);
        if (execution != null) {
            r.append("| the execution | ").append(text(execution.path("text").asText())).append(" |\n");
        }
        s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).forEach(p -> {
            var use = BudgetJson.phase(budget, p);
            if (use != null) {
                r.append("| phase ").append(p.getId()).append(' ').append(text(p.getName())).append(" | ")
                        .append(text(use.path("text").asText())).append(" |\n");
            }
        });
    }
}
