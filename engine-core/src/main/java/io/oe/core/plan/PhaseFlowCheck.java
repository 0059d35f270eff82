package io.oe.core.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project's {@code .github/phase-flow.gv} against its plan: every edge of the file must be a dependency the plan
 * has (directly or through other phases), and every direct dependency of the plan must be a path in the file. Nodes
 * name phases as {@code p12} (what {@code oe graph} writes), {@code phase_12} or {@code 12}.
 */
public final class PhaseFlowCheck {
    public static final String FILE = ".github/phase-flow.gv";
    private static final Pattern PHASE_NODE = Pattern.compile("(?:p|phase[_-]?)?(\\d{1,9})");

    private PhaseFlowCheck() {
    }

    public static List<Violation> compare(Plan plan, String dot) {
        List<Violation> out = new ArrayList<>();
        DotEdges.Graph file;
        try {
            file = DotEdges.read(dot);
        } catch (IllegalArgumentException e) {
            out.add(new Violation(FILE, "not a DOT graph: " + e.getMessage()));
            return out;
        }
        Set<Integer> phases = plan.phasesById().keySet();
        Map<String, Integer> idOf = new HashMap<>();
        Set<String> reported = new HashSet<>();
        for (DotEdges.Node n : file.nodes()) {
            Matcher m = PHASE_NODE.matcher(n.id().toLowerCase(Locale.ROOT));
            Integer id = m.matches() ? Integer.valueOf(m.group(1)) : null;
            if (id == null || !phases.contains(id)) {
                if (reported.add(n.id())) {
                    out.add(new Violation(FILE + " line " + n.line(), "node `" + n.id() + "` names no phase of the plan"
                            + (id == null ? " (name phases p<id>, phase_<id> or <id>)" : "")));
                }
            } else {
                idOf.put(n.id(), id);
            }
        }
        PlanGraph graph = PlanGraph.of(plan);
        Map<Integer, Set<Integer>> drawn = new HashMap<>();
        for (DotEdges.Edge e : file.edges()) {
            Integer from = idOf.get(e.from());
            Integer to = idOf.get(e.to());
            if (from == null || to == null || from.equals(to)) {
                continue;
            }
            drawn.computeIfAbsent(from, k -> new HashSet<>()).add(to);
            if (!graph.ancestorsOf(to).contains(from)) {
                out.add(new Violation(FILE + " line " + e.line(), "edge " + e.from() + " -> " + e.to()
                        + ": the plan does not make phase " + to + " wait for phase " + from));
            }
        }
        for (int id : graph.phaseIds()) {
            for (int pre : graph.directPrerequisitesOf(id)) {
                if (!reaches(drawn, pre, id)) {
                    out.add(new Violation(FILE, "the plan makes phase " + id + " wait for phase " + pre
                            + ", but the file has no path from p" + pre + " to p" + id + " (`oe graph` writes the plan's flow)"));
                }
            }
        }
        return out;
    }

    private static boolean reaches(Map<Integer, Set<Integer>> edges, int from, int to) {
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            int at = todo.pop();
            if (at == to) {
                return true;
            }
            if (seen.add(at)) {
                todo.addAll(edges.getOrDefault(at, Set.of()));
            }
        }
        return false;
    }
}
