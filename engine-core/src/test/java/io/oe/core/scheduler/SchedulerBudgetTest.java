package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Ignored;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentFinished;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.UsageReported;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Budgets (engine.config.json {@code budget}): usage reported while an attempt runs is held against its phase's budget
 * and the execution's; 80 % warns once, 100 % stops the attempt and its phase waits for a person, who raises the budget
 * (BUDGET) and retries.
 */
class SchedulerBudgetTest {
    /** Two phases in a row. */
    private static final String PLAN = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "t", "mode": "sequential", "phases": [1, 2]}],
             "phases": [
               {"id": 1, "name": "Design", "agent": "@architect"},
               {"id": 2, "name": "Build", "agent": "@dev"}
             ]}""";

    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private long now = 1_000_000;

    private void load(String config) {
        EngineConfig c = PlanJson.config(PlanJson.parse(config));
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN)), PlanJson.parse("{}"), c,
                null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        apply(new AgentStarted(1, 1, "w1", ++now));
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        return d.effects();
    }

    private List<Effect> used(int phase, int attempt, long tokens) {
        return apply(new UsageReported(phase, attempt, new Spend(tokens, 0), ++now));
    }

    private static List<RaiseAlert> alerts(List<Effect> out, String kind) {
        return out.stream().filter(e -> e instanceof RaiseAlert a && a.kind().equals(kind)).map(RaiseAlert.class::cast).toList();
    }

    private static Command budget(Integer phase, Long tokens, Double cost) {
        return new Command(CommandKind.BUDGET, phase, "alice", null, null, 0, false, null, null, new BudgetLimit(tokens, cost));
    }

    private Command at(Command c) {
        return new Command(c.kind(), c.phaseId(), c.actor(), c.reason(), c.config(), ++now, false, null, null, c.budget());
    }

    @Test
    void usageCrossingEightyPercentOfAPhaseBudgetWarnsOnceAndTheAgentRunsOn() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        assertThat(alerts(used(1, 1, 500), "budget_warning")).isEmpty();
        var warned = alerts(used(1, 1, 850), "budget_warning");
        assertThat(warned).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("WARNING");
            assertThat(a.phaseId()).isEqualTo(1);
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 1: phase 1's budget: 850 of 1000"
                    + " tokens used (85 %)");
        });
        assertThat(alerts(used(1, 1, 900), "budget_warning")).as("once per budget").isEmpty();
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.IN_PROGRESS);
    }

    @Test
    void reachingAPhaseBudgetStopsTheRunningAttemptAndThePhaseWaitsForAPersonWithTheReason() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        var out = used(1, 1, 1200);
        assertThat(out).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Transition.class, t -> {
            assertThat(t.phaseId()).isEqualTo(1);
            assertThat(t.from()).isEqualTo("in_progress");
            assertThat(t.to()).isEqualTo("waiting_for_intervention");
            assertThat(t.reason()).isEqualTo("stopped: phase 1's budget: 1200 of 1000 tokens used (120 %)"
                    + " (oe budget, then oe retry --phase 1)");
        }));
        assertThat(alerts(out, "budget_warning")).hasSize(1); // crossed on the way
        assertThat(alerts(out, "budget_exceeded")).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo("CRITICAL");
            assertThat(a.message()).contains("1200 of 1000 tokens").contains("stopped the running attempt of phase(s) [1]")
                    .contains("oe budget --phase 1");
        });
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        assertThat(state.phase(1).currentAttempt().outcome()).isEqualTo("stopped");
    }

    @Test
    void aCostBudgetIsHeldToTheReportedDollars() {
        load("{\"budget\": {\"execution\": {\"cost_usd\": 0.5}}}");
        var out = apply(new UsageReported(1, 1, new Spend(10, 0.45), ++now));
        assertThat(alerts(out, "budget_warning")).singleElement().satisfies(a -> assertThat(a.message())
                .endsWith("the execution's budget: $0.4500 of $0.5000 used (90 %)"));
        out = apply(new UsageReported(1, 1, new Spend(20, 0.5), ++now));
        assertThat(alerts(out, "budget_exceeded")).hasSize(1);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
    }

    @Test
    void aLowerFigureThanOneAlreadyCountedLowersNothing() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 700);
        assertThat(used(1, 1, 100)).isEmpty();
        assertThat(state.phase(1).spent()).isEqualTo(new Spend(700, 0));
        assertThat(alerts(used(1, 1, 810), "budget_warning")).hasSize(1);
    }

    @Test
    void theStoppedAttemptsLateResultIsIgnoredAndThePhaseKeepsWaiting() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 1000);
        var out = apply(new AttemptSucceeded(1, 1, List.of(), ++now));
        assertThat(out).singleElement().isInstanceOf(Ignored.class);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
    }

    @Test
    void raisingThePhaseBudgetThenRetryingRunsTheNextAttemptAndTheExecutionCompletes() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 1000);
        var raised = apply(at(budget(1, 5000L, null)));
        assertThat(state.config().budget().forPhase(1)).isEqualTo(new BudgetLimit(5000L, null));
        assertThat(state.config().budget().forPhase(2)).as("the other phases keep theirs").isEqualTo(new BudgetLimit(1000L, null));
        assertThat(raised).noneMatch(Dispatch.class::isInstance);
        var retried = apply(new Command(CommandKind.RETRY, 1, "alice", null, null, ++now));
        assertThat(retried).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Dispatch.class,
                d -> assertThat(d.attempt()).isEqualTo(2)));
        apply(new AgentStarted(1, 2, "w1", ++now));
        assertThat(alerts(used(1, 2, 3100), "budget_warning")).as("the phase's attempts count together: 4100 of 5000")
                .hasSize(1);
        apply(new AttemptSucceeded(1, 2, List.of(), ++now));
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptSucceeded(2, 1, List.of(), ++now));
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    @Test
    void aRetryWithoutARaisedBudgetWaitsAgainWithoutADispatch() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 1000);
        var out = apply(new Command(CommandKind.RETRY, 1, "alice", null, null, ++now));
        assertThat(out).noneMatch(Dispatch.class::isInstance);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(state.phase(1).reason()).startsWith("waits: phase 1's budget: 1000 of 1000 tokens used");
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
    }

    @Test
    void aBudgetThatLowersALimitOrSetsOneWhereNoneWasIsRefusedEvenAboveWhatIsUsed() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 200);
        ExecutionState before = state;
        assertThat(apply(at(budget(1, 500L, null)))).singleElement().isInstanceOfSatisfying(Ignored.class, i -> assertThat(
                i.reason()).isEqualTo("BUDGET refused: phase 1's budget of 500 tokens is not a raise: its limit is 1000 tokens"));
        assertThat(apply(at(budget(1, 1000L, null)))).as("the same limit").singleElement().isInstanceOf(Ignored.class);
        assertThat(apply(at(budget(1, null, 3.0)))).singleElement().isInstanceOfSatisfying(Ignored.class, i -> assertThat(
                i.reason()).isEqualTo("BUDGET refused: phase 1's budget has no cost limit to raise (a BUDGET only raises a"
                        + " limit the configuration set)"));
        assertThat(apply(at(budget(null, 5000L, null)))).as("the execution has no budget of its own").singleElement()
                .isInstanceOf(Ignored.class);
        assertThat(state).isSameAs(before);
    }

    @Test
    void anAppliedBudgetGoesOutOnTheExecutionsTransitionWholeSoReadersShowWhatTheSchedulerHolds() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 200);
        var out = apply(at(budget(2, 5000L, null)));
        assertThat(out).singleElement().isInstanceOfSatisfying(Transition.class, t -> {
            assertThat(t.phaseId()).isNull();
            assertThat(t.from()).isEqualTo("in_progress");
            assertThat(t.to()).as("running on: the status stays").isEqualTo("in_progress");
            assertThat(t.reason()).isEqualTo("phase 2's budget set to 5000 tokens by alice");
            assertThat(t.budget()).isEqualTo(state.config().budget());
            assertThat(t.budget().forPhase(2)).isEqualTo(new BudgetLimit(5000L, null));
            assertThat(t.budget().forPhase(1)).isEqualTo(new BudgetLimit(1000L, null));
        });
    }

    @Test
    void theStartTransitionCarriesTheBudgetTheExecutionRunsWith() {
        EngineConfig c = PlanJson.config(PlanJson.parse("{\"budget\": {\"execution\": {\"tokens\": 9000}}}"));
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN)), PlanJson.parse("{}"), c,
                null, null, List.of(), now).state();
        var out = apply(new Command(CommandKind.START, null, "tester", null, PlanJson.config(PlanJson.parse(
                "{\"max_concurrent_phases\": 1}")), now));
        assertThat(out).filteredOn(e -> e instanceof Transition t && t.phaseId() == null).singleElement()
                .isInstanceOfSatisfying(Transition.class, t -> assertThat(t.budget().execution())
                        .as("a START config without a budget keeps the one at load").isEqualTo(new BudgetLimit(9000L, null)));
    }

    @Test
    void aBudgetNotAboveWhatIsUsedOrNotPositiveIsRefusedAndChangesNothing() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}}");
        used(1, 1, 1000);
        ExecutionState before = state;
        assertThat(apply(at(budget(1, 900L, null)))).singleElement().isInstanceOfSatisfying(Ignored.class, i -> assertThat(
                i.reason()).isEqualTo("BUDGET refused: phase 1's budget of 900 tokens is not above the 1000 tokens already used"));
        assertThat(apply(at(budget(1, -5L, null)))).singleElement().isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).contains("BUDGET.tokens is -5"));
        assertThat(apply(at(budget(9, 5000L, null)))).singleElement().isInstanceOfSatisfying(Ignored.class,
                i -> assertThat(i.reason()).isEqualTo("BUDGET refused: execution exec_1 has no phase 9"));
        assertThat(state).isSameAs(before);
    }

    @Test
    void anExecutionBudgetUsedUpByAFinishedAgentLetsItsPhaseCompleteButDispatchesNoOther() {
        load("{\"budget\": {\"execution\": {\"tokens\": 1000}}}");
        // the usage comes with the result: the agent is done, nothing to stop, its outcome stands
        var out = apply(new AgentFinished(1, 1, ++now, new Spend(1100, 0)));
        assertThat(alerts(out, "budget_exceeded")).singleElement().satisfies(a -> assertThat(a.message())
                .contains("nothing was running under it"));
        out = apply(new AttemptSucceeded(1, 1, List.of(), ++now));
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(out).noneMatch(Dispatch.class::isInstance);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        assertThat(out).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Transition.class, t -> {
            assertThat(t.phaseId()).isNull();
            assertThat(t.reason()).isEqualTo("no phase can run until a person acts: the execution's budget: 1100 of 1000"
                    + " tokens used (110 %) (oe budget to raise it)");
        }));
        out = apply(at(budget(null, 3000L, null)));
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        assertThat(out).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Dispatch.class,
                d -> assertThat(d.phaseId()).isEqualTo(2)));
    }

    @Test
    void anExecutionBudgetReachedStopsEveryRunningAttempt() {
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN.replace("sequential",
                "parallel"))), PlanJson.parse("{}"), PlanJson.config(PlanJson.parse(
                "{\"budget\": {\"execution\": {\"tokens\": 1000}}}")), null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        apply(new AgentStarted(1, 1, "w1", ++now));
        apply(new AgentStarted(2, 1, "w2", ++now));
        used(2, 1, 400);
        var out = used(1, 1, 600);
        assertThat(alerts(out, "budget_exceeded")).singleElement().satisfies(a -> assertThat(a.message())
                .contains("stopped the running attempt of phase(s) [1, 2]"));
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
    }

    @Test
    void budgetAlertsCanBeSwitchedOffAndTheStopStillHappens() {
        load("{\"budget\": {\"phase\": {\"tokens\": 1000}}, \"alerts\": {\"budget_warning\": false, \"budget_exceeded\": false}}");
        var out = used(1, 1, 1000);
        assertThat(out).noneMatch(RaiseAlert.class::isInstance);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
    }

    @Test
    void withoutABudgetUsageIsCountedAndNothingIsStopped() {
        load("{}");
        var out = used(1, 1, 1_000_000_000L);
        assertThat(out).isEmpty();
        assertThat(state.phase(1).spent().tokens()).isEqualTo(1_000_000_000L);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.IN_PROGRESS);
    }

    @Test
    void aStartConfigWithoutABudgetKeepsTheOneGivenAtLoad() {
        EngineConfig c = PlanJson.config(PlanJson.parse("{\"budget\": {\"phase\": {\"tokens\": 1000}}}"));
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN)), PlanJson.parse("{}"), c,
                null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, PlanJson.config(PlanJson.parse(
                "{\"max_concurrent_phases\": 1}")), now));
        assertThat(state.config().budget().forPhase(1).tokens()).isEqualTo(1000L);
        assertThat(state.config().maxConcurrentPhases()).isEqualTo(1);
    }
}
