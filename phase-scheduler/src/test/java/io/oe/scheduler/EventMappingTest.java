package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Artifact;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.Scheduler;
import io.oe.core.scheduler.SchedulerSettings;
import io.oe.events.ArtifactRef;
import io.oe.events.PhaseReady;
import io.oe.events.Transform;
import io.oe.events.TransformSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a phase-ready carries of the plan: the forms consumers want of an output, a converted input, the specification. */
class EventMappingTest {
    private static final String DESIGN = "{\"type\": \"object\"}";
    private static final String DESIGN_AS_JSON = "{\"type\": \"object\", \"required\": [\"region\"]}";

    private final ExecutionState state = new Scheduler(SchedulerSettings.DEFAULTS).register("e1", "/p", PlanJson.plan(PlanJson.parse("""
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
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(9, 1, List.of(), null, 60_000, 0), 0, 2_000);
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
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(15, 1, List.of(converted), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getInputs()).extracting(ArtifactRef::getName, ArtifactRef::getTransform)
                .containsExactly(tuple("design.json", new Transform("design.yaml", "yaml", "json")));
        assertThat(ready.getInputContracts()).containsExactly(Map.entry("design.json", DESIGN_AS_JSON));
    }

    @Test
    void everyPhaseIsGivenTheProjectPlanFileAndTheDocumentsItNames() {
        PhaseReady ready = EventMapping.phaseReady(state, new Effect.Dispatch(9, 1, List.of(), null, 60_000, 0), 0, 2_000);
        assertThat(ready.getSpecification()).containsExactly("Spec/plan.json", "Spec/vision.md", "Spec/api/guide.md");
    }
}
