package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A plan's estimate: the longest chain of its tasks' estimate_minutes through the phases that ran and remain. */
class EstimateTest {
    private static final Plan PLAN = PlanJson.plan(PlanJson.parse("""
            {"plan_id": "p", "project_name": "X",
             "tiers": [{"name": "a", "mode": "sequential", "phases": [1]},
                       {"name": "b", "mode": "parallel", "phases": [2, 3]},
                       {"name": "c", "mode": "sequential", "phases": [4, 5]}],
             "phases": [
               {"id": 1, "name": "One", "agent": "@a", "tasks": [{"id": "T1", "estimate_minutes": 4}, {"id": "T2", "estimate_minutes": 6}]},
               {"id": 2, "name": "Two", "agent": "@a", "tasks": [{"id": "T3", "estimate_minutes": 5}]},
               {"id": 3, "name": "Three", "agent": "@a", "tasks": [{"id": "T4", "estimate_minutes": 20}]},
               {"id": 4, "name": "Four", "agent": "@a", "tasks": [{"id": "T5"}]},
               {"id": 5, "name": "Five", "agent": "@a", "tasks": [{"id": "T6", "estimate_minutes": 1.5}]}
             ]}"""));

    @Test
    void phasesSideBySideOverlapAndAChainAddsUp() {
        // 1 (10) → 3 (20) → 4 (0) → 5 (1.5); 2 (5) runs beside 3
        assertThat(Estimate.millis(PLAN, PlanGraph.of(PLAN), Set.of())).hasValue(Math.round(31.5 * 60_000));
    }

    @Test
    void aPhaseLeftOutCountsNothingButStillLinksWhatItStandsBetween() {
        assertThat(Estimate.millis(PLAN, PlanGraph.of(PLAN), Set.of(3))).hasValue(Math.round(16.5 * 60_000));
        assertThat(Estimate.millis(PLAN, PlanGraph.of(PLAN), Set.of(1, 2, 3, 4, 5))).hasValue(0);
    }

    @Test
    void aPlanWithoutEstimatesHasNone() {
        Plan none = PlanJson.plan(PlanJson.parse("""
                {"plan_id": "p", "project_name": "X", "tiers": [{"name": "a", "mode": "sequential", "phases": [1]}],
                 "phases": [{"id": 1, "name": "One", "agent": "@a", "tasks": [{"id": "T1"}]}]}"""));
        assertThat(Estimate.hasEstimates(none)).isFalse();
        assertThat(Estimate.millis(none, PlanGraph.of(none), Set.of())).isEmpty();
    }

    @Test
    void aLongChainIsReckonedWithoutRecursion() {
        StringBuilder phases = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            phases.append(i > 1 ? "," : "").append("{\"id\": ").append(i).append(", \"name\": \"P\", \"agent\": \"@a\", ")
                    .append("\"tasks\": [{\"id\": \"T").append(i).append("\", \"estimate_minutes\": 1}]}");
            ids.append(i > 1 ? "," : "").append(i);
        }
        Plan chain = PlanJson.plan(PlanJson.parse("{\"plan_id\": \"p\", \"project_name\": \"X\", \"tiers\": [{\"name\": \"a\", "
                + "\"mode\": \"sequential\", \"phases\": [" + ids + "]}], \"phases\": [" + phases + "]}"));
        assertThat(Estimate.millis(chain, PlanGraph.of(chain), Set.of())).hasValue(20_000L * 60_000);
    }
}
