package io.oe.core.condition;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.TestPlans;
import org.junit.jupiter.api.Test;

class ConditionEvaluatorTest {
    private final ConditionEvaluator cel = new ConditionEvaluator();

    @Test
    void evaluatesOverTheProjectFacts() {
        var facts = TestPlans.facts("azure", "terraform");
        assertThat(cel.evaluate("project.infrastructure.cloud == 'azure'", facts)).isEqualTo(new ConditionEvaluator.Outcome(true, null));
        assertThat(cel.evaluate("project.infrastructure.iac == 'bicep'", facts).value()).isFalse();
        assertThat(cel.evaluate("project.infrastructure.cloud in ['azure', 'aws'] && has(project.infrastructure.iac)",
                facts)).isEqualTo(new ConditionEvaluator.Outcome(true, null));
    }

    @Test
    void aMissingFactIsAnErrorNotTrue() {
        var outcome = cel.evaluate("project.team.size > 3", TestPlans.facts("azure", "x"));
        assertThat(outcome.value()).isFalse();
        assertThat(outcome.error()).contains("team");
    }

    @Test
    void compileErrorsAreReported() {
        assertThat(cel.compileError("project.x ==")).get().asString().contains("mismatched input");
        assertThat(cel.compileError("'a' + 1")).isPresent();
        assertThat(cel.compileError("project.infrastructure.cloud == 'azure'")).isEmpty();
    }
}
