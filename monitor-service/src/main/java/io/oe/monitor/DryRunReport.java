package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import java.util.Comparator;
import java.util.List;

/**
 * What a dry run found, phase by phase: which phases would run (their sample outputs passed every contract), which
 * would be skipped and why (the condition and its value), which would wait for a person's approval, and which failed
 * (a contract the plan's phase cannot meet, an input missing). The report's "Dry run" section (Markdown, so HTML too)
 * and its JSON {@code dry_run}.
 */
final class DryRunReport {
    /** The banner every rendering of a dry run starts with, so that nobody takes it for a run. */
    static final String BANNER = "DRY RUN: every agent was replaced by sample outputs that satisfy their contracts (no agent"
            + " process ran, no token was spent); approvals were not waited for; the project's files were left alone";

    /** One phase's outcome in a dry run. */
    record Outcome(int phaseId, String name, String agent, String outcome, String why) {
        String markdown() {
            return "- phase " + phaseId + " " + MarkdownText.text(name) + " (" + MarkdownText.text(agent) + "): "
                    + outcome + (why == null ? "" : ": " + MarkdownText.text(why));
        }
    }

    private DryRunReport() {
    }

    static List<Outcome> outcomes(EngineState s) {
        return s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).map(p -> {
            boolean gate = s.getApprovalGates().contains(p.getId());
            PhaseStatus status = PhaseStatus.parse(p.getStatus());
            String outcome;
            String why;
            if (status == PhaseStatus.COMPLETED) {
                outcome = p.getAttempts() == 0 ? "completed before this execution"
                        : gate ? "would wait for approval, then run" : "would run";
                why = p.getAttempts() == 0 ? null : "sample outputs passed their contracts";
            } else if (status == PhaseStatus.SKIPPED) {
                outcome = "would be skipped";
                why = p.getReason();
            } else if (status.countsAsFailed()) {
                outcome = "failed";
                why = p.getLastError() != null ? p.getLastError() : p.getReason();
            } else {
                outcome = gate ? "would wait for approval; " + status.json() : status.json();
                why = null;
            }
            return new Outcome(p.getId(), p.getName(), p.getAgent(), outcome, why == null ? null : Report.firstLine(why));
        }).toList();
    }

    static void markdown(StringBuilder r, EngineState s) {
        r.append("\n## Dry run\n\n");
        outcomes(s).forEach(o -> r.append(o.markdown()).append('\n'));
    }

    static void json(ObjectNode report, EngineState s) {
        ArrayNode list = report.putObject("dry_run").put("text", BANNER).putArray("phases");
        outcomes(s).forEach(o -> list.addObject().put("phase_id", o.phaseId()).put("name", o.name()).put("agent", o.agent())
                .put("outcome", o.outcome()).put("why", o.why()));
    }
}
