package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.PhaseReady;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatestAttemptsTest {
    private final LatestAttempts latest = new LatestAttempts();

    private static PhaseReady ready(String execution, int phase, int attempt) {
        return PhaseReady.newBuilder().setExecutionId(execution).setPhaseId(phase).setPhaseName("Build").setAgent("@dev")
                .setAttempt(attempt).setProjectDir("/p").setReadyAt(Instant.parse("2026-12-01T05:00:00Z"))
                .setTimeoutMs(60_000).build();
    }

    @Test
    void aRedeliveredAttemptReadBesideItsRetryIsStaleAndTheRetryIsNot() {
        PhaseReady redelivered = ready("e1", 4, 1);
        PhaseReady retry = ready("e1", 4, 2);
        latest.saw(redelivered);
        latest.saw(retry);
        assertThat(latest.superseded(redelivered)).isTrue();
        assertThat(latest.superseded(retry)).isFalse();
    }

    @Test
    void anAttemptSeenAloneOrTwiceRuns() {
        PhaseReady first = ready("e1", 4, 1);
        latest.saw(first);
        latest.saw(first);
        assertThat(latest.superseded(first)).isFalse();
    }

    @Test
    void otherPhasesAndOtherExecutionsDoNotSupersedeEachOther() {
        latest.saw(ready("e1", 5, 3));
        latest.saw(ready("e2", 4, 3));
        assertThat(latest.superseded(ready("e1", 4, 1))).isFalse();
    }

    @Test
    void anOlderAttemptSeenAfterANewerOneDoesNotLowerIt() {
        latest.saw(ready("e1", 4, 2));
        latest.saw(ready("e1", 4, 1));
        assertThat(latest.superseded(ready("e1", 4, 1))).isTrue();
    }

    @Test
    void anAttemptTheSchedulerStoppedBeforeItRanHereDoesNotRunButItsRetryDoes() {
        latest.givenUp("e1", 4, 2);
        assertThat(latest.superseded(ready("e1", 4, 2))).isTrue();
        assertThat(latest.superseded(ready("e1", 4, 3))).isFalse();
        assertThat(latest.superseded(ready("e1", 5, 2))).isFalse();
    }
}
