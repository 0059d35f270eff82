package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final Instant COMMAND = Instant.parse("2026-12-01T05:00:00.123456Z");

    @Test
    void anEndedStateCountsAfterACommandOnlyIfItEndedAfterIt() {
        // a phase of the rerun folded while the execution still reads as it ended before the command
        assertThat(Progress.foldedAfter(Json.parse("""
                {"status": "completed", "end_time": "2026-12-01T04:59:00Z", "updated_at": "2026-12-01T05:00:01Z"}"""),
                COMMAND)).isFalse();
        assertThat(Progress.foldedAfter(Json.parse("""
                {"status": "completed", "end_time": "2026-12-01T05:00:09Z", "updated_at": "2026-12-01T05:00:09Z"}"""),
                COMMAND)).isTrue();
    }

    @Test
    void anotherStateCountsIfItsLastEventIsLaterThanTheCommandWhichItselfIsFoldedAtItsOwnMillisecond() {
        assertThat(Progress.foldedAfter(Json.parse("""
                {"status": "waiting_for_intervention", "updated_at": "2026-12-01T05:00:00.123Z"}"""), COMMAND)).isFalse();
        assertThat(Progress.foldedAfter(Json.parse("""
                {"status": "waiting_for_intervention", "updated_at": "2026-12-01T05:00:00.124Z"}"""), COMMAND)).isTrue();
        assertThat(Progress.foldedAfter(Json.parse("{\"status\": \"completed\"}"), Instant.EPOCH)).isTrue();
    }

    @Test
    void theExitCodeSaysHowTheExecutionStands() {
        assertThat(Progress.exitCode("completed")).isZero();
        assertThat(Progress.exitCode("cancelled")).isEqualTo(1);
        assertThat(Progress.exitCode("waiting_for_intervention")).isEqualTo(3);
    }
}
