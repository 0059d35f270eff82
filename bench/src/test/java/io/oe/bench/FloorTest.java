package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How the floor of a step is composed from the measured parts. */
class FloorTest {
    private static double[] constant(double v) {
        return new double[] {v, v, v};
    }

    @Test
    void aSumOfConstantPartsIsTheirSum() {
        double[] sum = Floor.sumOfDraws(constant(10), constant(2.5), constant(1));
        assertThat(sum).hasSize(Floor.DRAWS);
        assertThat(Stats.percentile(sum, 50)).isEqualTo(13.5);
        assertThat(Stats.percentile(sum, 99)).isEqualTo(13.5);
    }

    @Test
    void theP99OfASumIsBelowTheSumOfP99sWhenSlowDrawsAreRare() {
        // each part: 99 fast values (10 ms), 1 slow one (100 ms): a sum of four is slow in about 4 % of draws
        double[] part = new double[100];
        Arrays.fill(part, 10);
        part[99] = 100;
        double[] sum = Floor.sumOfDraws(part, part, part, part);
        assertThat(Stats.percentile(sum, 50)).isEqualTo(40.0);
        assertThat(Stats.percentile(sum, 99)).isEqualTo(130.0); // one slow part, not four (400)
    }

    @Test
    void drawsAreRepeatable() {
        double[] a = {1, 5, 9, 20};
        double[] b = {3, 4, 50};
        assertThat(Floor.sumOfDraws(a, b)).containsExactly(Floor.sumOfDraws(a, b));
    }

    @Test
    void aStepIsTheMeasuredTwoHopPathPlusOneProcessStart() {
        Floor f = new Floor(constant(5), constant(60), constant(110), constant(3), true, "");
        assertThat(Stats.percentile(f.step(), 50)).isEqualTo(113.0);
        // the cross-check adds the hops measured apart: each brings its own legs, so the legs between hops count twice
        assertThat(Stats.percentile(f.sumOfParts(), 50)).isEqualTo(60 + 60 + 5 + 3.0);
        assertThat(f.composition()).contains("process start");
    }

    @Test
    void theInProcessRunnerStartsNoProcess() {
        Floor f = new Floor(constant(5), constant(60), constant(110), new double[0], false, "");
        assertThat(Stats.percentile(f.step(), 50)).isEqualTo(110.0);
        assertThat(Stats.percentile(f.sumOfParts(), 50)).isCloseTo(125.0, within(1e-9));
        assertThat(f.composition()).contains("starts no process");
    }

    @Test
    void aPartNotMeasuredLeavesNoFloor() {
        assertThat(Floor.sumOfDraws(constant(1), new double[0])).isEmpty();
        assertThat(Stats.ratio(100, Stats.percentile(new double[0], 50))).isNaN();
    }
}
