package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Ignored;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.Heartbeat;
import io.oe.core.scheduler.SchedulerInput.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private final List<Effect> effects = new ArrayList<>();
    private long now = 1_000_000;

    private static EngineConfig config(int maxConcurrent, int maxRetries, double backoffSeconds) {
        return new EngineConfig(null, null, null, null, maxConcurrent, null, null,
                new RetrySettings(maxRetries, backoffSeconds), null, null, true).withDefaults();
    }

    private void load(ObjectNode planJson, String cloud, String iac, EngineConfig config) {
        Plan plan = PlanJson.plan(planJson);
        var d = scheduler.register("exec_1", "/tmp/p", plan, TestPlans.facts(cloud, iac), config, null, null,
                List.of(new Artifact("requirements.json", 1, "tee-output/artifacts/requirements.json", "ab", 2)), now);
        state = d.state();
        effects.addAll(d.effects());
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        effects.addAll(d.effects());
        return d.effects();
    }

    private List<Dispatch> dispatches(List<Effect> out) {
        return out.stream().filter(Dispatch.class::isInstance).map(Dispatch.class::cast).toList();
    }

    private List<Effect> start() {
        return apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private List<Effect> complete(int phase) {
        int attempt = state.phase(phase).attempt();
        apply(new AgentStarted(phase, attempt, "w1", ++now));
        return apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact("out-" + phase, phase, "loc", "sha", 1)), ++now));
    }

    private PhaseStatus status(int phase) {
        return state.phase(phase).status();
    }

    @Test
    void runsTheSeedPlanInTierOrder() {
        load(TestPlans.seedPlan(), "azure", "terraform", config(3, 1, 0));
        assertThat(state.status()).isEqualTo(ExecutionStatus.INITIALIZED);
        assertThat(status(1)).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(dispatches(start())).extracting(Dispatch::phaseId).containsExactly(2);
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        // phase 2 gets phase 1's pre-existing artifact as input
        assertThat(dispatches(effects).get(0).inputs()).extracting(Artifact::name).containsExactly("requirements.json");
        for (int p = 2; p < 8; p++) {
            assertThat(dispatches(complete(p))).extracting(Dispatch::phaseId).containsExactly(p + 1);
        }
        // after 8: 9 runs (Azure), 11 waits for 9
        assertThat(dispatches(complete(8))).extracting(Dispatch::phaseId).containsExactly(9);
        // after 9: 11 is skipped (not Bicep), and 12-14 are dispatched together
        var after9 = complete(9);
        assertThat(status(11)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(11).reason()).isEqualTo("condition `project.infrastructure.iac == 'bicep'` is false");
        assertThat(dispatches(after9)).extracting(Dispatch::phaseId).containsExactly(12, 13, 14);
        assertThat(dispatches(complete(12))).isEmpty();
        assertThat(dispatches(complete(14))).isEmpty();
        assertThat(dispatches(complete(13))).extracting(Dispatch::phaseId).containsExactly(15); // sync point
        assertThat(dispatches(complete(15))).extracting(Dispatch::phaseId).containsExactly(16);
        complete(16);
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(state.endedAt()).isNotNull();
    }

    @Test
    void aPhaseWhoseRequiredInputComesFromASkippedPhaseIsSkippedToo() {
        load(TestPlans.seedPlan(), "aws", "bicep", config(3, 1, 0));
        start();
        for (int p = 2; p <= 8; p++) {
            complete(p);
        }
        assertThat(status(9)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(status(11)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(11).reason()).isEqualTo("required input azure-design.json comes from skipped phase 9 (Azure design)");
        assertThat(status(12)).isEqualTo(PhaseStatus.READY);
    }

    @Test
    void maxConcurrentPhasesIsHonoured() {
        load(TestPlans.seedPlan(), "azure", "terraform", config(2, 1, 0));
        start();
        for (int p = 2; p <= 9; p++) {
            complete(p);
        }
        assertThat(List.of(status(12), status(13), status(14)))
                .containsExactly(PhaseStatus.READY, PhaseStatus.READY, PhaseStatus.PENDING);
        assertThat(dispatches(complete(12))).extracting(Dispatch::phaseId).containsExactly(14);
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsBackoffWithThePreviousError() {
        load(TestPlans.seedPlan(), "azure", "terraform", config(3, 3, 30));
        start(); // phase 2 has its own policy: 2 retries, 5 s backoff
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptFailed(2, 1, "exited with code 1", ++now));
        assertThat(out).filteredOn(Transition.class::isInstance).extracting(e -> ((Transition) e).to())
                .containsExactly("failed", "pending");
        long due = state.phase(2).nextAttemptAt();
        assertThat(due - now).isBetween(4500L, 5500L);
        assertThat(dispatches(apply(new Tick(due - 1)))).isEmpty();
        now = due;
        var retry = dispatches(apply(new Tick(now)));
        assertThat(retry).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.previousError()).isEqualTo("exited with code 1");
        });
    }

    /** The seed plan without phase 2's own retry policy, so that the config's applies. */
    static ObjectNode planWithConfigRetries() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(1)).remove("retry");
        return plan;
    }

    @Test
    void alertOnFailureFalseRaisesNoAlertButStillWaitsForAPerson() {
        EngineConfig quiet = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(0, 0.0), null, null, false)
                .withDefaults();
        load(planWithConfigRetries(), "azure", "terraform", quiet);
        start();
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptFailed(2, 1, "boom", ++now));
        assertThat(status(2)).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(out).noneMatch(RaiseAlert.class::isInstance);
    }

    @Test
    void whenRetriesRunOutThePhaseWaitsForAPersonAndAnAlertIsRaised() {
        load(planWithConfigRetries(), "azure", "terraform", config(3, 0, 0));
        start();
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptFailed(2, 1, "boom", ++now));
        assertThat(status(2)).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        assertThat(out).filteredOn(RaiseAlert.class::isInstance).singleElement()
                .satisfies(a -> assertThat(((RaiseAlert) a).kind()).isEqualTo("retries_exhausted"));
        // a person retries: a new budget, attempt numbers continue
        var retried = apply(new Command(CommandKind.RETRY, 2, "alice", "fixed the agent", null, ++now));
        assertThat(dispatches(retried)).singleElement().satisfies(d -> assertThat(d.attempt()).isEqualTo(2));
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    }

    @Test
    void anExecutionNeverFailsWhenRetriesRunOutItWaitsForAPersonWhoMayAlwaysRetrySkipOrCancel() {
        load(planWithConfigRetries(), "azure", "terraform", config(3, 0, 0));
        start();
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptFailed(2, 1, "boom", ++now));
        for (int i = 0; i < 5; i++) {
            apply(new Tick(now += 60_000)); // time passes: nothing gives up on the person's behalf
        }
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        var phases = new java.util.HashMap<Integer, PhaseStatus>();
        state.phases().forEach((id, run) -> phases.put(id, run.status()));
        for (var kind : List.of(CommandKind.RETRY, CommandKind.SKIP, CommandKind.CANCEL)) {
            assertThat(CommandGuard.refusal("exec_1", state.status(), phases, kind, kind == CommandKind.CANCEL ? null : 2))
                    .as("%s while waiting for a person", kind).isEmpty();
        }
        // the execution's transitions so far, and every status it can have: it ends completed or cancelled, never failed
        assertThat(effects).filteredOn(e -> e instanceof Transition t && t.phaseId() == null)
                .extracting(e -> ((Transition) e).to()).containsExactly("initialized", "in_progress", "waiting_for_intervention");
        assertThat(ExecutionStatus.values()).extracting(ExecutionStatus::json).containsExactly("initialized", "in_progress",
                "paused", "waiting_for_intervention", "completed", "cancelled");
        assertThat(ExecutionStatus.values()).filteredOn(ExecutionStatus::isTerminal)
                .containsExactly(ExecutionStatus.COMPLETED, ExecutionStatus.CANCELLED);
        assertThat(ExecutionStatus.isTerminal("failed")).isFalse();
        apply(new Command(CommandKind.SKIP, 2, "alice", "not needed", null, ++now));
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    }

    @Test
    void staleAndDuplicateResultsAreIgnored() {
        load(TestPlans.seedPlan(), "azure", "terraform", config(3, 1, 0));
        start();
        complete(2);
        var dup = apply(new AttemptSucceeded(2, 1, List.of(), ++now));
        assertThat(dup).singleElement().isInstanceOf(Ignored.class);
        var stale = apply(new AttemptFailed(3, 7, "old", ++now));
        assertThat(stale).singleElement().satisfies(e -> assertThat(((Ignored) e).reason()).contains("stale"));
        assertThat(status(3)).isEqualTo(PhaseStatus.READY);
    }

    @Test
    void aFinishedAgentWhoseHandoffIsSlowIsNotTakenForLost() {
        load(planWithConfigRetries(), "azure", "terraform", config(3, 1, 0));
        start();
        long t = now;
        apply(new AgentStarted(2, 1, "w1", t));
        apply(new SchedulerInput.AgentFinished(2, 1, t + 3_000));
        apply(new Heartbeat(2, 1, t + 2_900)); // published before the exit, read after it: does not restart the clock
        var out = apply(new Tick(t + 60_000)); // the handoff-service is restarting: no handoff for a minute
        assertThat(dispatches(out)).isEmpty();
        assertThat(status(2)).isEqualTo(PhaseStatus.IN_PROGRESS);
        apply(new AttemptSucceeded(2, 1, List.of(), t + 61_000));
        assertThat(status(2)).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.phase(2).attempts()).hasSize(1);
    }

    @Test
    void lostHeartbeatAndTimeoutFailTheAttempt() {
        load(planWithConfigRetries(), "azure", "terraform", config(3, 1, 0));
        start();
        apply(new AgentStarted(2, 1, "w1", now));
        apply(new Heartbeat(2, 1, now + 5_000));
        assertThat(status(2)).isEqualTo(PhaseStatus.IN_PROGRESS);
        var out = apply(new Tick(now + 16_000));
        assertThat(state.phase(2).attempts().get(0).error()).startsWith("no heartbeat from w1");
        assertThat(dispatches(out)).singleElement().satisfies(d -> assertThat(d.attempt()).isEqualTo(2));
        // attempt 2 never starts: the config's 120-minute phase timeout plus grace fails it
        apply(new Tick(now + 16_000 + 120 * 60_000 + 6_000));
        assertThat(state.phase(2).attempts().get(1).error()).startsWith("timed out");
    }

    @Test
    void theConfigsPhaseAndTaskTimeoutsGoWithEveryDispatchUnlessThePhaseSetsItsOwn() {
        EngineConfig timeouts = new EngineConfig(null, null, null, null, 3, 45.0, 7.5, new RetrySettings(1, 0.0), null,
                null, true).withDefaults();
        ObjectNode plan = TestPlans.seedPlan();
        ObjectNode three = (ObjectNode) plan.get("phases").get(2);
        three.put("timeout_minutes", 10).put("task_timeout_minutes", 2);
        load(plan, "azure", "terraform", timeouts);
        assertThat(dispatches(start())).singleElement().satisfies(d -> {
            assertThat(d.timeoutMs()).isEqualTo(45 * 60_000);
            assertThat(d.taskTimeoutMs()).isEqualTo(450_000); // task_timeout_minutes 7.5: the gateway's watchdog
        });
        assertThat(dispatches(complete(2))).singleElement().satisfies(d -> {
            assertThat(d.phaseId()).isEqualTo(3);
            assertThat(d.timeoutMs()).isEqualTo(10 * 60_000);
            assertThat(d.taskTimeoutMs()).isEqualTo(2 * 60_000);
        });
    }

    @Test
    void aPhaseThatAsksForAnInputInAnotherFormatGetsTheConvertedArtifactItsProducersHandoffStored() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.get("phases").get(1)).putArray("outputs").addObject().put("artifact", "design.yaml");
        ((ObjectNode) plan.get("phases").get(2)).putArray("inputs").addObject().put("artifact", "design.yaml").put("from", 2)
                .put("as", "json");
        load(plan, "azure", "terraform", config(3, 1, 0));
        start();
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptSucceeded(2, 1, List.of(new Artifact("design.yaml", 2, "loc/yaml", "y", 10),
                new Artifact("design.json", 2, "loc/json", "j", 12)), ++now));
        assertThat(dispatches(out)).singleElement().satisfies(d -> {
            assertThat(d.phaseId()).isEqualTo(3);
            assertThat(d.inputs()).extracting(Artifact::name, Artifact::location).containsExactly(tuple("design.json", "loc/json"));
        });
    }

    @Test
    void silenceThatIsOnlyTheSchedulersOwnBacklogIsNotALostHeartbeat() {
        load(planWithConfigRetries(), "azure", "terraform", config(3, 1, 0));
        start();
        apply(new AgentStarted(2, 1, "w1", now));
        // 16 s without a heartbeat, but the scheduler is reading events 8 s old: only 8 s of silence are real
        apply(new Tick(now + 16_000, 8_000));
        assertThat(status(2)).isEqualTo(PhaseStatus.IN_PROGRESS);
        // once it has caught up, the same silence is a lost agent
        apply(new Tick(now + 16_000, 0));
        assertThat(state.phase(2).attempts().get(0).error()).startsWith("no heartbeat from w1");
    }

    @Test
    void approvalPauseResumeSkipAndCancel() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(2)).put("approval", true);
        load(plan, "azure", "terraform", config(3, 1, 0));
        start();
        complete(2);
        assertThat(status(3)).isEqualTo(PhaseStatus.WAITING_FOR_APPROVAL);
        assertThat(dispatches(apply(new Command(CommandKind.APPROVE, 3, "bob", null, null, ++now))))
                .extracting(Dispatch::phaseId).containsExactly(3);
        assertThat(state.phase(3).approvedBy()).isEqualTo("bob");
        apply(new Command(CommandKind.PAUSE, null, "bob", null, null, ++now));
        assertThat(dispatches(complete(3))).isEmpty(); // paused: running phases finish, none start
        assertThat(dispatches(apply(new Command(CommandKind.RESUME, null, "bob", null, null, ++now))))
                .extracting(Dispatch::phaseId).containsExactly(4);
        var badSkip = apply(new Command(CommandKind.SKIP, 4, "bob", null, null, ++now));
        assertThat(badSkip).singleElement().satisfies(e -> assertThat(((Ignored) e).reason()).contains("SKIP refused"));
        apply(new Command(CommandKind.SKIP, 5, "bob", "not needed", null, ++now));
        assertThat(state.phase(5).reason()).isEqualTo("skipped by bob: not needed");
        apply(new Command(CommandKind.CANCEL, null, "bob", null, null, ++now));
        assertThat(state.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(status(4)).isEqualTo(PhaseStatus.CANCELLED);
        assertThat(apply(new Command(CommandKind.START, null, "bob", null, null, ++now))).singleElement()
                .isInstanceOf(Ignored.class);
    }

    @Test
    void commandsOnUnknownPhasesChangeNothing() {
        load(TestPlans.seedPlan(), "azure", "terraform", config(3, 1, 0));
        start();
        ExecutionState before = state;
        var out = apply(new Command(CommandKind.RETRY, 42, "bob", null, null, ++now));
        assertThat(out).singleElement().satisfies(e -> assertThat(((Ignored) e).reason()).contains("has no phase 42"));
        assertThat(state).isEqualTo(before);
    }

    // ---- agent alternatives ----------------------------------------------------------------------------------------

    /** The specification's phases 13 (@nodejs/@dotnet) and 14 (@react/@vue) between a producer and a sync point. */
    private static final String ALTERNATIVES_PLAN = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "design", "mode": "sequential", "phases": [8]},
                       {"name": "implementation", "mode": "parallel", "phases": [13, 14]},
                       {"name": "finalization", "mode": "sequential", "phases": [15]}],
             "phases": [
               {"id": 8, "name": "Code architecture", "agent": "@code-architect", "outputs": [{"artifact": "code.json"}]},
               {"id": 13, "name": "Backend", "inputs": [{"artifact": "code.json", "from": 8}], "outputs": [{"artifact": "api.json"}],
                "alternatives": [{"agent": "@nodejs", "condition": "project.stack.backend == 'nodejs'"},
                                 {"agent": "@dotnet", "condition": "project.stack.backend == 'dotnet'"}]},
               {"id": 14, "name": "Frontend", "outputs": [{"artifact": "app.json"}],
                "alternatives": [{"agent": "@react", "condition": "project.stack.frontend == 'react'"},
                                 {"agent": "@vue", "condition": "project.stack.frontend == 'vue'"}]},
               {"id": 15, "name": "CI/CD", "agent": "@devops",
                "inputs": [{"artifact": "api.json", "from": 13}, {"artifact": "app.json", "from": 14}]}
             ]}""";

    private void loadAlternatives(String facts, EngineConfig config) {
        var d = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(ALTERNATIVES_PLAN)), PlanJson.parse(facts),
                config, null, null, List.of(), now);
        state = d.state();
        effects.addAll(d.effects());
    }

    private static List<Transition> transitionsOf(List<Effect> out, int phase) {
        return out.stream().filter(Transition.class::isInstance).map(Transition.class::cast)
                .filter(t -> t.phaseId() != null && t.phaseId() == phase).toList();
    }

    @Test
    void theFirstAlternativeWhoseConditionHoldsRunsThePhaseAndTheDispatchAndTransitionSaySo() {
        loadAlternatives("{\"stack\": {\"backend\": \"dotnet\", \"frontend\": \"react\"}}", config(3, 1, 0));
        start();
        var after8 = complete(8);
        assertThat(dispatches(after8)).extracting(Dispatch::phaseId, Dispatch::agent)
                .containsExactly(tuple(13, "@dotnet"), tuple(14, "@react"));

        AgentChoice backend = state.phase(13).choice();
        assertThat(backend.chosen()).isEqualTo(2);
        assertThat(backend.agent()).isEqualTo("@dotnet");
        assertThat(backend.alternatives()).extracting(AgentChoice.Considered::agent, AgentChoice.Considered::outcome)
                .containsExactly(tuple("@nodejs", "false"), tuple("@dotnet", "holds"));
        assertThat(backend.reason()).isEqualTo("@dotnet chosen (alternative 2 of 2): `project.stack.backend == 'dotnet'` holds;"
                + " before it, @nodejs's `project.stack.backend == 'nodejs'` is false");
        assertThat(state.phase(14).choice().reason()).isEqualTo("@react chosen (alternative 1 of 2):"
                + " `project.stack.frontend == 'react'` holds");
        assertThat(state.phase(14).choice().alternatives()).extracting(AgentChoice.Considered::outcome)
                .containsExactly("holds", "not_evaluated");
        // the transition with which the phase left pending carries the choice; the later ones do not repeat it
        assertThat(transitionsOf(after8, 13)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("ready");
            assertThat(t.choice()).isEqualTo(backend);
        });
        assertThat(transitionsOf(complete(13), 13)).allSatisfy(t -> assertThat(t.choice()).isNull());
        complete(14);
        assertThat(dispatches(effects)).extracting(Dispatch::phaseId, Dispatch::agent).contains(tuple(15, "@devops"));
    }

    @Test
    void aRetryRunsTheSameAlternativeAndItsAlertNamesIt() {
        loadAlternatives("{\"stack\": {\"backend\": \"dotnet\", \"frontend\": \"react\"}}", config(3, 1, 0));
        start();
        complete(8);
        apply(new AgentStarted(13, 1, "w1", ++now));
        var retry = apply(new AttemptFailed(13, 1, "exited with code 1", ++now)); // no backoff: retried at once
        assertThat(dispatches(retry)).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.agent()).isEqualTo("@dotnet");
        });
        assertThat(transitionsOf(retry, 13)).extracting(Transition::to).containsExactly("failed", "pending", "ready");
        assertThat(transitionsOf(retry, 13)).allSatisfy(t -> assertThat(t.choice()).isNull());
        apply(new AgentStarted(13, 2, "w1", ++now));
        var out = apply(new AttemptFailed(13, 2, "exited with code 1", ++now));
        assertThat(out).filteredOn(RaiseAlert.class::isInstance).singleElement().satisfies(a ->
                assertThat(((RaiseAlert) a).message()).startsWith("phase 13 (Backend) @dotnet, attempt 2: retries exhausted"));
    }

    @Test
    void whenNoAlternativesConditionHoldsThePhaseIsSkippedSayingWhyAndItsRequiredReadersToo() {
        loadAlternatives("{\"stack\": {\"backend\": \"python\", \"frontend\": \"react\"}}", config(3, 1, 0));
        start();
        var after8 = complete(8);
        assertThat(status(13)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(13).reason()).isEqualTo("no alternative's condition holds: @nodejs's"
                + " `project.stack.backend == 'nodejs'` is false; @dotnet's `project.stack.backend == 'dotnet'` is false");
        assertThat(state.phase(13).choice().agent()).isNull();
        assertThat(transitionsOf(after8, 13)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("skipped");
            assertThat(t.choice().chosen()).isZero();
        });
        assertThat(dispatches(after8)).extracting(Dispatch::phaseId).containsExactly(14);
        complete(14);
        assertThat(status(15)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(15).reason()).isEqualTo("required input api.json comes from skipped phase 13 (Backend)");
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    @Test
    void aConditionThatCannotBeEvaluatedDoesNotHoldAndTheNextAlternativeIsTried() {
        loadAlternatives("{\"stack\": {\"backend\": \"dotnet\"}}", config(3, 1, 0)); // no frontend fact
        start();
        complete(8);
        assertThat(status(14)).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(14).choice().alternatives()).extracting(AgentChoice.Considered::outcome)
                .containsExactly("error", "error");
        assertThat(state.phase(14).reason()).startsWith("no alternative's condition holds: @react's"
                + " `project.stack.frontend == 'react'` could not be evaluated: ").contains("frontend");
    }

    @Test
    void aPhaseWaitingForApprovalHasItsAlternativeChosenAndRunsItOnceApproved() {
        ObjectNode plan = (ObjectNode) PlanJson.parse(ALTERNATIVES_PLAN);
        ((ObjectNode) plan.withArray("phases").get(1)).put("approval", true);
        var d = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(plan),
                PlanJson.parse("{\"stack\": {\"backend\": \"nodejs\", \"frontend\": \"vue\"}}"), config(3, 1, 0), null,
                null, List.of(), now);
        state = d.state();
        start();
        var after8 = complete(8);
        assertThat(transitionsOf(after8, 13)).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo("waiting_for_approval");
            assertThat(t.choice().agent()).isEqualTo("@nodejs");
        });
        assertThat(dispatches(after8)).extracting(Dispatch::agent).containsExactly("@vue");
        var approved = apply(new Command(CommandKind.APPROVE, 13, "bob", null, null, ++now));
        assertThat(dispatches(approved)).extracting(Dispatch::agent).containsExactly("@nodejs");
        assertThat(transitionsOf(approved, 13)).allSatisfy(t -> assertThat(t.choice()).isNull());
    }
}
