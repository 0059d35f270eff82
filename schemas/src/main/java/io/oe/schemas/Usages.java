package io.oe.schemas;

import io.oe.events.ModelUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way usage is summed, wherever it is (the gateway over an attempt's reports, the projector over attempts,
 * phases and agents, the monitor over an execution): counts add up, and entries with the same agent and model merge.
 */
public final class Usages {
    private Usages() {
    }

    /** {@code a + b}, keeping {@code a}'s agent and model. */
    public static ModelUsage plus(ModelUsage a, ModelUsage b) {
        return new ModelUsage(a.getAgent(), a.getModel(), a.getInputTokens() + b.getInputTokens(),
                a.getOutputTokens() + b.getOutputTokens(), a.getCachedTokens() + b.getCachedTokens(),
                a.getCostUsd() + b.getCostUsd(), a.getReports() + b.getReports(), a.getUnpricedReports() + b.getUnpricedReports());
    }

    /**
     * Each count the larger of {@code a}'s and {@code b}'s, keeping {@code a}'s agent and model: running totals of the
     * same reports raised to a later figure, never lowered by an earlier or lying one.
     */
    public static ModelUsage atLeast(ModelUsage a, ModelUsage b) {
        return new ModelUsage(a.getAgent(), a.getModel(), Math.max(a.getInputTokens(), b.getInputTokens()),
                Math.max(a.getOutputTokens(), b.getOutputTokens()), Math.max(a.getCachedTokens(), b.getCachedTokens()),
                Math.max(a.getCostUsd(), b.getCostUsd()), Math.max(a.getReports(), b.getReports()),
                Math.max(a.getUnpricedReports(), b.getUnpricedReports()));
    }

    public static ModelUsage zero(String agent, String model) {
        return new ModelUsage(agent, model, 0L, 0L, 0L, 0d, 0, 0);
    }

    /** Entries summed by agent and model (sorted by both), each relabelled with {@code agent} when it is not null. */
    public static List<ModelUsage> byModel(Collection<ModelUsage> entries, String agent) {
        Map<List<String>, ModelUsage> out = new LinkedHashMap<>();
        for (ModelUsage u : entries) {
            String a = agent != null ? agent : u.getAgent();
            out.merge(List.of(a, u.getModel()), plus(zero(a, u.getModel()), u), Usages::plus);
        }
        List<ModelUsage> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparing(ModelUsage::getAgent).thenComparing(ModelUsage::getModel));
        return sorted;
    }

    /** Everything summed into one entry (no agent, no model). */
    public static ModelUsage total(Collection<ModelUsage> entries) {
        return entries.stream().reduce(zero("", ""), Usages::plus);
    }

    /** Per agent, everything it used summed (agents sorted). */
    public static Map<String, ModelUsage> byAgent(Collection<ModelUsage> entries) {
        Map<String, ModelUsage> out = new java.util.TreeMap<>();
        for (ModelUsage u : entries) {
            out.merge(u.getAgent(), plus(zero(u.getAgent(), ""), u), Usages::plus);
        }
        return out;
    }

    /** Whether anything was reported at all. */
    public static boolean any(Collection<ModelUsage> entries) {
        return entries.stream().anyMatch(u -> u.getReports() > 0);
    }

    /** "12,345 tokens (1,000 in, 300 out, 11,045 cached), $0.0420": for logs, reports and the CLI. */
    public static String describe(ModelUsage u) {
        long tokens = u.getInputTokens() + u.getOutputTokens() + u.getCachedTokens();
        return String.format(java.util.Locale.ROOT, "%,d tokens (%,d in, %,d out, %,d cached), %s", tokens,
                u.getInputTokens(), u.getOutputTokens(), u.getCachedTokens(), cost(u));
    }

    /** "$0.0420", with "≥" and the unpriced reports when some could not be priced. */
    public static String cost(ModelUsage u) {
        String c = String.format(java.util.Locale.ROOT, "$%.4f", u.getCostUsd());
        return u.getUnpricedReports() == 0 ? c : "≥ " + c + " (" + u.getUnpricedReports() + " report(s) unpriced)";
    }
}
