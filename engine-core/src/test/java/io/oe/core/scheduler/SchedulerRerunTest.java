package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanGraph;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Ignored;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RERUN: a phase (and its dependants) goes back to pending, in an execution in any state once started. */
class SchedulerRerunTest {
    /** Five phases, each reading the one before; 6 is on a branch of its own after 1. */
    private static final String CHAIN = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "chain", "mode": "sequential", "phases": [1, 2, 3, 4, 5]},
                       {"name": "side", "mode": "parallel", "phases": [6]}],
             "phases": [
               {"id": 1, "name": "One", "agent": "@a", "outputs": [{"artifact": "one.md"}]},
               {"id": 2, "name": "Two", "agent": "@a", "inputs": [{"artifact": "one.md", "from": 1}], "outputs": [{"artifact": "two.md"}]},
               {"id": 3, "name": "Three", "agent": "@a", "inputs": [{"artifact": "two.md", "from": 2}], "outputs": [{"artifact": "three.md"}]},
               {"id": 4, "name": "Four", "agent": "@a", "inputs": [{"artifact": "three.md", "from": 3}], "outputs": [{"artifact": "four.md"}]},
               {"id": 5, "name": "Five", "agent": "@a", "inputs": [{"artifact": "four.md", "from": 4}]},
               {"id": 6, "name": "Six", "agent": "@a", "depends_on": [1]}
             ]}""";

    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private long now = 1_000_000;

    private void load(int maxConcurrent, int maxRetries) {
        EngineConfig config = new EngineConfig(null, null, null, null, maxConcurrent, null, null,
                new RetrySettings(maxRetries, 0.0), null, null, true).withDefaults();
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(CHAIN)), PlanJson.parse("{}"), config,
                null, null, List.of(), now).state();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        return d.effects();
    }

    private List<Effect> complete(int phase) {
        int attempt = state.phase(phase).attempt();
        apply(new AgentStarted(phase, attempt, "w1", ++now));
        return apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact(output(phase), phase,
                "tee-output/artifacts/sha256/" + phase + "-" + attempt, "sha-" + phase + "-" + attempt, 1)), ++now));
    }

    private static String output(int phase) {
        return List.of("one.md", "two.md", "three.md", "four.md", "five.md", "six.md").get(phase - 1);
    }

    private void runToCompletion() {
        load(2, 0);
        for (int p : new int[] {1, 2, 6, 3, 4, 5}) {
            complete(p);
        }
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    private List<Effect> rerun(int phase, boolean withDependants, String feedback) {
        return apply(new Command(CommandKind.RERUN, phase, "alice", null, null, ++now, withDependants, feedback));
    }

    private static List<Dispatch> dispatches(List<Effect> out) {
        return out.stream().filter(Dispatch.class::isInstance).map(Dispatch.class::cast).toList();
    }

    private Map<Integer, PhaseStatus> statuses() {
        Map<Integer, PhaseStatus> out = new HashMap<>();
        state.phases().forEach((id, run) -> out.put(id, run.status()));
        return out;
    }

    @Test
    void aRerunWithDependantsOfACompletedExecutionRunsThePhaseAndWhatNeedsItAgainAndNothingElse() {
        runToCompletion();
        var out = rerun(3, true, "Use tables, not prose.");
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        // the execution runs again before any phase moves: a reader never sees a rerun phase in an ended execution
        assertThat(out.get(0)).isInstanceOfSatisfying(Transition.class, t -> assertThat(t.phaseId()).isNull());
        assertThat(state.endedAt()).isNull();
        assertThat(dispatches(out)).singleElement().satisfies(d -> {
            assertThat(d.phaseId()).isEqualTo(3);
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.inputs()).extracting(Artifact::sha256).containsExactly("sha-2-1"); // phase 2's result, reused
        });
        assertThat(statuses()).containsEntry(1, PhaseStatus.COMPLETED).containsEntry(2, PhaseStatus.COMPLETED)
                .containsEntry(6, PhaseStatus.COMPLETED).containsEntry(4, PhaseStatus.PENDING).containsEntry(5, PhaseStatus.PENDING);
        assertThat(dispatches(complete(3))).extracting(Dispatch::phaseId, Dispatch::attempt)
                .containsExactly(tuple(4, 2));
        assertThat(dispatches(complete(4))).extracting(Dispatch::phaseId).containsExactly(5);
        complete(5);
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
        // every attempt is kept: the first of each rerun phase, then the rerun
        assertThat(state.phase(3).attempts()).extracting(Attempt::number, Attempt::outcome)
                .containsExactly(tuple(1, "completed"), tuple(2, "completed"));
        assertThat(state.phase(1).attempts()).hasSize(1);
        assertThat(state.phase(6).attempts()).hasSize(1);
        assertThat(state.artifacts().get("3/three.md").sha256()).isEqualTo("sha-3-2");
    }

    @Test
    void theFeedbackAndThePreviousOutputsGoToTheRerunPhaseAndTheDependantsGetThePreviousOutputsOnly() {
        runToCompletion();
        var out = rerun(3, true, "  Use tables, not prose.\n");
        Dispatch three = dispatches(out).get(0);
        assertThat(three.feedback()).isEqualTo(new Feedback("alice", now, "Use tables, not prose."));
        assertThat(three.previousOutputs()).extracting(Artifact::name, Artifact::sha256)
                .containsExactly(tuple("three.md", "sha-3-1"));
        assertThat(three.previousError()).isNull();
        assertThat(out).filteredOn(e -> e instanceof Transition t && t.phaseId() != null && t.phaseId() == 3)
                .extracting(e -> ((Transition) e).from() + " → " + ((Transition) e).to() + ": " + ((Transition) e).reason())
                .containsExactly("completed → pending: rerun requested by alice (with feedback)", "pending → ready: null");
        assertThat(state.phase(4).reason()).isEqualTo("rerun requested by alice of phase 3, which it needs");
        Dispatch four = dispatches(complete(3)).get(0);
        assertThat(four.feedback()).isNull();
        assertThat(four.previousOutputs()).extracting(Artifact::sha256).containsExactly("sha-4-1");
        assertThat(four.inputs()).extracting(Artifact::sha256).containsExactly("sha-3-2"); // the new result, not the old
    }

    @Test
    void anAutomaticRetryAfterARerunCarriesTheFeedbackAndThePreviousError() {
        load(2, 1);
        for (int p : new int[] {1, 2, 6, 3, 4, 5}) {
            complete(p);
        }
        rerun(3, false, "Shorter.");
        apply(new AgentStarted(3, 2, "w1", ++now));
        Dispatch retry = dispatches(apply(new AttemptFailed(3, 2, "boom", ++now))).get(0); // no backoff configured
        assertThat(retry.attempt()).isEqualTo(3);
        assertThat(retry.feedback().text()).isEqualTo("Shorter.");
        assertThat(retry.previousError()).isEqualTo("boom");
        assertThat(retry.previousOutputs()).extracting(Artifact::sha256).containsExactly("sha-3-1");
    }

    @Test
    void aRerunWithoutDependantsLeavesTheCompletedPhasesAfterItAsTheyAre() {
        runToCompletion();
        rerun(3, false, null);
        complete(3);
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(state.phase(4).attempts()).hasSize(1);
        assertThat(state.phase(3).attempts()).hasSize(2);
        assertThat(state.phase(3).feedback()).isNull();
    }

    @Test
    void aRerunOfACancelledExecutionRunsItAgainWithThePhasesTheCancelStopped() {
        load(2, 0);
        complete(1);
        complete(2);
        apply(new Command(CommandKind.CANCEL, null, "bob", null, null, ++now));
        assertThat(state.status()).isEqualTo(ExecutionStatus.CANCELLED);
        var out = rerun(2, false, null);
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        assertThat(dispatches(out)).extracting(Dispatch::phaseId).containsExactly(2, 6); // 3 waits for 2 again
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(state.phase(3).reason()).isEqualTo("execution resumed by the rerun of phase 2");
    }

    @Test
    void aRerunOfAPhaseWaitingForAPersonKeepsItsLastErrorForTheAgent() {
        load(2, 0);
        complete(1);
        complete(6);
        apply(new AgentStarted(2, 1, "w1", ++now));
        apply(new AttemptFailed(2, 1, "boom", ++now));
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        Dispatch two = dispatches(rerun(2, true, "try again")).get(0);
        assertThat(two.previousError()).isEqualTo("boom");
        assertThat(two.feedback().text()).isEqualTo("try again");
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    }

    @Test
    void aRerunThatWouldMoveARunningPhaseIsRefusedAndChangesNothing() {
        load(2, 0);
        complete(1);
        complete(2);
        ExecutionState before = state;
        var out = rerun(2, true, null); // phase 3 runs and needs 2
        assertThat(out).singleElement().satisfies(e -> assertThat(((Ignored) e).reason())
                .isEqualTo("RERUN refused: phase 3, which depends on phase 2, is ready; wait until it ends"));
        assertThat(state).isSameAs(before);
        assertThat(rerun(3, false, null)).singleElement().satisfies(e -> assertThat(((Ignored) e).reason())
                .isEqualTo("RERUN refused: phase 3 is ready; wait until it ends"));
        // without its dependants, the finished phase 2 may go again (3 keeps running on its inputs)
        assertThat(rerun(2, false, null)).filteredOn(Transition.class::isInstance).isNotEmpty();
    }

    @Test
    void aRerunOfAnUnknownPhaseAnUnstartedExecutionOrWithTooMuchFeedbackIsRefusedAndChangesNothing() {
        runToCompletion();
        ExecutionState before = state;
        assertThat(rerun(42, true, null)).singleElement().satisfies(e -> assertThat(((Ignored) e).reason())
                .isEqualTo("RERUN refused: execution exec_1 has no phase 42"));
        assertThat(rerun(3, false, "x".repeat(Feedback.MAX_BYTES + 1))).singleElement().satisfies(e -> assertThat(
                ((Ignored) e).reason()).isEqualTo("RERUN refused: the feedback is 16 KB (16,385 bytes); the limit is 16 KB"
                        + " (16,384 bytes)"));
        assertThat(state).isSameAs(before);
        assertThat(rerun(3, false, "é".repeat(Feedback.MAX_BYTES / 2))).filteredOn(Dispatch.class::isInstance).hasSize(1);
        assertThat(CommandGuard.refusal("exec_2", ExecutionStatus.INITIALIZED, Map.of(1, PhaseStatus.PENDING),
                CommandKind.RERUN, 1, Set.of(1))).contains("RERUN refused: execution exec_2 has not started (oe execute)");
    }

    @Test
    void theDependantsOfAPhaseFollowItsInputsDependsOnAndTheTierOrder() {
        PlanGraph graph = PlanGraph.of(PlanJson.plan(PlanJson.parse(CHAIN)));
        assertThat(Rerun.phases(graph, 3, true)).containsExactly(3, 4, 5);
        assertThat(Rerun.phases(graph, 1, true)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Rerun.phases(graph, 3, false)).containsExactly(3);
    }
}
