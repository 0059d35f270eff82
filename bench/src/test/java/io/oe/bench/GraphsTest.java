package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's graphs are the same work for every tool, and its statistics are right. */
class GraphsTest {
    @Test
    void aDiamondIsOneStepThenTheMiddleInParallelThenOne() {
        Graphs g = Graphs.of("diamond", 5);
        assertThat(g.dependsOn()).containsExactly(Map.entry(1, List.of()), Map.entry(2, List.of(1)), Map.entry(3, List.of(1)),
                Map.entry(4, List.of(1)), Map.entry(5, List.of(2, 3, 4)));
        assertThat(g.plan().path("tiers").findValuesAsText("mode")).containsExactly("sequential", "parallel", "sequential");
        assertThat(g.makefile()).contains("s5: s2 s3 s4\n\t@true");
        assertThat(g.snakefile()).contains("rule s5:\n    input: [\"out/s2\",\"out/s3\",\"out/s4\",]");
    }

    @Test
    void chainOverheadIsNextStartMinusPreviousEnd() {
        Graphs g = Graphs.of("chain", 3);
        var t = new EngineRun.Timings(Map.of(1, 0L, 2, 130L, 3, 260L), Map.of(1, 100L, 2, 200L, 3, 300L),
                Map.of(1, 110L, 2, 215L), Map.of(2, 125L, 3, 250L));
        double[] o = Bench.Stats.overheads(g, t);
        assertThat(o).containsExactly(30.0, 60.0);
        assertThat(Bench.Stats.percentile(o, 50)).isEqualTo(30.0);
        assertThat(Bench.Stats.percentile(o, 99)).isEqualTo(60.0);
        assertThat(Bench.Stats.spanSeconds(t)).isEqualTo(0.3);
        // the profile splits each overhead into its hops: 30 = 10 + 15 + 5, 60 = 15 + 35 + 10
        assertThat(Bench.Stats.hopP50(g, t, Bench.Hop.HANDOFF)).isEqualTo(10.0);
        assertThat(Bench.Stats.hopP50(g, t, Bench.Hop.DISPATCH)).isEqualTo(15.0);
        assertThat(Bench.Stats.hopP50(g, t, Bench.Hop.START)).isEqualTo(5.0);
    }
}
