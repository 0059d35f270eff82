package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.condition.ConditionEvaluator;
import io.oe.core.plan.Phase;
import io.oe.core.plan.PlanJson;
import org.junit.jupiter.api.Test;

class AgentChoiceTest {
    private static final Phase FRONTEND = PlanJson.MAPPER.convertValue(PlanJson.parse("""
            {"id": 14, "name": "Frontend", "alternatives": [
              {"agent": "@react", "condition": "project.stack.frontend == 'react'"},
              {"agent": "@vue", "condition": "project.stack.frontend == 'vue'"},
              {"agent": "@static-site"}]}"""), Phase.class);

    private static AgentChoice choose(String facts) {
        return AgentChoice.of(FRONTEND, PlanJson.parse(facts), new ConditionEvaluator());
    }

    @Test
    void theFirstThatHoldsIsChosenAndTheOnesAfterItAreNotEvaluated() {
        AgentChoice c = choose("{\"stack\": {\"frontend\": \"react\"}}");
        assertThat(c.chosen()).isEqualTo(1);
        assertThat(c.alternatives()).extracting(AgentChoice.Considered::outcome)
                .containsExactly(AgentChoice.HOLDS, AgentChoice.NOT_EVALUATED, AgentChoice.NOT_EVALUATED);
        assertThat(c.reason()).isEqualTo("@react chosen (alternative 1 of 3): `project.stack.frontend == 'react'` holds");
    }

    @Test
    void aLastAlternativeWithoutAConditionIsTheFallback() {
        AgentChoice c = choose("{\"stack\": {\"frontend\": \"svelte\"}}");
        assertThat(c.agent()).isEqualTo("@static-site");
        assertThat(c.reason()).isEqualTo("@static-site chosen (alternative 3 of 3, which has no condition); before it,"
                + " @react's `project.stack.frontend == 'react'` is false; @vue's `project.stack.frontend == 'vue'` is false");
    }

    @Test
    void aPhaseRunKeepsItsChoiceThroughTheSchedulersStore() throws Exception {
        PhaseRun run = PhaseRun.pending().chose(choose("{\"stack\": {\"frontend\": \"vue\"}}")).dispatched(1);
        byte[] stored = PlanJson.MAPPER.writeValueAsBytes(run); // how ExecutionStore keeps a phase's run
        assertThat(PlanJson.MAPPER.readValue(stored, PhaseRun.class)).isEqualTo(run);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("\"reason\":\"@vue");
        // a run stored before alternatives existed reads as one without a choice
        assertThat(PlanJson.MAPPER.readValue("{\"status\": \"pending\", \"budgetStart\": 1}", PhaseRun.class).choice()).isNull();
    }

    @Test
    void theChoiceIsAPureFunctionOfThePhaseAndTheFacts() {
        assertThat(choose("{\"stack\": {\"frontend\": \"vue\"}}")).isEqualTo(choose("{\"stack\": {\"frontend\": \"vue\"}}"));
        assertThat(choose("{\"stack\": {\"frontend\": \"vue\"}}").agent()).isEqualTo("@vue");
    }
}
