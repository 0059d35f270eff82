package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import java.util.Comparator;
import java.util.List;

/**
 * A memoized resubmission's section of the report: the execution it reused from and, phase by phase, whether the
 * phase was reused (from which execution and attempt) or why it ran ("agent definition changed", "input design.json
 * changed", "no completed attempt in execution X"), as the scheduler decided it; a phase it never decided on (skipped
 * before) says its status.
 */
final class ReuseReport {
    private ReuseReport() {
    }

    static void markdown(StringBuilder r, EngineState s) {
        if (s.getReuseFrom() == null) {
            return;
        }
        r.append("\n## Reuse\n\nResubmitted with reuse from ").append(MarkdownText.code(s.getReuseFrom())).append(": ")
                .append(count(s, "reused")).append(" phase(s) reused, ").append(count(s, "runs")).append(" ran.\n\n");
        phases(s).forEach(p -> r.append("- phase ").append(p.getId()).append(' ').append(MarkdownText.text(p.getName()))
                .append(": ").append(MarkdownText.text(decision(s, p))).append('\n'));
    }

    static void json(ObjectNode report, EngineState s) {
        if (s.getReuseFrom() == null) {
            return;
        }
        ObjectNode reuse = report.putObject("reuse").put("from", s.getReuseFrom());
        ArrayNode list = reuse.putArray("phases");
        phases(s).forEach(p -> list.addObject().put("phase_id", p.getId()).put("name", p.getName())
                .put("reused", decision(s, p).startsWith("reused")).put("decision", decision(s, p)));
    }

    private static List<PhaseState> phases(EngineState s) {
        return s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).toList();
    }

    private static String decision(EngineState s, PhaseState p) {
        String d = s.getReuse().get(String.valueOf(p.getId()));
        return d != null ? d : p.getStatus() + (p.getReason() == null ? "" : ": " + Report.firstLine(p.getReason()));
    }

    private static long count(EngineState s, String prefix) {
        return s.getReuse().values().stream().filter(d -> d.startsWith(prefix)).count();
    }
}
