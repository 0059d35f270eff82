package io.oe.core.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.core.scheduler.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Instant ENDED = Instant.parse("2026-11-01T10:00:00Z");
    private final Retention thirtyDays = new Retention(Duration.ofDays(30));

    @Test
    void aNumberAloneIsDaysAndTheDefaultIsThirtyOfThem() {
        assertThat(Retention.parse("oe.retention", "30").kept()).isEqualTo(Retention.DEFAULT).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aNumberWithAUnitOrAnIsoDurationIsTakenAsWritten() {
        assertThat(Retention.parse("oe.retention", "12h").kept()).isEqualTo(Duration.ofHours(12));
        assertThat(Retention.parse("oe.retention", " 90s ").kept()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Retention.parse("oe.retention", "15m").kept()).isEqualTo(Duration.ofMinutes(15));
        assertThat(Retention.parse("oe.retention", "1500ms").kept()).isEqualTo(Duration.ofMillis(1500));
        assertThat(Retention.parse("oe.retention", "P7D").kept()).isEqualTo(Duration.ofDays(7));
        assertThat(Retention.parse("oe.retention", "pt2h").kept()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aRetentionOfZeroIsRefusedNamingTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> Retention.parse("oe.retention", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("oe.retention = '0': a retention of PT0S is not allowed: it must be between 1 s and 3650 days");
    }

    @Test
    void aNegativeRetentionIsRefused() {
        assertThatThrownBy(() -> Retention.parse("oe.retention", "-3d")).hasMessageStartingWith("oe.retention = '-3d': a retention of")
                .hasMessageEndingWith("must be between 1 s and 3650 days");
        assertThatThrownBy(() -> Retention.parse("oe.retention", "-P1D")).hasMessageStartingWith("oe.retention = '-P1D': a retention of");
    }

    @Test
    void anAbsurdRetentionIsRefused() {
        assertThatThrownBy(() -> Retention.parse("oe.retention", "3651")).hasMessageContaining("must be between 1 s and 3650 days");
        assertThatThrownBy(() -> Retention.parse("oe.retention", "999999999999999999d")).hasMessageContaining("is not a retention");
        assertThatThrownBy(() -> Retention.parse("oe.retention", "500ms")).hasMessageContaining("must be between 1 s and 3650 days");
    }

    @Test
    void aRetentionThatIsNotADurationIsRefusedSayingHowToWriteOne() {
        assertThatThrownBy(() -> Retention.parse("oe.retention", "thirty days"))
                .hasMessage("oe.retention = 'thirty days' is not a retention: write days (30), a number with a unit "
                        + "(30d, 12h, 15m, 90s, 1500ms) or an ISO-8601 duration (P30D)");
        assertThatThrownBy(() -> Retention.parse("oe.retention", "")).hasMessageContaining("is not a retention");
        assertThatThrownBy(() -> Retention.parse("oe.retention", null)).hasMessageContaining("is not a retention");
    }

    @Test
    void aFinishedExecutionIsDueOnceItsRetentionHasPassedSinceItEnded() {
        assertThat(thirtyDays.isDue("completed", ENDED, ENDED.plus(Duration.ofDays(30)).minusMillis(1))).isFalse();
        assertThat(thirtyDays.isDue("completed", ENDED, ENDED.plus(Duration.ofDays(30)))).isTrue();
        assertThat(thirtyDays.isDue("cancelled", ENDED, ENDED.plus(Duration.ofDays(31)))).isTrue();
    }

    @Test
    void everyTerminalStatusAndNoOtherIsFinished() {
        Instant later = ENDED.plus(Duration.ofDays(365));
        for (ExecutionStatus s : ExecutionStatus.values()) {
            assertThat(thirtyDays.isDue(s.json(), ENDED, later)).as(s.json()).isEqualTo(s.isTerminal());
        }
    }

    @Test
    void aRunningOrWaitingExecutionIsNeverDueHoweverOld() {
        Instant muchLater = ENDED.plus(Duration.ofDays(3000));
        assertThat(thirtyDays.isDue("in_progress", ENDED, muchLater)).isFalse();
        assertThat(thirtyDays.isDue("waiting_for_intervention", ENDED, muchLater)).isFalse();
        assertThat(thirtyDays.dueAt("paused", ENDED)).isEmpty();
    }

    @Test
    void aStatusThisReleaseDoesNotKnowOrAnEndNotRecordedIsNotDue() {
        Instant later = ENDED.plus(Duration.ofDays(365));
        assertThat(thirtyDays.isDue("failed", ENDED, later)).isFalse(); // an old release's word, not one of ours
        assertThat(thirtyDays.isDue("completed", null, later)).isFalse();
    }
}
