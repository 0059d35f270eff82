package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.TestPlans;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.ReleaseSeat;
import io.oe.core.scheduler.Effect.RequestSeat;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.SeatGranted;
import io.oe.core.scheduler.SchedulerInput.Tick;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits across executions, as the scheduler sees them: a phase whose agent is capped asks the seat keeper for a seat
 * instead of dispatching, goes on the grant, and gives the seat back whichever way its attempt ends.
 */
class SchedulerLimitsTest {
    private static final List<String> DOC = List.of("agent:@doc");
    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            (agent, runner) -> agent.equals("@doc") ? DOC : List.of()));
    private ExecutionState state;
    private List<Effect> effects;
    private long now = 1_000_000;

    private void load(int maxRetries, Integer priority) {
        EngineConfig config = new EngineConfig(null, null, null, null, 3, 1.0, null, new RetrySettings(maxRetries, 0.0),
                null, null, true, null, null, null, priority).withDefaults();
        keep(scheduler.register("exec_1", "/tmp/p", PlanJson.plan(TestPlans.seedPlan()), TestPlans.facts("azure",
                "terraform"), config, null, null, List.of(new Artifact("requirements.json", 1,
                "tee-output/artifacts/requirements.json", "ab", 2)), now));
    }

    private void start() {
        load(0, null);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private void apply(SchedulerInput input) {
        keep(scheduler.handle(state, input));
    }

    private void keep(Decision d) {
        state = d.state();
        effects = d.effects();
    }

    private <T extends Effect> List<T> effects(Class<T> type) {
        return effects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void grant() {
        apply(new SeatGranted(2, 1, DOC, ++now));
    }

    @Test
    void aPhaseWhoseAgentIsCappedAsksForASeatAndWaitsWithCauseLimit() {
        start();
        assertThat(effects(RequestSeat.class)).containsExactly(new RequestSeat(2, 1, DOC, 0));
        assertThat(effects(Dispatch.class)).isEmpty();
        assertThat(effects(Transition.class)).filteredOn(t -> Integer.valueOf(2).equals(t.phaseId())).singleElement()
                .satisfies(t -> {
                    assertThat(t.from()).isEqualTo("pending");
                    assertThat(t.to()).isEqualTo("pending");
                    assertThat(t.cause()).isEqualTo(TransitionCause.LIMIT);
                    assertThat(t.reason()).isEqualTo("waits for a seat: limit agent:@doc");
                });
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void theRequestCarriesTheExecutionsPriority() {
        load(0, 7);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        assertThat(effects(RequestSeat.class)).singleElement().extracting(RequestSeat::priority).isEqualTo(7);
    }

    @Test
    void aTickWhileThePhaseWaitsAsksForNoSecondSeat() {
        start();
        apply(new Tick(now + 60_000));
        assertThat(effects(RequestSeat.class)).isEmpty();
        assertThat(effects(Transition.class)).as("a wait for a seat has no timeout").isEmpty();
    }

    @Test
    void theGrantDispatchesThePhase() {
        start();
        grant();
        assertThat(effects(Dispatch.class)).singleElement().extracting(Dispatch::phaseId, Dispatch::attempt)
                .containsExactly(2, 1);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.READY);
        assertThat(state.phase(2).seat()).isEqualTo(new PhaseRun.Seat(1, DOC, true));
        assertThat(effects(ReleaseSeat.class)).isEmpty();
    }

    @Test
    void aCompletedAttemptReleasesItsSeat() {
        start();
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptSucceeded(2, 1, List.of(new Artifact("x", 2, "loc", "sha", 1)), ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
        assertThat(state.phase(2).seat()).isNull();
    }

    @Test
    void aFailedAttemptReleasesItsSeatAndItsRetryAsksAgain() {
        load(1, null);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptFailed(2, 1, "exit 1", ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
        apply(new Tick(state.phase(2).nextAttemptAt() + 1_000));
        assertThat(effects(RequestSeat.class)).containsExactly(new RequestSeat(2, 2, DOC, 0));
        assertThat(effects(Dispatch.class)).isEmpty();
    }

    @Test
    void aTimedOutAttemptReleasesItsSeat() {
        start();
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new SchedulerInput.Heartbeat(2, 1, now + 30_000));
        apply(new Tick(now + 2 * 60_000)); // past the phase timeout (1 min) and grace; heartbeats kept coming
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
    }

    @Test
    void aLostHeartbeatReleasesTheSeat() {
        start();
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new Tick(now + 20_000));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
    }

    @Test
    void cancellingTheExecutionReleasesARunningAttemptsSeat() {
        start();
        grant();
        apply(new Command(CommandKind.CANCEL, null, "alice", null, null, ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
    }

    @Test
    void cancellingWhileThePhaseWaitsWithdrawsTheRequest() {
        start();
        apply(new Command(CommandKind.CANCEL, null, "alice", null, null, ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
    }

    @Test
    void skippingAWaitingPhaseWithdrawsTheRequest() {
        start();
        apply(new Command(CommandKind.SKIP, 2, "alice", null, null, ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.SKIPPED);
    }

    @Test
    void aBudgetStopReleasesTheSeat() {
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(0, 0.0), null, null,
                true, null, null, new io.oe.core.plan.Budget(null, new io.oe.core.plan.BudgetLimit(100L, null), null), null)
                .withDefaults();
        keep(scheduler.register("exec_1", "/tmp/p", PlanJson.plan(TestPlans.seedPlan()), TestPlans.facts("azure",
                "terraform"), config, null, null, List.of(new Artifact("requirements.json", 1,
                "tee-output/artifacts/requirements.json", "ab", 2)), now));
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new SchedulerInput.UsageReported(2, 1, new Spend(500, 0), ++now));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
    }

    @Test
    void aStaleGrantIsReleasedAtOnce() {
        start();
        apply(new SeatGranted(2, 9, DOC, ++now));
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 9, DOC));
        assertThat(effects(Dispatch.class)).isEmpty();
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void aGrantAfterTheExecutionWasCancelledIsReleased() {
        start();
        apply(new Command(CommandKind.CANCEL, null, "alice", null, null, ++now));
        grant();
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
        assertThat(effects(Dispatch.class)).isEmpty();
    }

    @Test
    void aDuplicateGrantOfTheRunningAttemptReleasesNothing() {
        start();
        grant();
        grant();
        assertThat(effects(ReleaseSeat.class)).isEmpty();
        assertThat(effects(Dispatch.class)).isEmpty();
    }

    @Test
    void aGrantWhileThePausedExecutionWaitsIsGivenBackAndAskedForAgainOnResume() {
        start();
        apply(new Command(CommandKind.PAUSE, null, "alice", null, null, ++now));
        grant();
        assertThat(effects(ReleaseSeat.class)).containsExactly(new ReleaseSeat(2, 1, DOC));
        assertThat(effects(Dispatch.class)).isEmpty();
        apply(new Command(CommandKind.RESUME, null, "alice", null, null, ++now));
        assertThat(effects(RequestSeat.class)).containsExactly(new RequestSeat(2, 1, DOC, 0));
    }

    @Test
    void aPhaseWaitingForASeatCountsAsOneOfThePhasesRunningAtOnce() {
        start();
        grant();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptSucceeded(2, 1, List.of(new Artifact("x", 2, "loc", "sha", 1)), ++now));
        // phase 2 done; whatever is free now either asks for a seat or is dispatched, never above max_concurrent_phases
        long occupying = state.phases().values().stream().filter(r -> r.status().isActive() || r.waitsForSeat()).count();
        assertThat(occupying).isLessThanOrEqualTo(3);
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    }

    @Test
    void aDryRunTakesNoSeat() {
        EngineConfig config = EngineConfig.DEFAULTS;
        keep(scheduler.register("exec_1", "/tmp/p", PlanJson.plan(TestPlans.seedPlan()), TestPlans.facts("azure",
                "terraform"), config, null, null, List.of(new Artifact("requirements.json", 1,
                "tee-output/artifacts/requirements.json", "ab", 2)), now, true, null, null));
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        assertThat(effects(RequestSeat.class)).isEmpty();
        assertThat(effects(Dispatch.class)).extracting(Dispatch::phaseId).contains(2);
    }
}
