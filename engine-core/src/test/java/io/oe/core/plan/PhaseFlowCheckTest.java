package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.TestPlans;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A hand-kept .github/phase-flow.gv against the plan. */
class PhaseFlowCheckTest {
    private final Plan plan = PlanJson.plan(TestPlans.seedPlan());

    @Test
    void whatOeGraphWritesAgreesWithThePlan() {
        assertThat(PhaseFlowCheck.compare(plan, PlanDot.render(plan))).isEmpty();
    }

    @Test
    void theExamplesPhaseFlowFileAgreesWithItsPlan() throws Exception {
        Path example = Path.of("../examples/myapp");
        Plan plan = PlanJson.plan(PlanJson.parse(Files.readString(example.resolve("orchestration-plan.json"))));
        assertThat(PhaseFlowCheck.compare(plan, Files.readString(example.resolve(PhaseFlowCheck.FILE)))).isEmpty();
    }

    @Test
    void chainsSubgraphsCommentsAndOtherNodeNamesAreRead() {
        var g = DotEdges.read("""
                /* the flow */ strict digraph "x" {
                  // a comment
                  # a preprocessor line
                  rankdir=LR; node [shape="box", label="a]b"];
                  phase_1 -> 2 -> p3 [color=red];
                  { "p4" p5 } -> <p6>;
                  subgraph cluster_a { label="t"; p7:n -> p8:s }
                }
                """);
        assertThat(g.edges()).extracting(e -> e.from() + ">" + e.to()).containsExactly("phase_1>2", "2>p3", "p4>p6",
                "p5>p6", "p7>p8");
        assertThat(g.edges().get(0).line()).isEqualTo(5);
    }

    @Test
    void edgesThatDisagreeAreNamedWithTheirLine() {
        String dot = PlanDot.render(plan).replace("  p8 -> p9;\n", "  p9 -> p8;\n") // reversed
                + "";
        var problems = PhaseFlowCheck.compare(plan, dot).stream().map(v -> v.where() + ": " + v.message()).toList();
        assertThat(problems).anySatisfy(p -> assertThat(p).matches(".github/phase-flow.gv line \\d+: edge p9 -> p8: the plan"
                + " does not make phase 8 wait for phase 9"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(".github/phase-flow.gv: the plan makes phase 9 wait for phase 8,"
                + " but the file has no path from p8 to p9"));
    }

    @Test
    void unknownNodesAndUnreadableFilesAreSaidSo() {
        assertThat(PhaseFlowCheck.compare(plan, "digraph { p1 -> p99; start -> p1 }")).extracting(Violation::message)
                .contains("node `p99` names no phase of the plan",
                        "node `start` names no phase of the plan (name phases p<id>, phase_<id> or <id>)");
        assertThat(PhaseFlowCheck.compare(plan, "digraph { p1 -> ")).singleElement().satisfies(v -> assertThat(v.message())
                .isEqualTo("not a DOT graph: line 1: unexpected end of file"));
        assertThat(PhaseFlowCheck.compare(plan, "digraph { label=\"open }")).singleElement().satisfies(v -> assertThat(v.message())
                .isEqualTo("not a DOT graph: line 1: a quoted string is not closed"));
    }

    @Test
    void aFileThatLeavesOutADependencyIsReported() {
        String dot = PlanDot.render(plan).replaceAll("  p\\d+ -> p15;\\n", "");
        assertThat(PhaseFlowCheck.compare(plan, dot)).extracting(Violation::message)
                .allSatisfy(m -> assertThat(m).startsWith("the plan makes phase 15 wait for phase"))
                .isNotEmpty();
        assertThat(List.of(dot)).isNotEmpty();
    }
}
