package io.oe.projector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.AgentResult;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import io.oe.events.PhaseState;
import io.oe.schemas.Usages;
import java.util.ArrayList;
import java.util.List;

/**
 * An agent-result's usage in the state: the attempt's as reported, the phase's summed over its attempts by model,
 * the execution's summed over its phases by agent and model. The attempt's is replaced, not added, so a result read
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
        List<AttemptRecord> history = new ArrayList<>(phase.getAttemptHistory());
        AttemptRecord attempt = history.stream().filter(a -> a.getNumber() == r.getAttempt()).findFirst().orElse(null);
        if (attempt == null) { // its ready transition not read yet: the record begins here, the transition completes it
            attempt = AttemptRecord.newBuilder().setNumber(r.getAttempt()).build();
            history.add(attempt);
            history.sort(java.util.Comparator.comparingInt(AttemptRecord::getNumber));
            phase.setAttemptHistory(history);
        }
        attempt.setUsage(Usages.byModel(r.getUsage(), ""));
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
