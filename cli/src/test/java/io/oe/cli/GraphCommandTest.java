package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
    @TempDir
    Path dir;

    @Test
    void theExamplePlanBecomesPhaseFlowGv() throws Exception {
        Path plan = example();
        Path out = dir.resolve(".github/phase-flow.gv");
        assertThat(OeCli.run("graph", "--orchestration-plan", plan.toString(), "--out", out.toString())).isZero();
        String dot = Files.readString(out);
        assertThat(dot).startsWith("digraph ").contains("subgraph cluster_0", " -> ").endsWith("}\n");
        try (var files = Files.list(out.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("phase-flow.gv"); // no temp file left
        }
    }

    @Test
    void aBrokenPlanIsRefusedAndNothingIsWritten() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.json"), "{\"tiers\": [}");
        Path out = dir.resolve("phase-flow.gv");
        assertThat(OeCli.run("graph", "--orchestration-plan", plan.toString(), "--out", out.toString())).isEqualTo(2);
        Path notAPlan = Files.writeString(dir.resolve("other.json"), "{\"plan_id\": \"x\"}");
        assertThat(OeCli.run("graph", "--orchestration-plan", notAPlan.toString(), "--out", out.toString())).isEqualTo(2);
        assertThat(OeCli.run("graph", "--orchestration-plan", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(out).doesNotExist();
    }

    @Test
    void aCyclicPlanIsDrawnButTheCycleIsNamedOnStandardErrorAndTheExitCodeIsNotZero() throws Exception {
        Path plan = Files.writeString(dir.resolve("cyclic.json"), """
                {"plan_id": "p", "project_name": "X",
                 "tiers": [{"name": "t", "mode": "parallel", "phases": [1, 2, 3]}],
                 "phases": [{"id": 1, "name": "Start", "agent": "@a"},
                            {"id": 2, "name": "Docs", "agent": "@a", "depends_on": [3]},
                            {"id": 3, "name": "Review", "agent": "@a", "depends_on": [2]}]}""");
        Console.Run drawn = Console.oe("graph", "--orchestration-plan", plan.toString());
        assertThat(drawn.code()).isEqualTo(CliException.REJECTED);
        assertThat(drawn.out()).startsWith("digraph ").contains("p2 -> p3", "p3 -> p2");
        assertThat(drawn.err()).startsWith("oe graph: " + plan + ": dependency cycle: ")
                .containsAnyOf("phase 2 (Docs) → phase 3 (Review) → phase 2 (Docs)",
                        "phase 3 (Review) → phase 2 (Docs) → phase 3 (Review)");

        Path out = dir.resolve("phase-flow.gv");
        Console.Run toFile = Console.oe("graph", "--orchestration-plan", plan.toString(), "--out", out.toString());
        assertThat(toFile.code()).isEqualTo(CliException.REJECTED);
        assertThat(toFile.err()).contains("dependency cycle", out + " was not written");
        assertThat(out).doesNotExist();
    }

    private static Path example() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path plan = p.resolve("examples/myapp/orchestration-plan.json");
            if (Files.exists(plan)) {
                return plan;
            }
        }
        throw new IllegalStateException("examples/myapp not found");
    }
}
