package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.oe.core.plan.AlertKind;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.Failure;
import io.oe.core.scheduler.SchedulerInput.Heartbeat;
import io.oe.core.scheduler.SchedulerInput.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alerts the scheduler raises: each kind, its severity, a message that names the phase, the agent, the attempt and
 * why (the reason of the transition that raised it), and each kind switched off in engine.config.json's {@code alerts}.
 */
class SchedulerAlertsTest {
    /** Two phases in a row; the second needs a person's approval. */
    private static final String PLAN = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "t", "mode": "sequential", "phases": [1, 2]}],
             "phases": [
               {"id": 1, "name": "Design", "agent": "@architect", "outputs": [{"artifact": "design.json"}]},
               {"id": 2, "name": "Deploy", "agent": "@devops", "approval": true}
             ]}""";

    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private final List<Effect> effects = new ArrayList<>();
    private long now = 1_000_000;

    private static EngineConfig config(int maxRetries, Boolean alertOnFailure, Map<String, Boolean> alerts) {
        return new EngineConfig(null, null, null, null, 3, 10.0, null, new RetrySettings(maxRetries, 0.0), null, null,
                alertOnFailure, alerts).withDefaults();
    }

    private void load(EngineConfig config) {
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN)), PlanJson.parse("{}"), config,
                null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        effects.addAll(d.effects());
        return d.effects();
    }

    private static List<RaiseAlert> alerts(List<Effect> out) {
        return out.stream().filter(RaiseAlert.class::isInstance).map(RaiseAlert.class::cast).toList();
    }

    /** The reason of the phase's transition to {@code to}: what the alert must say as its why. */
    private static String reason(List<Effect> out, int phase, String to) {
        return out.stream().filter(e -> e instanceof Transition t && t.phaseId() != null && t.phaseId() == phase
                && t.to().equals(to)).map(e -> ((Transition) e).reason()).findFirst().orElseThrow();
    }

    private List<Effect> startPhase1() {
        return apply(new AgentStarted(1, state.phase(1).attempt(), "w1", ++now));
    }

    @Test
    void anAttemptWithoutAResultAfterItsTimeoutRaisesAttemptTimedOutNamingPhaseAgentAttemptAndWhy() {
        load(config(1, null, null));
        // dispatched but never started (no heartbeat clock): the 10-minute timeout plus 5 s grace fails it
        var out = apply(new Tick(now + 10 * 60_000 + 5_001));
        String why = reason(out, 1, "failed");
        assertThat(why).startsWith("timed out: no result");
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("attempt_timed_out");
            assertThat(a.severity()).isEqualTo("WARNING");
            assertThat(a.phaseId()).isEqualTo(1);
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 1: " + why);
        });
    }

    @Test
    void anAttemptTheGatewayStoppedAtItsTimeoutRaisesAttemptTimedOut() {
        load(config(1, null, null));
        startPhase1();
        var out = apply(new AttemptFailed(1, 1, "agent @architect failed: timed out after 10 min; process tree stopped",
                ++now, Failure.TIMED_OUT));
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("attempt_timed_out");
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 1: agent @architect failed: timed out "
                    + "after 10 min; process tree stopped");
        });
    }

    @Test
    void anAttemptWhoseHeartbeatsStopRaisesHeartbeatLost() {
        load(config(1, null, null));
        startPhase1();
        apply(new Heartbeat(1, 1, now + 2_000));
        var out = apply(new Tick(now + 13_000));
        String why = reason(out, 1, "failed");
        assertThat(why).startsWith("no heartbeat from w1");
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("heartbeat_lost");
            assertThat(a.severity()).isEqualTo("WARNING");
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 1: " + why);
        });
    }

    @Test
    void aHandoffThatBrokeItsContractRaisesContractViolated() {
        load(config(1, null, null));
        startPhase1();
        String error = "handoff failed: 1 contract violation(s): design.json /region: required\n- design.json /region: required";
        var out = apply(new AttemptFailed(1, 1, error, ++now, Failure.CONTRACT_VIOLATED));
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("contract_violated");
            assertThat(a.severity()).isEqualTo("WARNING");
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 1: " + error);
        });
    }

    @Test
    void anAgentThatFailsOnItsOwnRaisesNoAlertUntilItsRetriesRunOut() {
        load(config(1, null, null));
        startPhase1();
        assertThat(alerts(apply(new AttemptFailed(1, 1, "exited with code 1", ++now)))).isEmpty(); // retried at once
        apply(new AgentStarted(1, 2, "w1", ++now));
        var out = apply(new AttemptFailed(1, 2, "exited with code 1", ++now));
        String why = reason(out, 1, "waiting_for_intervention");
        assertThat(why).isEqualTo("retries exhausted after 2 failed attempt(s); last error: exited with code 1");
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("retries_exhausted");
            assertThat(a.severity()).isEqualTo("CRITICAL");
            assertThat(a.message()).isEqualTo("phase 1 (Design) @architect, attempt 2: " + why
                    + " (a person: oe retry / oe skip --phase 1)");
        });
    }

    @Test
    void aLastAttemptThatTimesOutRaisesBothItsTimeoutAndRetriesExhausted() {
        load(config(0, null, null));
        startPhase1();
        var out = apply(new AttemptFailed(1, 1, "agent @architect failed: timed out after 10 min", ++now, Failure.TIMED_OUT));
        assertThat(alerts(out)).extracting(RaiseAlert::kind, RaiseAlert::severity)
                .containsExactly(tuple("attempt_timed_out", "WARNING"), tuple("retries_exhausted", "CRITICAL"));
    }

    @Test
    void aPhaseThatWaitsForApprovalRaisesWaitingForApprovalAsInfo() {
        load(config(1, null, null));
        startPhase1();
        var out = apply(new AttemptSucceeded(1, 1, List.of(new Artifact("design.json", 1, "loc", "sha", 1)), ++now));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_APPROVAL);
        String why = reason(out, 2, "waiting_for_approval");
        assertThat(alerts(out)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("waiting_for_approval");
            assertThat(a.severity()).isEqualTo("INFO");
            assertThat(a.phaseId()).isEqualTo(2);
            assertThat(a.message()).isEqualTo("phase 2 (Deploy) @devops, attempt 1: " + why);
            assertThat(a.message()).endsWith("waits for approval (oe approve --phase 2)");
        });
        // approved: no second alert
        assertThat(alerts(apply(new Command(CommandKind.APPROVE, 2, "bob", null, null, ++now)))).isEmpty();
    }

    /** Drives the plan through every alert kind: a lost heartbeat, a timeout, a broken contract, exhausted retries, approval. */
    private List<String> kindsRaised(EngineConfig config) {
        effects.clear();
        load(config);
        startPhase1();
        apply(new Tick(now + 11_000)); // heartbeat_lost (attempt 1)
        now += 11_000;
        apply(new AgentStarted(1, 2, "w1", ++now));
        apply(new AttemptFailed(1, 2, "agent @architect failed: timed out after 10 min", ++now, Failure.TIMED_OUT));
        apply(new AgentStarted(1, 3, "w1", ++now));
        apply(new AttemptFailed(1, 3, "handoff failed: 1 contract violation(s)", ++now, Failure.CONTRACT_VIOLATED));
        apply(new Command(CommandKind.RETRY, 1, "bob", null, null, ++now)); // retries_exhausted above; a new budget
        apply(new AgentStarted(1, 4, "w1", ++now));
        apply(new AttemptSucceeded(1, 4, List.of(new Artifact("design.json", 1, "loc", "sha", 1)), ++now));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_APPROVAL);
        return alerts(effects).stream().map(RaiseAlert::kind).toList();
    }

    @Test
    void byDefaultEveryKindIsRaised() {
        assertThat(kindsRaised(config(2, null, null))).containsExactly("heartbeat_lost", "attempt_timed_out",
                "contract_violated", "retries_exhausted", "waiting_for_approval");
    }

    @Test
    void eachKindSwitchedOffInTheConfigIsNotRaisedAndTheOthersStillAre() {
        for (AlertKind off : AlertKind.values()) {
            List<String> expected = new ArrayList<>(List.of("heartbeat_lost", "attempt_timed_out", "contract_violated",
                    "retries_exhausted", "waiting_for_approval"));
            expected.remove(off.json());
            assertThat(kindsRaised(config(2, null, Map.of(off.json(), false)))).as("%s off", off.json())
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void alertOnFailureFalseStillSilencesRetriesExhaustedAndOnlyIt() {
        assertThat(kindsRaised(config(2, false, null))).containsExactly("heartbeat_lost", "attempt_timed_out",
                "contract_violated", "waiting_for_approval");
        // either switch off silences it: alerts.retries_exhausted true does not overrule alert_on_failure false
        assertThat(kindsRaised(config(2, false, Map.of("retries_exhausted", true)))).doesNotContain("retries_exhausted");
    }

    @Test
    void aConfigGivenWithStartDecidesTheAlertsOfTheRun() {
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(PLAN)), PlanJson.parse("{}"),
                config(1, null, null), null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, config(1, null, Map.of("heartbeat_lost", false)), now));
        startPhase1();
        assertThat(alerts(apply(new Tick(now + 11_000)))).isEmpty();
        assertThat(state.phase(1).attempts().get(0).error()).startsWith("no heartbeat");
    }

    // ---- execution_behind_estimate ------------------------------------------------------------------------------

    /** 1 (10 min) then 2 (5 min) and 3 (20 min) side by side, then 4 (no estimate): 30 minutes along the longest chain. */
    private static final String ESTIMATED = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "a", "mode": "sequential", "phases": [1]},
                       {"name": "b", "mode": "parallel", "phases": [2, 3]},
                       {"name": "c", "mode": "sequential", "phases": [4]}],
             "phases": [
               {"id": 1, "name": "Design", "agent": "@architect",
                "tasks": [{"id": "T1", "estimate_minutes": 4}, {"id": "T2", "estimate_minutes": 6}]},
               {"id": 2, "name": "Docs", "agent": "@doc", "tasks": [{"id": "T3", "estimate_minutes": 5}]},
               {"id": 3, "name": "Build", "agent": "@dev", "condition": "project.build == true",
                "tasks": [{"id": "T4", "estimate_minutes": 20}]},
               {"id": 4, "name": "Release", "agent": "@devops", "tasks": [{"id": "T5"}]}
             ]}""";

    private void loadEstimated(String facts, Map<String, Boolean> alerts) {
        EngineConfig config = new EngineConfig(null, null, null, null, 3, 600.0, null, new RetrySettings(1, 0.0), null,
                null, null, alerts).withDefaults();
        state = scheduler.register("exec_e", "/tmp/p", PlanJson.plan(PlanJson.parse(ESTIMATED)), PlanJson.parse(facts),
                config, null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    /** Ticks every minute from the start until {@code minutes} have passed; the alerts they raised. */
    private List<RaiseAlert> tickFor(long start, int minutes) {
        List<RaiseAlert> out = new ArrayList<>();
        for (int m = 1; m <= minutes; m++) {
            // the agent of each running phase keeps beating: only the estimate can raise anything
            for (var e : state.phases().entrySet()) {
                if (e.getValue().status() == PhaseStatus.READY) {
                    apply(new AgentStarted(e.getKey(), e.getValue().attempt(), "w1", start + m * 60_000L - 1));
                } else if (e.getValue().status() == PhaseStatus.IN_PROGRESS) {
                    apply(new Heartbeat(e.getKey(), e.getValue().attempt(), start + m * 60_000L - 1));
                }
            }
            out.addAll(alerts(apply(new Tick(start + m * 60_000L))));
        }
        return out;
    }

    @Test
    void anExecutionThatRunsLongerThanItsPlansEstimatesRaisesExecutionBehindEstimateOnce() {
        long start = now;
        loadEstimated("{\"build\": true}", null);
        assertThat(tickFor(start, 30)).isEmpty(); // 30 minutes: on its estimate, not behind it
        var late = tickFor(start + 30 * 60_000L + 1, 5);
        assertThat(late).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("execution_behind_estimate");
            assertThat(a.severity()).isEqualTo("WARNING");
            assertThat(a.phaseId()).isNull();
            assertThat(a.message()).startsWith("execution behind its estimate: 31 min since it started")
                    .contains("add up to 30 min");
        });
        assertThat(state.behindEstimateAt()).isNotNull();
    }

    @Test
    void aSkippedPhaseLeavesTheEstimateAndTheChainItStoodOnIsWhatCounts() {
        long start = now;
        loadEstimated("{\"build\": false}", null);
        complete(1, start + 60_000);
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.SKIPPED);
        // without phase 3 the plan says 10 + 5 = 15 minutes
        assertThat(tickFor(start, 15)).isEmpty();
        assertThat(tickFor(start + 15 * 60_000L + 1, 1)).extracting(RaiseAlert::kind).containsExactly("execution_behind_estimate");
    }

    @Test
    void aPlanWithoutEstimatesOrWithTheKindSwitchedOffRaisesNoEstimateAlert() {
        long start = now;
        load(config(1, null, null)); // PLAN gives no estimate_minutes
        assertThat(tickFor(start, 24 * 60)).extracting(RaiseAlert::kind).doesNotContain("execution_behind_estimate");
        loadEstimated("{\"build\": true}", Map.of("execution_behind_estimate", false));
        assertThat(tickFor(start, 40)).isEmpty();
        assertThat(state.behindEstimateAt()).isNotNull(); // found behind all the same: switching it on later raises nothing
    }

    private void complete(int phase, long at) {
        int attempt = state.phase(phase).attempt();
        apply(new AgentStarted(phase, attempt, "w1", at - 1));
        apply(new AttemptSucceeded(phase, attempt, List.of(), at));
    }
}
