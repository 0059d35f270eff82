package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.agent.RunnerConfig;
import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A START's engine config is held to the runner configuration's budget_ceiling as a plan's is at load. */
class ConfigCheckTest {
    private static final Budget CEILING = new Budget(new BudgetLimit(100_000L, 10.0), new BudgetLimit(20_000L, null), null);
    private final ConfigCheck check = new ConfigCheck(EngineSchemas.load(), new RunnerConfig(Map.of("script",
            new RunnerConfig.Profile(null, List.of("/opt/run"), null, null, null)), Map.of("*", "script"), null, CEILING));

    @Test
    void aStartConfigWhoseBudgetIsAboveTheCeilingIsRefusedNamingItsKeyAndTheCeilings() {
        assertThat(check.check(PlanJson.parse("{\"budget\": {\"execution\": {\"tokens\": 500000}, \"phase\": {\"tokens\": 1000}}}")))
                .extracting(Violation::toString).containsExactly("engine.config.json: budget.execution.tokens is 500000,"
                        + " above the runner configuration's budget_ceiling.execution.tokens 100000");
        assertThat(check.check(PlanJson.parse("{\"budget\": {\"phases\": {\"2\": {\"tokens\": 20001}}}}")))
                .extracting(Violation::toString).containsExactly("engine.config.json: budget.phases['2'].tokens is 20001,"
                        + " above the runner configuration's budget_ceiling.phase.tokens 20000");
        assertThat(check.check(PlanJson.parse("{\"budget\": {\"execution\": {\"tokens\": 100000}}}"))).as("at the ceiling")
                .isEmpty();
        assertThat(new ConfigCheck(EngineSchemas.load(), null).check(PlanJson.parse(
                "{\"budget\": {\"execution\": {\"tokens\": 500000}}}"))).as("no runner configuration, no ceiling").isEmpty();
    }

    @Test
    void aStartConfigsBudgetGetsEachMeasureItLeavesOutFromTheCeilingAndOneWithoutABudgetIsLeftSo() {
        var bounded = PlanJson.config(check.bounded(PlanJson.parse(
                "{\"max_concurrent_phases\": 2, \"budget\": {\"execution\": {\"tokens\": 5000}}}")));
        assertThat(bounded.budget().execution()).isEqualTo(new BudgetLimit(5000L, 10.0));
        assertThat(bounded.budget().phase()).isEqualTo(new BudgetLimit(20_000L, null));
        assertThat(bounded.maxConcurrentPhases()).isEqualTo(2);
        var without = PlanJson.parse("{\"max_concurrent_phases\": 2}");
        assertThat(check.bounded(without)).as("the scheduler keeps the budget at load, bounded then").isSameAs(without);
    }
}
