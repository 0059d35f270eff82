package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Artifact;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.Scheduler;
import io.oe.core.scheduler.SchedulerInput;
import io.oe.core.scheduler.TransitionCause;
import io.oe.events.ArtifactRef;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.Violation;
import io.oe.events.PhaseReady;
import io.oe.events.StatusChanged;
import io.oe.events.Transform;
import io.oe.events.TransformSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a phase-ready carries of the plan: the forms consumers want of an output, a converted input, the specification. */
class EventMappingTest {
    private static final String DESIGN = "{\"type\": \"object\"}";
    private static final String DESIGN_AS_JSON = "{\"type\": \"object\", \"required\": [\"region\"]}";

    private final ExecutionState state = new Scheduler(TestSettings.SCHEDULER).register("e1", "/p", PlanJson.plan(PlanJson.parse("""
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "t", "mode": "sequential", "phases": [9, 15]}],
             "phases": [
               {"id": 9, "name": "Design", "agent": "@azure-architect",
                "outputs": [{"artifact": "design.yaml", "contract": "contracts/design.schema.json"}]},
               {"id": 15, "name": "CI/CD", "agent": "@devops",
                "inputs": [{"artifact": "design.yaml", "from": 9, "as": "json", "contract": "contracts/design-json.schema.json"}]}
             ]}""")), PlanJson.parse("{\"project_name\": \"X\", \"documents\": [\"vision.md\", \"api/guide.md\"]}"),
            new EngineConfig(null, "Spec/plan.json", null, null, null, null, null, null, null, null, null).withDefaults(),
            Map.of("contracts/design.schema.json", DESIGN, "contracts/design-json.schema.json", DESIGN_AS_JSON), Map.of(),
            List.of(), 0).state();

    @Test
    void theProducerIsToldWhichFormsOfItsOutputItsConsumersWantAndUnderWhichContract() {
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(9, 1, "@azure-architect", List.of(), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getOutputs()).singleElement().satisfies(o -> {
            assertThat(o.getArtifact()).isEqualTo("design.yaml");
            assertThat(o.getConsumers()).containsExactly("@devops");
            assertThat(o.getTransforms()).containsExactly(new TransformSpec("design.json", "json",
                    "contracts/design-json.schema.json", DESIGN_AS_JSON, Map.of()));
        });
    }

    @Test
    void theConsumerGetsTheConvertedArtifactNamedWithItsTransformAndItsOwnContract() {
        Artifact converted = new Artifact("design.json", 9, "tee-output/artifacts/sha256/ab", "ab", 10);
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(15, 1, "@devops", List.of(converted), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getInputs()).extracting(ArtifactRef::getName, ArtifactRef::getTransform)
                .containsExactly(tuple("design.json", new Transform("design.yaml", "yaml", "json")));
        assertThat(ready.getInputContracts()).containsExactly(Map.entry("design.json", DESIGN_AS_JSON));
    }

    @Test
    void everyPhaseIsGivenTheProjectPlanFileAndTheDocumentsItNames() {
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(9, 1, "@azure-architect", List.of(), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getSpecification()).containsExactly("Spec/plan.json", "Spec/vision.md", "Spec/api/guide.md");
    }

    @Test
    void aPhaseWithAlternativesRunsTheChosenAgentAndItsTransitionSaysWhichAndWhy() {
        ExecutionState alt = new Scheduler(TestSettings.SCHEDULER).register("e2", "/p", PlanJson.plan(PlanJson.parse("""
                {"plan_id": "p", "project_name": "X",
                 "tiers": [{"name": "t", "mode": "sequential", "phases": [12, 13]}],
                 "phases": [
                   {"id": 12, "name": "Design", "agent": "@architect", "outputs": [{"artifact": "design.json"}]},
                   {"id": 13, "name": "Backend", "inputs": [{"artifact": "design.json", "from": 12}],
                    "alternatives": [{"agent": "@nodejs", "condition": "project.stack.backend == 'nodejs'"},
                                     {"agent": "@dotnet", "condition": "project.stack.backend == 'dotnet'"}]}
                 ]}""")), PlanJson.parse("{\"project_name\": \"X\", \"stack\": {\"backend\": \"dotnet\"}}"),
                EngineConfig.DEFAULTS, Map.of(), Map.of("architect", "# a", "nodejs", "# node", "dotnet", "# dotnet"),
                List.of(), 0).state();
        // the producer's handoff names the reader's alternatives: which runs it is chosen when it is dispatched
        assertThat(EventMapping.phaseReady(alt, new Effect.Dispatch(12, 1, "@architect", List.of(), null, 60_000, 0), 0, 2_000)
                .getOutputs()).singleElement().satisfies(o -> assertThat(o.getConsumers()).containsExactly("@nodejs/@dotnet"));

        PhaseReady ready = EventMapping.phaseReady(alt, new Effect.Dispatch(13, 1, "@dotnet", List.of(), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getAgent()).isEqualTo("@dotnet");
        assertThat(ready.getAgentDefinition()).isEqualTo("# dotnet");

        var choice = io.oe.core.scheduler.AgentChoice.of(alt.plan().phase(13).orElseThrow(), alt.projectFacts(),
                new io.oe.core.condition.ConditionEvaluator());
        var changed = EventMapping.statusChanged("e2", new Effect.Transition(13, "pending", "ready", 1, null,
                io.oe.core.scheduler.ExecutionStatus.IN_PROGRESS, choice), 0);
        assertThat(changed.getAlternative().getChosen()).isEqualTo(2);
        assertThat(changed.getAlternative().getAlternatives()).extracting(a -> a.getAgent() + " " + a.getOutcome())
                .containsExactly("@nodejs false", "@dotnet holds");
        assertThat(changed.getAlternative().getReason()).isEqualTo("@dotnet chosen (alternative 2 of 2): "
                + "`project.stack.backend == 'dotnet'` holds; before it, @nodejs's `project.stack.backend == 'nodejs'` is false");
        assertThat(EventMapping.statusChanged("e2", new Effect.Transition(13, "ready", "in_progress", 1, null,
                io.oe.core.scheduler.ExecutionStatus.IN_PROGRESS), 0).getAlternative()).isNull();
    }

    @Test
    void aTransitionsCauseAndABackoffsNextAttemptTimeGoOnTheWireAndOneBuiltWithoutACauseReadsUnknown() {
        var backoff = EventMapping.statusChanged("e1", new Effect.Transition(2, "failed", "pending", 1, "retry 1 of 2 at …",
                ExecutionStatus.IN_PROGRESS, null, null, null, null, TransitionCause.BACKOFF, 5_000L), 1_000);
        assertThat(backoff.getCause().name()).isEqualTo("BACKOFF");
        assertThat(backoff.getNextAttemptAt()).isEqualTo(Instant.ofEpochMilli(5_000));
        assertThat(StatusChanged.getClassSchema().getField("cause").schema().getEnumSymbols()).as("the wire's causes")
                .containsExactlyElementsOf(Arrays.stream(TransitionCause.values()).map(Enum::name).toList());
        var unknown = EventMapping.statusChanged("e1", new Effect.Transition(2, "ready", "in_progress", 1, null,
                ExecutionStatus.IN_PROGRESS), 1_000);
        assertThat(unknown.getCause().name()).isEqualTo("UNKNOWN");
        assertThat(unknown.getNextAttemptAt()).isNull();
    }

    private static HandoffValidated failedHandoff(String error, List<Violation> violations) {
        return HandoffValidated.newBuilder().setHandoffId("h").setExecutionId("e1").setPhaseId(9).setAttempt(2)
                .setFromAgent("@azure-architect").setStatus(HandoffStatus.FAILED).setError(error).setViolations(violations)
                .setAgentStartedAt(Instant.EPOCH).setAgentEndedAt(Instant.EPOCH).setAt(Instant.EPOCH).build();
    }

    private static SchedulerInput.Failure failureOf(HandoffValidated h) {
        return ((SchedulerInput.AttemptFailed) EventMapping.input(h).orElseThrow()).failure();
    }

    @Test
    void aFailedHandoffSaysWhetherItBrokeAContractTimedOutOrTheAgentFailed() {
        assertThat(failureOf(failedHandoff("handoff failed: 1 contract violation(s): design.yaml /: required",
                List.of(new Violation("design.yaml", "", "required", "required"))))).isEqualTo(SchedulerInput.Failure.CONTRACT_VIOLATED);
        // the gateway's words for an agent it stopped at the phase or the task timeout, as the handoff-service forwards them
        assertThat(failureOf(failedHandoff("agent @azure-architect failed: timed out after 2 min; process tree stopped"
                + "\n--- agent output (tail) ---\nworking", List.of()))).isEqualTo(SchedulerInput.Failure.TIMED_OUT);
        assertThat(failureOf(failedHandoff("agent @azure-architect failed: task T1 exceeded its task timeout of 60 s; agent stopped",
                List.of()))).isEqualTo(SchedulerInput.Failure.TIMED_OUT);
        assertThat(failureOf(failedHandoff("agent @azure-architect failed: exited with code 1", List.of())))
                .isEqualTo(SchedulerInput.Failure.AGENT);
        // an agent's own output cannot pass for a timeout: only the gateway's first line counts
        assertThat(failureOf(failedHandoff("agent @azure-architect failed: exited with code 2\n--- agent output (tail) ---\n"
                + "agent @x failed: timed out after 1 s", List.of()))).isEqualTo(SchedulerInput.Failure.AGENT);
        assertThat(failureOf(failedHandoff(null, List.of()))).isEqualTo(SchedulerInput.Failure.AGENT);
    }

    @Test
    void aReviewCommandCarriesItsDecisionAndAReplacementsHandoffBecomesOutputReplaced() {
        var command = new io.oe.events.ExecutionCommand("c1", "e1", io.oe.events.CommandKind.REVIEW, 9, "alice", null, null,
                Instant.ofEpochMilli(5), false, null, io.oe.events.ReviewDecision.REPLACE, "design.yaml", "edits/design.yaml", null,
                null);
        assertThat(EventMapping.input(command)).get().isInstanceOfSatisfying(SchedulerInput.Command.class, c ->
                assertThat(c.review()).isEqualTo(io.oe.core.scheduler.Review.replace("design.yaml", "edits/design.yaml")));
        HandoffValidated passed = HandoffValidated.newBuilder(failedHandoff(null, List.of())).setStatus(HandoffStatus.SUCCESS)
                .setArtifacts(List.of(new ArtifactRef("design.yaml", 9, "loc", "ab", 3L, true, null))).setReplacedBy("alice")
                .build();
        assertThat(EventMapping.input(passed)).get().isEqualTo(new SchedulerInput.OutputReplaced(9, 2,
                List.of(new Artifact("design.yaml", 9, "loc", "ab", 3)), "alice", null, passed.getAt().toEpochMilli()));
        HandoffValidated refused = HandoffValidated.newBuilder(failedHandoff("handoff failed: 1 contract violation(s)",
                List.of(new Violation("design.yaml", "/a", "required", "missing")))).setReplacedBy("alice").build();
        assertThat(EventMapping.input(refused)).get().isInstanceOfSatisfying(SchedulerInput.OutputReplaced.class, r -> {
            assertThat(r.artifacts()).isEmpty();
            assertThat(r.error()).contains("design.yaml /a: missing (required)");
        });
    }

    @Test
    void aReplacementIsSentToTheHandoffAsAResultOfTheOneOutputReadFromThePersonsFile() {
        var result = EventMapping.replacement(state, new Effect.ReplaceOutput(9, 1, "@azure-architect", "design.yaml",
                "edits/design.yaml", "alice"), 7);
        assertThat(result.getReplacedBy()).isEqualTo("alice");
        assertThat(result.getReplacementPath()).isEqualTo("edits/design.yaml");
        assertThat(result.getWorkspaceDir()).isEqualTo("/p");
        assertThat(result.getOutputs()).singleElement().satisfies(o -> {
            assertThat(o.getArtifact()).isEqualTo("design.yaml");
            assertThat(o.getContractJson()).isEqualTo(DESIGN);
        });
        // the scheduler reads its own request back from agent-result: no agent ran, nothing to do
        assertThat(EventMapping.input(result)).isEmpty();
    }

    @Test
    void aUsageProgressBecomesTheAttemptsUsageSoFarCountingEveryTokenAndTheCostOfEveryModel() {
        var usage = List.of(new io.oe.events.ModelUsage("", "m1", 100L, 50L, 25L, 0.25, 2, 0),
                new io.oe.events.ModelUsage("", "m2", 10L, 5L, 0L, 0.05, 1, 0));
        var progress = new io.oe.events.AgentProgress("e1", 3, 2, io.oe.events.ProgressKind.USAGE, null, null, null, "w1",
                Instant.ofEpochMilli(7), usage);
        assertThat(EventMapping.input(progress)).get().isEqualTo(new SchedulerInput.UsageReported(3, 2,
                new io.oe.core.scheduler.Spend(190, 0.25 + 0.05), 7));
        var heartbeat = new io.oe.events.AgentProgress("e1", 3, 2, io.oe.events.ProgressKind.HEARTBEAT, null, null, null,
                "w1", Instant.ofEpochMilli(8), List.of());
        assertThat(EventMapping.input(heartbeat)).get().isInstanceOf(SchedulerInput.Heartbeat.class);
    }

    @Test
    void aBudgetCommandCarriesItsNewLimits() {
        var command = new io.oe.events.ExecutionCommand("c1", "e1", io.oe.events.CommandKind.BUDGET, 4, "alice", null, null,
                Instant.ofEpochMilli(5), false, null, null, null, null, 50_000L, null);
        assertThat(EventMapping.input(command)).get().isInstanceOfSatisfying(SchedulerInput.Command.class, c -> {
            assertThat(c.kind()).isEqualTo(SchedulerInput.CommandKind.BUDGET);
            assertThat(c.phaseId()).isEqualTo(4);
            assertThat(c.budget()).isEqualTo(new io.oe.core.plan.BudgetLimit(50_000L, null));
        });
    }
}
