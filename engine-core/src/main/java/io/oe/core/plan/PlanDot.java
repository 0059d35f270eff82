package io.oe.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plan as a Graphviz DOT graph (the seed's {@code .github/phase-flow.gv}): one cluster per tier labelled with its
 * mode, one node per phase ({@code p<id>}, its name and agent), and one edge per prerequisite as the engine computes
 * it ({@link PlanGraph}: tier order, explicit depends_on, input artifacts), less those another path implies. Conditional phases are dashed and carry
 * their condition; phases waiting for approval are doubled; phases already completed are grey.
 */
public final class PlanDot {
    private PlanDot() {
    }

    public static String render(Plan plan) {
        PlanGraph graph = PlanGraph.of(plan);
        Map<Integer, Phase> byId = plan.phasesById();
        StringBuilder dot = new StringBuilder();
        dot.append("digraph ").append(quote(plan.planId() == null ? "plan" : plan.planId())).append(" {\n");
        dot.append("  label=").append(quote(plan.projectName() == null ? "" : plan.projectName())).append(";\n");
        dot.append("  rankdir=TB; compound=true; node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        int t = 0;
        for (Tier tier : plan.tiers()) {
            dot.append("  subgraph cluster_").append(t++).append(" {\n");
            dot.append("    label=").append(quote(tier.name() + " (" + tier.mode().json() + ")")).append(";\n");
            for (int id : tier.phases()) {
                Phase p = byId.get(id);
                if (p != null) {
                    dot.append("    ").append(node(p)).append(";\n");
                }
            }
            dot.append("  }\n");
        }
        // Drawn without the edges another path already implies (PlanGraph.directPrerequisitesOf)
        for (int id : graph.phaseIds()) {
            for (int pre : graph.directPrerequisitesOf(id)) {
                dot.append("  p").append(pre).append(" -> p").append(id).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    private static String node(Phase p) {
        StringBuilder n = new StringBuilder("p").append(p.id()).append(" [label=")
                .append(quote(p.id() + ": " + p.name() + "\n" + p.agentLabel()));
        List<String> tooltip = new ArrayList<>();
        if (p.condition() != null && !p.condition().isBlank()) {
            n.append(", style=\"rounded,dashed\"");
            tooltip.add("if " + p.condition());
        }
        if (p.hasAlternatives()) { // the first whose condition holds runs the phase
            p.alternatives().forEach(a -> tooltip.add(a.agent() + (a.condition() == null ? " otherwise" : " if " + a.condition())));
        }
        if (!tooltip.isEmpty()) {
            n.append(", tooltip=").append(quote(String.join("\n", tooltip)));
        }
        if (p.needsApproval()) {
            n.append(", peripheries=2");
        }
        if (p.alreadyCompleted()) {
            n.append(", color=grey, fontcolor=grey");
        }
        return n.append("]").toString();
    }

    /** A DOT double-quoted string: quotes and backslashes escaped, newlines as \n, so plan text stays text. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n") + "\"";
    }
}
