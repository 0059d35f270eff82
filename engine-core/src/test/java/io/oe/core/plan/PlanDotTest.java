package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PlanDotTest {

    @Test
    void everyTierIsAClusterAndEveryPrerequisiteAnEdge() {
        Plan plan = PlanJson.plan(TestPlans.seedPlan());
        String dot = PlanDot.render(plan);
        assertThat(dot).startsWith("digraph ").endsWith("}\n");
        assertThat(Pattern.compile("subgraph cluster_").matcher(dot).results().count()).isEqualTo(plan.tiers().size());
        // the engine's prerequisites less those another path implies: 9 waits for 1..8, drawn as 8 -> 9 only
        assertThat(dot).contains("  p15 -> p16;", "  p12 -> p15;", "  p13 -> p15;", "  p14 -> p15;", "  p8 -> p9;", "  p9 -> p11;",
                "  p11 -> p12;");
        assertThat(dot).doesNotContain("  p1 -> p9;", "  p8 -> p11;", "  p8 -> p12;");
        PlanGraph graph = PlanGraph.of(plan);
        for (int id : graph.phaseIds()) { // and nothing is lost: every prerequisite is still reachable in the drawing
            for (int pre : graph.prerequisitesOf(id)) {
                assertThat(reachable(dot, pre, id)).as("p%d reaches p%d", pre, id).isTrue();
            }
        }
        // the parallel tier's label says its mode; conditional phases are dashed
        assertThat(dot).contains("(parallel)\";");
        assertThat(dot).containsPattern("p9 \\[label=\"9: [^\"]*\", style=\"rounded,dashed\", tooltip=\"if ");
    }

    @Test
    void aPhaseWithAlternativesIsLabelledWithThemAndItsTooltipSaysWhenEachRuns() {
        ObjectNode json = TestPlans.seedPlan();
        ObjectNode backend = (ObjectNode) json.withArray("phases").get(11);
        backend.remove("agent");
        backend.putArray("alternatives").add(PlanJson.MAPPER.createObjectNode().put("agent", "@nodejs")
                .put("condition", "project.stack.backend == 'nodejs'")).add(PlanJson.MAPPER.createObjectNode().put("agent", "@dotnet"));
        assertThat(PlanDot.render(PlanJson.plan(json))).contains("p13 [label=\"13: Backend\\n@nodejs/@dotnet\", "
                + "tooltip=\"@nodejs if project.stack.backend == 'nodejs'\\n@dotnet otherwise\"]");
    }

    private static boolean reachable(String dot, int from, int to) {
        java.util.Map<Integer, java.util.List<Integer>> out = new java.util.HashMap<>();
        Pattern.compile("  p(\\d+) -> p(\\d+);").matcher(dot).results().forEach(m -> out
                .computeIfAbsent(Integer.parseInt(m.group(1)), k -> new java.util.ArrayList<>()).add(Integer.parseInt(m.group(2))));
        java.util.Deque<Integer> todo = new java.util.ArrayDeque<>(java.util.List.of(from));
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            int n = todo.pop();
            if (n == to) {
                return true;
            }
            if (seen.add(n)) {
                todo.addAll(out.getOrDefault(n, java.util.List.of()));
            }
        }
        return false;
    }

    @Test
    void planTextStaysText() {
        ObjectNode json = TestPlans.seedPlan();
        ((ObjectNode) json.withArray("phases").get(0)).put("name", "x\"; rankdir=LR; a -> b [label=\"\\\n");
        String dot = PlanDot.render(PlanJson.plan(json));
        assertThat(dot).contains("p1 [label=\"1: x\\\"; rankdir=LR; a -> b [label=\\\"\\\\\\n\\n");
        assertThat(dot).doesNotContain("\n  a -> b");
    }
}
