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
        assertThat(Progress.exitCode(Json.parse("{\"status\": \"completed\"}"))).isZero();
        assertThat(Progress.exitCode(Json.parse("{\"status\": \"cancelled\"}"))).isEqualTo(1);
        assertThat(Progress.exitCode(Json.parse("{\"status\": \"waiting_for_intervention\"}"))).isEqualTo(3);
    }

    @Test
    void aRunningExecutionWhoseOpenPhasesWaitOnlyForAReviewWaitsForAPerson() {
        String waiting = """
                {"status": "in_progress", "phases": {
                  "1": {"status": "completed"},
                  "2": {"status": "waiting_for_review"},
                  "3": {"status": "pending", "waiting_for": {"kind": "dependency"}}}}""";
        assertThat(Progress.waitsOnlyForPeople(Json.parse(waiting))).isTrue();
        assertThat(Progress.exitCode(Json.parse(waiting))).isEqualTo(3);
        String moving = waiting.replace("\"3\": {\"status\": \"pending\", \"waiting_for\": {\"kind\": \"dependency\"}}",
                "\"3\": {\"status\": \"in_progress\"}");
        assertThat(Progress.waitsOnlyForPeople(Json.parse(moving))).isFalse();
        assertThat(Progress.waitsOnlyForPeople(Json.parse("""
                {"status": "in_progress", "phases": {"1": {"status": "in_progress"}}}"""))).isFalse();
    }
}
