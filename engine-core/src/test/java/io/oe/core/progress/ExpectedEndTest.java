package io.oe.core.progress;

import static io.oe.core.progress.ViewBuilder.T0;
import static io.oe.core.scheduler.PhaseStatus.COMPLETED;
import static io.oe.core.scheduler.PhaseStatus.IN_PROGRESS;
import static io.oe.core.scheduler.PhaseStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import org.junit.jupiter.api.Test;

/** When an execution should end, from one view: the same view always gives the same answer. */
class ExpectedEndTest {
    private final ViewBuilder views = new ViewBuilder();

    @Test
    void theEndFollowsTheLongestRemainingPathAtTheMeanDurationOfCompletedPhases() {
        views.phase(1, COMPLETED, 0, 10);
        views.phase(2, COMPLETED, 10, 30, 1); // mean 15 s
        views.phase(3, IN_PROGRESS, 10, null, 1); // 5 s in at t=15: 10 s left
        views.phase(4, PENDING, null, null, 2, 3);
        views.phase(5, PENDING, null, null, 4);
        ExpectedEnd eta = ExpectedEnd.of(views.execution(ExecutionStatus.IN_PROGRESS, 15, 3));
        assertThat(eta.remainingSeconds()).isEqualTo(40.0);
        assertThat(eta.estimatedEnd()).isEqualTo(T0.plusSeconds(55));
        assertThat(eta.phaseEnds()).containsEntry(3, T0.plusSeconds(25));
        assertThat(eta.waiting()).isNull();
    }

    @Test
    void aRunningPhaseWhoseTasksReportProgressIsReckonedFromIt() {
        views.phase(1, COMPLETED, 0, 100);
        views.phase(2, IN_PROGRESS, TransitionCause.AGENT_STARTED, null, 100, null, 50.0, 1);
        ExpectedEnd eta = ExpectedEnd.of(views.execution(ExecutionStatus.IN_PROGRESS, 130, 3)); // 30 s in, half done
        assertThat(eta.remainingSeconds()).isEqualTo(30.0);
        assertThat(eta.phaseEnds()).containsEntry(2, T0.plusSeconds(160));
    }

    @Test
    void whileAPersonIsAwaitedThereIsNoEndButTheWorkLeftAndWhatFor() {
        views.phase(1, COMPLETED, 0, 10);
        views.phase(7, PhaseStatus.WAITING_FOR_INTERVENTION, 10, null, 1);
        views.phase(8, PENDING, null, null, 7);
        views.phase(2, PhaseStatus.WAITING_FOR_APPROVAL, null, null, 1);
        views.phase(3, PhaseStatus.WAITING_FOR_REVIEW, 10, 20, 1);
        ExpectedEnd eta = ExpectedEnd.of(views.execution(ExecutionStatus.PAUSED, 12, 3));
        assertThat(eta.estimatedEnd()).isNull();
        assertThat(eta.remainingSeconds()).isEqualTo(20.0);
        assertThat(eta.waiting()).isEqualTo("waiting for a person: the execution is paused (oe resume); phase 3 needs"
                + " review; phase 7 needs intervention; phase 2 needs approval");
        assertThat(eta.basis()).endsWith("time waiting for a person not included");
    }

    @Test
    void noEndIsKnownBeforeAPhaseCompletesAndNothingIsLeftAfterTheEnd() {
        views.phase(1, IN_PROGRESS, 0, null);
        assertThat(ExpectedEnd.of(views.execution(ExecutionStatus.IN_PROGRESS, 5, 3)))
                .extracting(ExpectedEnd::remainingSeconds, ExpectedEnd::estimatedEnd).containsExactly(null, null);
        views.phase(1, COMPLETED, 0, 9);
        assertThat(ExpectedEnd.of(views.execution(ExecutionStatus.COMPLETED, 9, 3)))
                .extracting(ExpectedEnd::remainingSeconds, ExpectedEnd::estimatedEnd, ExpectedEnd::waiting)
                .containsExactly(0.0, T0.plusSeconds(9), null);
    }

    @Test
    void progressGivesTheWaitingReasonsAndTheEndFromOneView() {
        views.phase(1, COMPLETED, 0, 10);
        views.phase(2, PhaseStatus.WAITING_FOR_APPROVAL, null, null, 1);
        Progress progress = Progress.of(views.execution(ExecutionStatus.IN_PROGRESS, 12, 3));
        assertThat(progress.waiting().get(2).kind()).isEqualTo(WaitingReason.Kind.APPROVAL);
        assertThat(progress.eta().waiting()).isEqualTo("waiting for a person: phase 2 needs approval");
    }
}
