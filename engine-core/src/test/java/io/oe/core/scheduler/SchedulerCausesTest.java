package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every transition says why as a type (TransitionCause), so that readers never parse the reason's words. */
class SchedulerCausesTest {
    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private final List<Transition> transitions = new ArrayList<>();
    private long now = 1_000_000;

    private void load(ObjectNode planJson, String cloud, String iac, int maxRetries) {
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null,
                new RetrySettings(maxRetries, 0.0), null, null, true).withDefaults();
        keep(scheduler.register("exec_1", "/tmp/p", PlanJson.plan(planJson), TestPlans.facts(cloud, iac), config, null,
                null, List.of(new Artifact("requirements.json", 1, "tee-output/artifacts/requirements.json", "ab", 2)), now));
    }

    private List<Transition> apply(SchedulerInput input) {
        return keep(scheduler.handle(state, input));
    }

    private List<Transition> keep(Decision d) {
        state = d.state();
        List<Transition> out = d.effects().stream().filter(Transition.class::isInstance).map(Transition.class::cast).toList();
        transitions.addAll(out);
        return out;
    }

    private void complete(int phase) {
        int attempt = state.phase(phase).attempt();
        apply(new AgentStarted(phase, attempt, "w1", ++now));
        apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact("out-" + phase, phase, "loc", "sha", 1)), ++now));
    }

    @Test
    void aWholeRunGivesEveryTransitionACauseAndNoneIsUnknown() {
        load(TestPlans.seedPlan(), "azure", "terraform", 1);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        for (int round = 0; round < 20 && state.status() != ExecutionStatus.COMPLETED; round++) {
            state.plan().phases().stream().map(p -> p.id()).filter(id -> state.phase(id).status() == PhaseStatus.READY)
                    .toList().forEach(this::complete);
        }
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(transitions).allSatisfy(t -> assertThat(t.cause()).as("cause of %s", t).isNotNull()
                .isNotEqualTo(TransitionCause.UNKNOWN));
        assertThat(transitions).filteredOn(t -> t.phaseId() == null).extracting(Transition::to, Transition::cause)
                .containsExactly(tuple("initialized", TransitionCause.PLAN_LOADED), tuple("in_progress", TransitionCause.COMMAND),
                        tuple("completed", TransitionCause.ALL_PHASES_DONE));
        assertThat(transitions).filteredOn(t -> Integer.valueOf(2).equals(t.phaseId()))
                .extracting(Transition::to, Transition::cause).containsExactly(tuple("ready", TransitionCause.DISPATCHED),
                        tuple("in_progress", TransitionCause.AGENT_STARTED), tuple("completed", TransitionCause.SUCCEEDED));
        assertThat(transitions).filteredOn(t -> Integer.valueOf(11).equals(t.phaseId())).singleElement()
                .extracting(Transition::to, Transition::cause).containsExactly("skipped", TransitionCause.CONDITION_FALSE);
    }

    @Test
    void aSkipBecauseARequiredInputComesFromASkippedPhaseSaysSo() {
        load(TestPlans.seedPlan(), "aws", "bicep", 1);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        for (int p = 2; p <= 8; p++) {
            complete(p);
        }
        assertThat(transitions).filteredOn(t -> t.phaseId() != null && (t.phaseId() == 9 || t.phaseId() == 11))
                .extracting(Transition::phaseId, Transition::cause)
                .containsExactly(tuple(9, TransitionCause.CONDITION_FALSE), tuple(11, TransitionCause.DEPENDENCY_SKIPPED));
    }

    @Test
    void aRetrysBackoffIsACauseAndCarriesWhenTheNextAttemptMayGo() {
        load(TestPlans.seedPlan(), "azure", "terraform", 3); // phase 2 has its own policy: 2 retries, 5 s backoff
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptFailed(2, 1, "exited with code 1", ++now));
        assertThat(out).extracting(Transition::to, Transition::cause)
                .containsExactly(tuple("failed", TransitionCause.AGENT_FAILED), tuple("pending", TransitionCause.BACKOFF));
        assertThat(out.get(0).nextAttemptAt()).as("only a backoff says when").isNull();
        assertThat(out.get(1).nextAttemptAt()).isEqualTo(state.phase(2).nextAttemptAt()).isGreaterThan(now);
        var retried = apply(new Tick(out.get(1).nextAttemptAt()));
        assertThat(retried).singleElement().extracting(Transition::cause).isEqualTo(TransitionCause.DISPATCHED);
        assertThat(retried.get(0).nextAttemptAt()).isNull();
    }

    @Test
    void retriesThatRunOutAndAPersonsRetryAreTheirOwnCauses() {
        load(SchedulerTest.planWithConfigRetries(), "azure", "terraform", 0);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        apply(new AgentStarted(2, 1, "w1", ++now));
        var out = apply(new AttemptFailed(2, 1, "boom", ++now, SchedulerInput.Failure.CONTRACT_VIOLATED));
        assertThat(out).extracting(Transition::phaseId, Transition::to, Transition::cause).containsExactly(
                tuple(2, "failed", TransitionCause.CONTRACT_VIOLATED),
                tuple(2, "waiting_for_intervention", TransitionCause.RETRIES_EXHAUSTED),
                tuple(null, "waiting_for_intervention", TransitionCause.NOTHING_CAN_RUN));
        var retried = apply(new Command(CommandKind.RETRY, 2, "alice", null, null, ++now));
        assertThat(retried).extracting(Transition::to, Transition::cause).containsExactly(
                tuple("pending", TransitionCause.COMMAND), tuple("in_progress", TransitionCause.COMMAND),
                tuple("ready", TransitionCause.DISPATCHED));
        assertThat(retried.get(0).nextAttemptAt()).as("a person's retry is no backoff").isNull();
    }

    @Test
    void anApprovalGateIsACause() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(2)).put("approval", true);
        load(plan, "azure", "terraform", 1);
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
        complete(2);
        assertThat(transitions).filteredOn(t -> Integer.valueOf(3).equals(t.phaseId())).singleElement()
                .extracting(Transition::to, Transition::cause)
                .containsExactly("waiting_for_approval", TransitionCause.APPROVAL);
    }
}
