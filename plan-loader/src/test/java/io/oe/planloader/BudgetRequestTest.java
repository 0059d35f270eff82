package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import java.time.Instant;
import io.oe.core.plan.PlanJson;
import org.junit.jupiter.api.Test;

/** A BUDGET command's fields are read or refused, naming the field, before anything is published. */
class BudgetRequestTest {
    private static BudgetRequest.Read read(String body) {
        return BudgetRequest.read(PlanJson.parse(body));
    }

    private static String wrong(String body) {
        var r = read(body);
        assertThat(r).isInstanceOf(BudgetRequest.Read.Wrong.class);
        var v = ((BudgetRequest.Read.Wrong) r).violation();
        return v.where() + ": " + v.message();
    }

    @Test
    void tokensCostOrBothAreRead() {
        assertThat(read("{\"tokens\": 5000}")).isEqualTo(new BudgetRequest.Read.Ok(new BudgetLimit(5000L, null)));
        assertThat(read("{\"cost_usd\": 2.5}")).isEqualTo(new BudgetRequest.Read.Ok(new BudgetLimit(null, 2.5)));
        assertThat(read("{\"tokens\": 5000, \"cost_usd\": 2}")).isEqualTo(new BudgetRequest.Read.Ok(new BudgetLimit(5000L, 2.0)));
    }

    @Test
    void missingNonNumericFractionalNegativeZeroAndAbsurdValuesAreRefusedNamingTheField() {
        assertThat(wrong("{}")).isEqualTo("tokens: BUDGET needs tokens, cost_usd or both");
        assertThat(wrong("{\"tokens\": \"lots\"}")).isEqualTo("tokens: must be a whole number, not \"lots\"");
        assertThat(wrong("{\"tokens\": 1.5}")).isEqualTo("tokens: must be a whole number, not 1.5");
        assertThat(wrong("{\"cost_usd\": \"2\"}")).isEqualTo("cost_usd: must be a number, not \"2\"");
        assertThat(wrong("{\"tokens\": -3}")).startsWith("tokens: tokens is -3; a token budget is a whole number from 1");
        assertThat(wrong("{\"cost_usd\": 0}")).startsWith("cost_usd: cost_usd is 0.0; a cost budget is more than 0");
        assertThat(wrong("{\"tokens\": 10000000000000}")).startsWith("tokens: tokens is 10000000000000");
    }

    @Test
    void aLimitThatDoesNotRaiseTheOneTheExecutionHoldsIsRefusedNamingTheFieldAndBothFigures() {
        Budget held = new Budget(new BudgetLimit(10_000L, null), new BudgetLimit(2000L, 1.0), null);
        assertThat(BudgetRequest.notARaise(held, 1, new BudgetLimit(1500L, null))).hasValueSatisfying(v -> assertThat(
                v.toString()).isEqualTo("tokens: phase 1's budget of 1500 tokens is not a raise: its limit is 2000 tokens"));
        assertThat(BudgetRequest.notARaise(held, 1, new BudgetLimit(5000L, 0.5))).hasValueSatisfying(v -> assertThat(
                v.toString()).isEqualTo("cost_usd: phase 1's budget of $0.5000 is not a raise: its limit is $1.0000"));
        assertThat(BudgetRequest.notARaise(held, null, new BudgetLimit(null, 3.0))).hasValueSatisfying(v -> assertThat(
                v.toString()).isEqualTo("cost_usd: the execution's budget has no cost limit to raise (a BUDGET only"
                        + " raises a limit the configuration set)"));
        assertThat(BudgetRequest.notARaise(null, 1, new BudgetLimit(5000L, null))).as("no budget at all").isPresent();
        assertThat(BudgetRequest.notARaise(held, 1, new BudgetLimit(5000L, 2.0))).isEmpty();
        assertThat(BudgetRequest.notARaise(held, null, new BudgetLimit(10_001L, null))).isEmpty();
    }

    @Test
    void theDirectoryKnowsTheBudgetTheSchedulerLastAppliedNotOneACommandAskedFor() {
        ExecutionDirectory directory = new ExecutionDirectory();
        directory.apply(PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/demo").setSubmittedAt(Instant.EPOCH)
                .setPlanJson("{\"plan_id\": \"p1\", \"project_name\": \"Demo\", \"tiers\": [{\"name\": \"t\", \"mode\":"
                        + " \"sequential\", \"phases\": [1]}], \"phases\": [{\"id\": 1, \"name\": \"A\", \"agent\": \"@a\"}]}").setProjectPlanJson("{}")
                .setConfigJson("{\"budget\": {\"phase\": {\"tokens\": 2000}}}").build());
        assertThat(directory.budget("e1").forPhase(1)).isEqualTo(new BudgetLimit(2000L, null));
        directory.apply(new StatusChanged("e1", null, "in_progress", "in_progress", 0, "phase 1's budget set to 5000 tokens",
                "in_progress", Instant.EPOCH, null, null, null, "{\"phase\": {\"tokens\": 2000}, \"phases\": {\"1\":"
                        + " {\"tokens\": 5000}}}", TransitionCause.UNKNOWN, null));
        assertThat(directory.budget("e1").forPhase(1)).isEqualTo(new BudgetLimit(5000L, null));
        directory.apply(new StatusChanged("e1", 1, "in_progress", "completed", 1, null, "in_progress", Instant.EPOCH, null,
                null, null, null, TransitionCause.UNKNOWN, null));
        assertThat(directory.budget("e1").forPhase(1)).as("a transition without one changes nothing")
                .isEqualTo(new BudgetLimit(5000L, null));
        assertThat(directory.budget("unknown")).isNull();
    }
}
