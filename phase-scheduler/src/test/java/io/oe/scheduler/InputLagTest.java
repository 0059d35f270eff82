package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputLagTest {
    private final InputLag lag = new InputLag(15_000, 500, 0);

    @Test
    void anOldRecordReadKeepsItsAgeAllowedForTheWindowEvenWhenFresherRecordsFollow() {
        lag.read(100_000, 50_000); // 50 s behind on one topic
        for (long t = 100_100; t < 114_000; t += 100) {
            lag.read(t, t - 10); // fresh records of another topic
            assertThat(lag.allowance(t)).as("at %d", t).isEqualTo(50_000);
        }
        lag.read(118_000, 117_990);
        assertThat(lag.allowance(118_000)).as("the old read has left the window").isLessThan(50_000);
    }

    @Test
    void idleMeansNoBacklog() {
        lag.read(100_000, 60_000);
        assertThat(lag.allowance(100_400)).isEqualTo(40_000);
        assertThat(lag.allowance(101_100)).isZero();
    }

    @Test
    void aTaskThatHasReadNothingJudgesAgentsOnlyAfterItsLongestGrace() {
        assertThat(lag.allowance(20_000)).as("one window: its partitions may not have been fetched yet").isEqualTo(InputLag.ALL);
        assertThat(lag.allowance(44_999)).isEqualTo(InputLag.ALL);
        assertThat(lag.allowance(45_000)).as("three windows of nothing to read: nothing waits").isZero();
    }

    @Test
    void aTakenOverTaskThatReadsNothingForAWindowStillWaitsForItsFirstRecordWhichCarriesTheBacklogsAge() {
        InputLag takenOver = new InputLag(4_000, 500, 52_700);
        assertThat(takenOver.allowance(56_700)).as("a window gone, nothing read yet").isEqualTo(InputLag.ALL);
        takenOver.read(56_744, 44_146); // the result an agent sent before the takeover, read first
        assertThat(takenOver.allowance(57_000)).isEqualTo(12_598);
    }

    @Test
    void aTaskThatHasJustStartedAllowsAllSilenceForOneWindowSinceItsBacklogIsUnreadYet() {
        InputLag takenOver = new InputLag(15_000, 500, 100_000);
        assertThat(takenOver.allowance(100_500)).isEqualTo(InputLag.ALL);
        takenOver.read(101_000, 101_000); // a fresh record says nothing of older ones still waiting
        assertThat(takenOver.allowance(114_999)).isEqualTo(InputLag.ALL);
        assertThat(takenOver.allowance(115_000)).as("a window later the usual rule").isZero();
    }
}
