package io.oe.core.progress;

import static io.oe.core.scheduler.ExecutionStatus.INITIALIZED;
import static io.oe.core.scheduler.ExecutionStatus.IN_PROGRESS;
import static io.oe.core.scheduler.ExecutionStatus.PAUSED;
import static io.oe.core.scheduler.PhaseStatus.COMPLETED;
import static io.oe.core.scheduler.PhaseStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.progress.WaitingReason.Kind;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import org.junit.jupiter.api.Test;

/** Why a phase waits, decided from statuses and typed causes alone: no Kafka, no state format, no reason text. */
class WaitingReasonTest {
    private final ViewBuilder views = new ViewBuilder();

    @Test
    void aPendingPhaseWaitsForItsOpenPrerequisitesAndSaysTheirStatusInWords() {
        views.phase(1, COMPLETED, 0, 10);
        views.phase(2, PhaseStatus.IN_PROGRESS, 10, null, 1);
        views.phase(3, PhaseStatus.SKIPPED, null, null, 1);
        views.phase(4, PENDING, null, null, 2, 3);
        WaitingReason w = WaitingReason.all(views.execution(IN_PROGRESS, 12, 3)).get(4);
        assertThat(w.kind()).isEqualTo(Kind.DEPENDENCY);
        assertThat(w.phases()).containsExactly(2);
        assertThat(w.text()).isEqualTo("phase 2 P2 (in progress)");
    }

    @Test
    void aRetrysBackoffIsKnownByItsCauseAndShownWithTheSchedulersWords() {
        views.phase(1, PENDING, TransitionCause.BACKOFF, "retry 1 of 3 at 2026-01-13T12:00:14Z (backoff 2000 ms)", null,
                null, 0);
        assertThat(WaitingReason.all(views.execution(IN_PROGRESS, 12, 3)).get(1))
                .extracting(WaitingReason::kind, WaitingReason::text)
                .containsExactly(Kind.RETRY, "retry 1 of 3 at 2026-01-13T12:00:14Z (backoff 2000 ms)");
    }

    @Test
    void aPhaseWaitingForASeatOfALimitAcrossExecutionsSaysWhichLimit() {
        views.phase(1, PENDING, TransitionCause.LIMIT, "waits for a seat: limit agent:@dev", null, null, 0);
        views.phase(2, PENDING, null, null);
        var waiting = WaitingReason.all(views.execution(IN_PROGRESS, 12, 3));
        assertThat(waiting.get(1)).extracting(WaitingReason::kind, WaitingReason::text)
                .containsExactly(Kind.LIMIT, "a seat: limit agent:@dev");
        assertThat(waiting.get(2).kind()).as("a seat wait is no other phase's").isEqualTo(Kind.SCHEDULER);
        assertThat(WaitingReason.all(views.execution(PAUSED, 12, 3)).get(1).kind()).isEqualTo(Kind.PAUSED);
    }

    @Test
    void aReasonThatMerelyStartsWithRetryIsNoBackoff() {
        // a person's RETRY: pending again, free to go at once; the words are not what decides
        views.phase(1, PENDING, TransitionCause.COMMAND, "retry requested by alice", null, null, 0);
        assertThat(WaitingReason.all(views.execution(IN_PROGRESS, 12, 3)).get(1).kind()).isEqualTo(Kind.SCHEDULER);
    }

    @Test
    void aPersonAPausedOrUnstartedExecutionAndAnAgentEachHaveTheirKind() {
        views.phase(1, COMPLETED, 0, 10);
        views.phase(2, PhaseStatus.WAITING_FOR_APPROVAL, null, null, 1);
        views.phase(3, PhaseStatus.WAITING_FOR_REVIEW, 10, 20, 1);
        views.phase(4, PhaseStatus.WAITING_FOR_INTERVENTION, 10, null, 1);
        views.phase(5, PhaseStatus.READY, null, null, 1);
        views.phase(6, PENDING, null, null, 1);
        var running = WaitingReason.all(views.execution(IN_PROGRESS, 12, 9));
        assertThat(running.get(2).text()).isEqualTo("approval by a person (oe approve --phase 2)");
        assertThat(running.get(3).kind()).isEqualTo(Kind.REVIEW);
        assertThat(running.get(4).kind()).isEqualTo(Kind.INTERVENTION);
        assertThat(running.get(5).text()).isEqualTo("an agent gateway to start attempt 1");
        assertThat(running).doesNotContainKey(1);
        assertThat(WaitingReason.all(views.execution(PAUSED, 12, 9)).get(6).kind()).isEqualTo(Kind.PAUSED);
        assertThat(WaitingReason.all(views.execution(INITIALIZED, 12, 9)).get(6).text())
                .isEqualTo("the execution to be started (oe execute)");
        assertThat(Kind.values()).filteredOn(Kind::waitsForPerson)
                .containsExactlyInAnyOrder(Kind.APPROVAL, Kind.REVIEW, Kind.INTERVENTION);
    }

    @Test
    void phasesFreeToGoWaitForTheSchedulerOnlyAsFarAsSlotsAreFreeInPlanOrder() {
        views.phase(1, PhaseStatus.IN_PROGRESS, 0, null);
        views.phase(2, PhaseStatus.IN_PROGRESS, 0, null);
        views.phase(7, PENDING, null, null);
        views.phase(5, PENDING, null, null);
        var waiting = WaitingReason.all(views.execution(IN_PROGRESS, 1, 3));
        assertThat(waiting.get(5).kind()).isEqualTo(Kind.SCHEDULER);
        assertThat(waiting.get(7)).extracting(WaitingReason::kind, WaitingReason::text).containsExactly(Kind.SLOT,
                "a free slot: 2 of max_concurrent_phases 3 are running and 1 more is about to start");
    }
}
