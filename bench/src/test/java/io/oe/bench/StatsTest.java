package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-step figures from the engine's event times, and the ratio maths. */
class StatsTest {
    // a chain of three: agents start at 0, 130, 260 and end at 100, 200, 300; handoffs at 110, 215; dispatches at 125, 250
    private final Graphs chain = Graphs.of("chain", 3);
    private final EngineRun.Timings timings = new EngineRun.Timings(Map.of(1, 0L, 2, 130L, 3, 260L),
            Map.of(1, 100L, 2, 200L, 3, 300L), Map.of(1, 110L, 2, 215L), Map.of(2, 125L, 3, 250L));

    @Test
    void chainOverheadIsNextStartMinusPreviousEnd() {
        double[] o = Stats.overheads(chain, timings);
        assertThat(o).containsExactly(30.0, 60.0);
        assertThat(Stats.percentile(o, 50)).isEqualTo(30.0);
        assertThat(Stats.percentile(o, 99)).isEqualTo(60.0);
        assertThat(Stats.spanSeconds(timings)).isEqualTo(0.3);
    }

    @Test
    void theProfileSplitsEachOverheadIntoItsHops() {
        // 30 = 10 + 15 + 5, 60 = 15 + 35 + 10
        assertThat(Stats.hopP50(chain, timings, Stats.Hop.HANDOFF)).isEqualTo(10.0);
        assertThat(Stats.hopP50(chain, timings, Stats.Hop.DISPATCH)).isEqualTo(15.0);
        assertThat(Stats.hopP50(chain, timings, Stats.Hop.START)).isEqualTo(5.0);
    }

    @Test
    void aStepIsOneAgentStartToTheNextAgentStartSoItHoldsTheAgentsRunAndTheOverhead() {
        assertThat(Stats.stepPeriods(chain, timings)).containsExactly(130.0, 130.0);
        // step = the agent's run (100, then 70) + the overhead (30, then 60)
        GraphResult r = GraphResult.of(chain, 1.0, timings, Map.of(), BrokerRequests.PerStep.NONE);
        assertThat(r.step(50)).isEqualTo(130.0);
        assertThat(r.overhead(99)).isEqualTo(60.0);
        assertThat(r.hopP50()).containsEntry(Stats.Hop.DISPATCH, 15.0);
    }

    @Test
    void fanOutsHaveNoPerStepFigures() {
        Graphs wide = Graphs.of("wide", 2);
        GraphResult r = GraphResult.of(wide, 1.0, new EngineRun.Timings(Map.of(1, 0L, 2, 0L), Map.of(1, 500L, 2, 1000L),
                Map.of(), Map.of()), Map.of(), BrokerRequests.PerStep.NONE);
        assertThat(r.overheadMs()).isEmpty();
        assertThat(r.stepMs()).isEmpty();
        assertThat(r.stepsPerSecond()).isEqualTo(2.0);
        assertThat(r.overhead(50)).isNaN();
    }

    @Test
    void percentilesAreNearestRank() {
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Stats.percentile(hundred, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(hundred, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(new double[] {7}, 99)).isEqualTo(7.0);
        assertThat(Stats.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void aRatioToNothingIsUnknown() {
        assertThat(Stats.ratio(150, 100)).isEqualTo(1.5);
        assertThat(Stats.ratio(150, 0)).isNaN();
        assertThat(Stats.ratio(Double.NaN, 100)).isNaN();
        assertThat(Stats.ratio(150, Double.NaN)).isNaN();
    }
}
