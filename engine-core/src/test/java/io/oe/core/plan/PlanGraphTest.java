package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
    private final PlanGraph graph = PlanGraph.of(PlanJson.plan(TestPlans.seedPlan()));

    @Test
    void sequentialTierChainsItsPhases() {
        assertThat(graph.prerequisitesOf(1)).isEmpty();
        assertThat(graph.prerequisitesOf(2)).containsExactly(1);
        assertThat(graph.prerequisitesOf(8)).containsExactly(7);
    }

    @Test
    void conditionalTierWaitsForThePreviousTierAndForItsInputs() {
        assertThat(graph.prerequisitesOf(9)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(graph.prerequisitesOf(11)).contains(9).contains(8);
    }

    @Test
    void parallelTierWaitsOnlyForThePreviousTier() {
        for (int id : List.of(12, 13, 14)) {
            assertThat(graph.prerequisitesOf(id)).containsExactlyInAnyOrder(8, 9, 11);
        }
    }

    @Test
    void firstPhaseAfterAParallelTierIsASyncPoint() {
        assertThat(graph.prerequisitesOf(15)).containsExactlyInAnyOrder(12, 13, 14);
        assertThat(graph.prerequisitesOf(16)).containsExactly(15);
    }

    @Test
    void theSeedPlansSyncPointIsPhase15WaitingForTheWholeParallelTier() {
        assertThat(graph.syncPoints()).containsExactly(new PlanGraph.SyncPoint(List.of(15), List.of(12, 13, 14)));
    }

    @Test
    void phasesThatWaitForTheSameBranchesAreOneSyncPointAndAChainIsNone() {
        // 1 → (2 ∥ 3) → (4 ∥ 5) → 6 with 6 also reading from 1: 4 and 5 wait for 2 and 3; 6 for 4 and 5 (1 is implied)
        PlanGraph g = PlanGraph.ofPrerequisites(java.util.Map.of(1, List.of(), 2, List.of(1), 3, List.of(1), 4, List.of(2, 3),
                5, List.of(1, 2, 3), 6, List.of(1, 4, 5)));
        assertThat(g.syncPoints()).containsExactly(new PlanGraph.SyncPoint(List.of(4, 5), List.of(2, 3)),
                new PlanGraph.SyncPoint(List.of(6), List.of(4, 5)));
        assertThat(PlanGraph.ofPrerequisites(java.util.Map.of(1, List.of(), 2, List.of(1), 3, List.of(1, 2))).syncPoints())
                .isEmpty();
    }

    @Test
    void aPhaseAfterAWideTierFindsItsBranchesWithoutComparingThemPairWise() {
        var prerequisites = new java.util.HashMap<Integer, List<Integer>>();
        prerequisites.put(0, List.of());
        List<Integer> wide = new java.util.ArrayList<>();
        for (int i = 1; i <= 20_000; i++) {
            prerequisites.put(i, List.of(0));
            wide.add(i);
        }
        prerequisites.put(20_001, wide);
        long t0 = System.nanoTime();
        assertThat(PlanGraph.ofPrerequisites(prerequisites).syncPoints()).singleElement()
                .satisfies(sp -> assertThat(sp.waitsFor()).hasSize(20_000));
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(2_000);
    }

    @Test
    void explicitDependsOnOverridesTheTier() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(14)).putArray("depends_on").add(12);
        PlanGraph g = PlanGraph.of(PlanJson.plan(plan));
        assertThat(g.prerequisitesOf(16)).containsExactly(12);
    }

    @Test
    void findsACycleAndNamesItsPhases() {
        ObjectNode plan = TestPlans.seedPlan();
        ArrayNode phases = plan.withArray("phases");
        ((ObjectNode) phases.get(2)).putArray("depends_on").add(5); // 3 needs 5, 5 needs 4, 4 needs 3
        var cycle = PlanGraph.of(PlanJson.plan(plan)).findCycle();
        assertThat(cycle).isPresent();
        assertThat(cycle.get()).contains(3, 4, 5);
        assertThat(cycle.get().get(0)).isEqualTo(cycle.get().get(cycle.get().size() - 1));
        assertThat(graph.findCycle()).isEmpty();
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        ObjectNode plan = PlanJson.MAPPER.createObjectNode();
        plan.put("plan_id", "chain").put("project_name", "chain");
        ArrayNode ids = plan.putArray("tiers").addObject().put("name", "t").put("mode", "sequential").putArray("phases");
        ArrayNode phases = plan.putArray("phases");
        for (int i = 0; i < 100_000; i++) {
            ids.add(i);
            phases.addObject().put("id", i).put("name", "p" + i).put("agent", "@a");
        }
        assertThat(PlanGraph.of(PlanJson.plan(plan)).findCycle()).isEmpty();
    }
}
