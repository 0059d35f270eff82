package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's graphs are the same work for every tool. */
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
}
