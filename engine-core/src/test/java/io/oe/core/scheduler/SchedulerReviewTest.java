package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Ignored;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.ReplaceOutput;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.OutputReplaced;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Review gates: a phase whose outputs passed their contracts waits for a person, who approves, rejects or replaces. */
class SchedulerReviewTest {
    /** Three phases in a chain; phase 2 asks for a review. */
    private static final String CHAIN = """
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "chain", "mode": "sequential", "phases": [1, 2, 3]}],
             "phases": [
               {"id": 1, "name": "One", "agent": "@a", "outputs": [{"artifact": "one.md"}]},
               {"id": 2, "name": "Two", "agent": "@a", "review": true, "inputs": [{"artifact": "one.md", "from": 1}],
                "outputs": [{"artifact": "two.md"}]},
               {"id": 3, "name": "Three", "agent": "@a", "inputs": [{"artifact": "two.md", "from": 2}]}
             ]}""";

    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private ExecutionState state;
    private long now = 1_000_000;

    private void load(String plan, Boolean reviewOutputs, Map<String, Boolean> alerts) {
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(0, 0.0), null, null,
                true, alerts, reviewOutputs).withDefaults();
        state = scheduler.register("exec_1", "/tmp/p", PlanJson.plan(PlanJson.parse(plan)), PlanJson.parse("{}"), config,
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
        return apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact(phase == 1 ? "one.md" : "two.md", phase,
                "loc-" + phase + "-" + attempt, "sha-" + phase + "-" + attempt, 1)), ++now));
    }

    private List<Effect> review(int phase, Review review, String feedback) {
        return apply(new Command(CommandKind.REVIEW, phase, "alice", null, null, ++now, false, feedback, review));
    }

    private static List<Dispatch> dispatches(List<Effect> out) {
        return out.stream().filter(Dispatch.class::isInstance).map(Dispatch.class::cast).toList();
    }

    private static List<String> ignored(List<Effect> out) {
        return out.stream().filter(Ignored.class::isInstance).map(e -> ((Ignored) e).reason()).toList();
    }

    @Test
    void aPhaseThatAsksForAReviewWaitsForItWhenItsOutputsPassAndItsDependantsWait() {
        load(CHAIN, null, null);
        complete(1);
        var out = complete(2);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThat(state.phase(2).attempts().get(0).outcome()).isEqualTo("completed");
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.PENDING);
        assertThat(dispatches(out)).isEmpty();
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        assertThat(state.artifacts().get("2/two.md").sha256()).isEqualTo("sha-2-1"); // stored, for the person to read
        assertThat(out).filteredOn(RaiseAlert.class::isInstance).singleElement().satisfies(e -> {
            RaiseAlert a = (RaiseAlert) e;
            assertThat(a.kind()).isEqualTo("waiting_for_review");
            assertThat(a.severity()).isEqualTo("INFO");
            assertThat(a.message()).startsWith("phase 2 (Two) @a, attempt 1: outputs passed their contracts; waits for"
                    + " review (oe review --phase 2");
        });
    }

    @Test
    void anApprovalCompletesThePhaseAndItsDependantGetsTheReviewedOutput() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        var out = review(2, Review.approve(), null);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.phase(2).reason()).isEqualTo("outputs approved by alice");
        assertThat(dispatches(out)).singleElement().satisfies(d -> {
            assertThat(d.phaseId()).isEqualTo(3);
            assertThat(d.inputs()).extracting(Artifact::sha256).containsExactly("sha-2-1");
        });
        complete(3);
        assertThat(state.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    @Test
    void aRejectionRunsThePhaseAgainWithTheFeedbackAndItsPreviousOutputsAndItWaitsForReviewAgain() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        var out = review(2, Review.reject(), "Shorter, please.");
        assertThat(out).filteredOn(e -> e instanceof Transition t && Integer.valueOf(2).equals(t.phaseId()))
                .extracting(e -> ((Transition) e).from() + " → " + ((Transition) e).to() + ": " + ((Transition) e).reason())
                .containsExactly("waiting_for_review → pending: outputs rejected by alice (with feedback)",
                        "pending → ready: null");
        assertThat(dispatches(out)).singleElement().satisfies(d -> {
            assertThat(d.phaseId()).isEqualTo(2);
            assertThat(d.attempt()).isEqualTo(2);
            assertThat(d.feedback()).isEqualTo(new Feedback("alice", now, "Shorter, please."));
            assertThat(d.previousOutputs()).extracting(Artifact::sha256).containsExactly("sha-2-1");
        });
        complete(2);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.PENDING);
    }

    @Test
    void aReplacementAsksTheHandoffToValidateTheFileAndCompletesThePhaseWithTheEditedOutputOnceItPassed() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        var asked = review(2, Review.replace("two.md", "edits/two.md"), null);
        assertThat(asked).filteredOn(ReplaceOutput.class::isInstance).singleElement()
                .isEqualTo(new ReplaceOutput(2, 1, "@a", "two.md", "edits/two.md", "alice"));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW); // until the handoff says so
        var out = apply(new OutputReplaced(2, 1, List.of(new Artifact("two.md", 2, "loc-edit", "sha-edit", 2)), "alice",
                null, ++now));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.phase(2).reason()).isEqualTo("output two.md replaced by alice (sha256 sha-edit)");
        assertThat(dispatches(out)).singleElement().satisfies(d -> assertThat(d.inputs()).extracting(Artifact::sha256)
                .containsExactly("sha-edit"));
    }

    @Test
    void aPhaseOfSeveralOutputsStillWaitsAfterOneIsReplacedSoThePersonCanEditAnotherAndThenApproves() {
        load(CHAIN.replace("\"outputs\": [{\"artifact\": \"two.md\"}]", "\"outputs\": [{\"artifact\": \"two.md\"},"
                + " {\"artifact\": \"notes.md\"}]"), null, null);
        complete(1);
        complete(2);
        review(2, Review.replace("two.md", "edits/two.md"), null);
        var replaced = apply(new OutputReplaced(2, 1, List.of(new Artifact("two.md", 2, "loc-edit", "sha-edit", 2)), "alice",
                null, ++now));

        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThat(state.phase(2).reason()).isEqualTo("output two.md replaced by alice (sha256 sha-edit); waits for review"
                + " of its 2 outputs (oe review --phase 2 --approve | --replace OUTPUT=FILE)");
        assertThat(dispatches(replaced)).isEmpty();
        assertThat(state.artifacts().get("2/two.md").sha256()).isEqualTo("sha-edit");

        var approved = review(2, Review.approve(), null);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(dispatches(approved)).singleElement().satisfies(d -> assertThat(d.inputs()).extracting(Artifact::sha256)
                .containsExactly("sha-edit"));
    }

    @Test
    void aReplacementTheHandoffRefusedLeavesThePhaseWaitingForReviewWithWhy() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        review(2, Review.replace("two.md", "edits/two.md"), null);
        var out = apply(new OutputReplaced(2, 1, List.of(), "alice", "1 contract violation(s): two.md /: bad", ++now));
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThat(ignored(out)).singleElement().asString().contains("refused by the handoff").contains("two.md /: bad");
        assertThat(state.artifacts().get("2/two.md").sha256()).isEqualTo("sha-2-1");
    }

    @Test
    void aReviewDecisionOnAPhaseThatDoesNotWaitForOneIsRefusedAndChangesNothing() {
        load(CHAIN, null, null);
        ExecutionState before = state;
        var out = review(1, Review.approve(), null);
        assertThat(ignored(out)).containsExactly("REVIEW refused: phase 1 is ready, not waiting_for_review");
        assertThat(state).isSameAs(before);
        assertThat(ignored(review(9, Review.approve(), null))).containsExactly("REVIEW refused: execution exec_1 has no phase 9");
    }

    @Test
    void aRejectionWithoutFeedbackOrWithTooMuchAndAReplacementOfAnUndeclaredOutputAreRefused() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        ExecutionState before = state;
        assertThat(ignored(review(2, Review.reject(), " "))).singleElement().asString()
                .isEqualTo("REVIEW refused: a rejection needs feedback, the agent's next attempt reads it");
        assertThat(ignored(review(2, Review.reject(), "x".repeat(Feedback.MAX_BYTES + 1)))).singleElement().asString()
                .startsWith("REVIEW refused: the feedback is");
        assertThat(ignored(review(2, Review.replace("three.md", "edits/three.md"), null))).containsExactly(
                "REVIEW refused: phase 2 (Two) declares no output three.md (it declares two.md)");
        assertThat(ignored(review(2, null, null))).containsExactly(
                "REVIEW refused: it needs a decision (approve, reject or replace)");
        assertThat(state).isSameAs(before);
    }

    @Test
    void theConfigCanAskForAReviewOfEveryPhaseAndAPhaseCanSayItNeedsNone() {
        String plan = CHAIN.replace("\"review\": true", "\"review\": false");
        load(plan, true, null);
        complete(1);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        review(1, Review.approve(), null);
        complete(2);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.COMPLETED);
    }

    @Test
    void theWaitingForReviewAlertCanBeSwitchedOff() {
        load(CHAIN, null, Map.of("waiting_for_review", false));
        complete(1);
        assertThat(complete(2)).noneMatch(RaiseAlert.class::isInstance);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
    }

    @Test
    void aReplacedOutputThatArrivesAfterTheReviewWasDecidedOtherwiseChangesNothing() {
        load(CHAIN, null, null);
        complete(1);
        complete(2);
        review(2, Review.replace("two.md", "edits/two.md"), null);
        review(2, Review.approve(), null);
        var out = apply(new OutputReplaced(2, 1, List.of(new Artifact("two.md", 2, "loc-edit", "sha-edit", 2)), "alice",
                null, ++now));
        assertThat(ignored(out)).singleElement().asString().contains("comes too late (phase is completed)");
        assertThat(state.artifacts().get("2/two.md").sha256()).isEqualTo("sha-2-1");
    }

    @Test
    void anApprovalBesideAPhaseStuckForInterventionRunsWhatItsOutputsUnblock() {
        String plan = """
                {"plan_id": "p", "project_name": "X",
                 "tiers": [{"name": "side", "mode": "parallel", "phases": [1, 2]}, {"name": "after", "mode": "parallel", "phases": [3]}],
                 "phases": [
                   {"id": 1, "name": "One", "agent": "@a"},
                   {"id": 2, "name": "Two", "agent": "@a", "review": true, "outputs": [{"artifact": "two.md"}]},
                   {"id": 3, "name": "Three", "agent": "@a", "depends_on": [2], "inputs": [{"artifact": "two.md", "from": 2}]}
                 ]}""";
        load(plan, null, null);
        apply(new AgentStarted(1, 1, "w1", ++now));
        apply(new SchedulerInput.AttemptFailed(1, 1, "exit 1", ++now)); // no retries: waits for intervention
        complete(2);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.WAITING_FOR_INTERVENTION);
        assertThat(state.phase(2).status()).isEqualTo(PhaseStatus.WAITING_FOR_REVIEW);
        assertThat(state.status()).isEqualTo(ExecutionStatus.WAITING_FOR_INTERVENTION);
        var out = review(2, Review.approve(), null);
        assertThat(dispatches(out)).extracting(Dispatch::phaseId).containsExactly(3);
        assertThat(state.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    }
}
