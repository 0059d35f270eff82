package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dry run: the same rules, but no approval waits (the gate is said on the ready transition) and it says what it is. */
class SchedulerDryRunTest {
    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private final List<Effect> effects = new ArrayList<>();
    private ExecutionState state;
    private long now = 1_000_000;

    private void load(boolean dryRun) {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(2)).put("approval", true); // phase 3
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(1, 0.0), null, null,
                true).withDefaults();
        var d = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(plan), TestPlans.facts("azure", "terraform"), config,
                null, null, List.of(new Artifact("requirements.json", 1, "tee-output/artifacts/requirements.json", "ab", 2)),
                now, dryRun, null, null);
        state = d.state();
        effects.addAll(d.effects());
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        effects.addAll(d.effects());
        return d.effects();
    }

    private List<Effect> complete(int phase) {
        int attempt = state.phase(phase).attempt();
        apply(new AgentStarted(phase, attempt, "w1", ++now));
        return apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact("out-" + phase, phase, "loc", "sha", 1)), ++now));
    }

    @Test
    void aDryRunDoesNotWaitForAnApprovalButSaysOnTheReadyTransitionThatItWould() {
        load(true);
        assertThat(state.dryRun()).isTrue();
        var after2 = complete(2);
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.READY);
        assertThat(after2).filteredOn(Dispatch.class::isInstance).extracting(e -> ((Dispatch) e).phaseId()).containsExactly(3);
        assertThat(after2).filteredOn(e -> e instanceof Transition t && Integer.valueOf(3).equals(t.phaseId()))
                .singleElement().satisfies(e -> {
                    Transition t = (Transition) e;
                    assertThat(t.from()).isEqualTo("pending");
                    assertThat(t.to()).isEqualTo("ready");
                    assertThat(t.reason()).isEqualTo("dry run: would wait for approval (oe approve); went on without it");
                });
        assertThat(after2).noneMatch(RaiseAlert.class::isInstance); // nobody is called to approve sample outputs
        assertThat(state.phase(3).approvedBy()).isEqualTo("dry run");
    }

    @Test
    void aDryRunRunsTheWholePlanToCompletedWithTheSameSkipsAsARealRun() {
        load(true);
        for (int p : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16}) {
            complete(p);
        }
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(state.phase(11).status()).isEqualTo(PhaseStatus.SKIPPED);
        assertThat(state.phase(11).reason()).isEqualTo("condition `project.infrastructure.iac == 'bicep'` is false");
        assertThat(effects).filteredOn(e -> e instanceof Transition t && t.phaseId() == null && "initialized".equals(t.to()))
                .singleElement().satisfies(e -> assertThat(((Transition) e).reason()).startsWith("dry run of plan "));
    }

    @Test
    void aDryRunDoesNotWaitForAReviewButSaysOnTheCompletedTransitionThatItWould() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(1)).put("review", true); // phase 2
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(1, 0.0), null, null,
                true).withDefaults();
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(plan), TestPlans.facts("azure", "terraform"), config,
                null, null, List.of(new Artifact("requirements.json", 1, "tee-output/artifacts/requirements.json", "ab", 2)),
                now, true, null, null).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));

        var after2 = complete(2);

        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.phase(2).reason()).isEqualTo("dry run: would wait for review of its outputs (oe review); went on without it");
        assertThat(after2).noneMatch(RaiseAlert.class::isInstance);
        assertThat(after2).filteredOn(Dispatch.class::isInstance).extracting(e -> ((Dispatch) e).phaseId()).contains(3);
    }

    @Test
    void aRealRunStillWaitsForTheApproval() {
        load(false);
        assertThat(state.dryRun()).isFalse();
        complete(2);
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.WAITING_FOR_APPROVAL);
    }
}
