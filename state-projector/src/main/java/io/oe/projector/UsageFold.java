package io.oe.projector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import io.oe.events.PhaseState;
import io.oe.schemas.Usages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage in the state: an attempt's as it runs (USAGE running totals, {@link #running}) and then as its agent-result
 * reports it, the phase's summed over its attempts by model, the execution's summed over its phases by agent and model. The attempt's is replaced, not added, so a result read
 * twice counts once; the sums are recomputed from the attempts (one result per attempt: cheap).
 */
final class UsageFold {
    private UsageFold() {
    }

    static void apply(EngineState s, AgentResult r) {
        PhaseState phase = s.getPhases().get(String.valueOf(r.getPhaseId()));
        if (phase == null || r.getUsage().isEmpty() && !Usages.any(attemptUsage(phase, r.getAttempt()))) {
            return;
        }
        attempt(phase, r.getAttempt()).setUsage(Usages.byModel(r.getUsage(), ""));
        sum(s, phase);
    }

    /**
     * A running attempt's usage so far (USAGE: the gateway's running totals), so readers see it while the agent runs:
     * each of the attempt's figures by model raised to it, never lowered (a reordered or lying lower report changes
     * nothing). The result's figure, which the gateway sums from the same reports, replaces it ({@link #apply}) and so
     * is final: a USAGE read after it is not above it. Whether anything changed.
     */
    static boolean running(EngineState s, AgentProgress a) {
        PhaseState phase = s.getPhases().get(String.valueOf(a.getPhaseId()));
        if (phase == null || a.getUsage().isEmpty()) {
            return false;
        }
        AttemptRecord attempt = attempt(phase, a.getAttempt());
        Map<String, ModelUsage> byModel = new LinkedHashMap<>();
        attempt.getUsage().forEach(u -> byModel.put(u.getModel(), u));
        for (ModelUsage u : Usages.byModel(a.getUsage(), "")) {
            byModel.merge(u.getModel(), u, Usages::atLeast);
        }
        List<ModelUsage> raised = Usages.byModel(byModel.values(), "");
        if (raised.equals(attempt.getUsage())) {
            return false;
        }
        attempt.setUsage(raised);
        sum(s, phase);
        return true;
    }

    /** The phase's record of attempt {@code number}; one begins here when its ready transition was not read yet. */
    private static AttemptRecord attempt(PhaseState phase, int number) {
        List<AttemptRecord> history = new ArrayList<>(phase.getAttemptHistory());
        AttemptRecord attempt = history.stream().filter(a -> a.getNumber() == number).findFirst().orElse(null);
        if (attempt == null) { // the transition completes it
            attempt = AttemptRecord.newBuilder().setNumber(number).build();
            history.add(attempt);
            history.sort(Comparator.comparingInt(AttemptRecord::getNumber));
            phase.setAttemptHistory(history);
        }
        return attempt;
    }

    /** The phase's usage summed over its attempts, the execution's over its phases (by agent and model). */
    private static void sum(EngineState s, PhaseState phase) {
        phase.setUsage(Usages.byModel(phase.getAttemptHistory().stream().flatMap(a -> a.getUsage().stream()).toList(), ""));
        List<ModelUsage> all = new ArrayList<>();
        for (PhaseState p : s.getPhases().values()) {
            p.getUsage().forEach(u -> all.add(Usages.plus(Usages.zero(p.getAgent(), u.getModel()), u)));
        }
        s.setUsage(Usages.byModel(all, null));
    }

    private static List<ModelUsage> attemptUsage(PhaseState phase, int attempt) {
        return phase.getAttemptHistory().stream().filter(a -> a.getNumber() == attempt).findFirst()
                .map(AttemptRecord::getUsage).orElse(List.of());
    }

    /** "; used 1,234 tokens (...), $0.0100" and the refused reports, for the log line. */
    static String words(AgentResult r) {
        String out = r.getUsage().isEmpty() ? "" : "; used " + Usages.describe(Usages.total(r.getUsage()));
        if (!r.getUsageProblems().isEmpty()) {
            out += "; usage: " + r.getUsageProblems().get(0)
                    + (r.getUsageProblems().size() > 1 ? " (and " + (r.getUsageProblems().size() - 1) + " more)" : "");
        }
        return out;
    }

    static void details(ObjectNode d, AgentResult r) {
        if (!r.getUsage().isEmpty()) {
            ArrayNode list = d.putArray("usage");
            r.getUsage().forEach(u -> list.addObject().put("model", u.getModel()).put("input_tokens", u.getInputTokens())
                    .put("output_tokens", u.getOutputTokens()).put("cached_tokens", u.getCachedTokens())
                    .put("cost_usd", u.getCostUsd()).put("reports", u.getReports()).put("unpriced_reports", u.getUnpricedReports()));
        }
        if (!r.getUsageProblems().isEmpty()) {
            ArrayNode list = d.putArray("usage_problems");
            r.getUsageProblems().forEach(list::add);
        }
    }
}
