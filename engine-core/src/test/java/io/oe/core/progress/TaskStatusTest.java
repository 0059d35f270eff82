package io.oe.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import org.junit.jupiter.api.Test;

/** A task's end follows its attempt's; statuses are read from their written form with errors that say what is wrong. */
class TaskStatusTest {

    @Test
    void whatTheAgentReportedDoneStaysDoneAndWhatItStartedFailsWithAFailedAttempt() {
        assertThat(TaskStatus.COMPLETED.afterAttempt(PhaseStatus.FAILED)).isEqualTo(TaskStatus.COMPLETED);
        assertThat(TaskStatus.IN_PROGRESS.afterAttempt(PhaseStatus.FAILED)).isEqualTo(TaskStatus.FAILED);
        assertThat(TaskStatus.PENDING.afterAttempt(PhaseStatus.FAILED)).isEqualTo(TaskStatus.NOT_REPORTED);
        assertThat(TaskStatus.IN_PROGRESS.afterAttempt(PhaseStatus.COMPLETED)).isEqualTo(TaskStatus.NOT_REPORTED);
        assertThat(TaskStatus.PENDING.afterAttempt(PhaseStatus.SKIPPED)).isEqualTo(TaskStatus.SKIPPED);
        assertThat(TaskStatus.IN_PROGRESS.afterAttempt(PhaseStatus.CANCELLED)).isEqualTo(TaskStatus.CANCELLED);
    }

    @Test
    void aStatusIsReadFromItsWrittenFormAndAnUnknownOneIsAnErrorThatNamesItAndTheKnownOnes() {
        assertThat(TaskStatus.parse("not_reported")).isEqualTo(TaskStatus.NOT_REPORTED);
        assertThat(PhaseStatus.parse("waiting_for_review")).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThatThrownBy(() -> ExecutionStatus.parse("failed")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown execution status \"failed\": expected one of initialized, in_progress, paused,"
                        + " waiting_for_intervention, completed, cancelled");
        assertThatThrownBy(() -> PhaseStatus.parse(null)).hasMessageStartingWith("unknown phase status null");
        assertThat(ExecutionStatus.find("failed")).isEmpty();
        assertThat(ExecutionStatus.isTerminal("cancelled")).isTrue();
    }
}
