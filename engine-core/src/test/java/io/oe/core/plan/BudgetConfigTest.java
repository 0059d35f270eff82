package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.TestPlans;
import io.oe.core.agent.RunnerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * engine.config.json's {@code budget} as validation sees it, and the runner configuration's {@code budget_ceiling}: a
 * plan may not go above it, and a plan that says nothing gets it.
 */
class BudgetConfigTest {
    private static final RunnerConfig.Profile SCRIPT = new RunnerConfig.Profile(null, List.of("/opt/run"), null, null, null);

    private static RunnerConfig runners(Budget ceiling) {
        return new RunnerConfig(Map.of("script", SCRIPT), Map.of("*", "script"), null, ceiling);
    }

    private static List<Violation> check(String config, Budget ceiling) {
        return new PlanValidator(TestPlans.schemaTexts(), runners(ceiling)).validateConfig(PlanJson.parse(config));
    }

    @Test
    void aBudgetOfTokensAndCostPerExecutionAndPhaseIsReadAsGiven() {
        var config = PlanJson.config(PlanJson.parse("""
                {"budget": {"execution": {"tokens": 200000, "cost_usd": 5}, "phase": {"tokens": 50000},
                            "phases": {"3": {"cost_usd": 1.5}}}}"""));
        assertThat(check("{\"budget\": {\"execution\": {\"tokens\": 200000, \"cost_usd\": 5}, \"phase\": {\"tokens\": 50000},"
                + " \"phases\": {\"3\": {\"cost_usd\": 1.5}}}}", null)).isEmpty();
        assertThat(config.budget().execution()).isEqualTo(new BudgetLimit(200_000L, 5.0));
        assertThat(config.budget().forPhase(2)).isEqualTo(new BudgetLimit(50_000L, null));
        assertThat(config.budget().forPhase(3)).as("its own cost, the phases' tokens").isEqualTo(new BudgetLimit(50_000L, 1.5));
    }

    @Test
    void negativeZeroNonNumericAbsurdAndEmptyBudgetsAreRefusedNamingTheKey() {
        assertThat(check("{\"budget\": {\"phase\": {\"tokens\": -1}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/phase/tokens");
        assertThat(check("{\"budget\": {\"execution\": {\"cost_usd\": 0}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/execution/cost_usd");
        assertThat(check("{\"budget\": {\"execution\": {\"tokens\": \"lots\"}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/execution/tokens");
        assertThat(check("{\"budget\": {\"execution\": {\"tokens\": 1.5}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/execution/tokens");
        assertThat(check("{\"budget\": {\"execution\": {\"cost_usd\": 1e9}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/execution/cost_usd");
        assertThat(check("{\"budget\": {\"phase\": {}}}", null)).extracting(Violation::where)
                .containsExactly("engine.config.json /budget/phase");
        assertThat(check("{\"budget\": {\"phases\": {\"three\": {\"tokens\": 5}}}}", null)).isNotEmpty();
        assertThat(check("{\"budget\": {\"phase\": {\"token\": 5}}}", null)).isNotEmpty();
    }

    @Test
    void aPlanBudgetAboveTheRunnerCeilingIsRefusedNamingBothKeys() {
        Budget ceiling = new Budget(new BudgetLimit(100_000L, 10.0), new BudgetLimit(20_000L, null), null);
        assertThat(check("{\"budget\": {\"execution\": {\"cost_usd\": 25}, \"phases\": {\"4\": {\"tokens\": 30000}}}}", ceiling))
                .extracting(Violation::toString).containsExactly(
                        "engine.config.json: budget.execution.cost_usd is 25.0, above the runner configuration's"
                                + " budget_ceiling.execution.cost_usd 10.0",
                        "engine.config.json: budget.phases['4'].tokens is 30000, above the runner configuration's"
                                + " budget_ceiling.phase.tokens 20000");
        assertThat(check("{\"budget\": {\"execution\": {\"cost_usd\": 10}}}", ceiling)).as("at the ceiling").isEmpty();
    }

    @Test
    void aPlanWithoutABudgetGetsTheCeilingAndOneWithPartOfItTheRest() {
        Budget ceiling = new Budget(new BudgetLimit(100_000L, 10.0), new BudgetLimit(20_000L, null), null);
        var validator = new PlanValidator(TestPlans.schemaTexts(), runners(ceiling));
        assertThat(validator.bounded(PlanJson.config(null)).budget()).isEqualTo(new Budget(ceiling.execution(),
                ceiling.phase(), null));
        var partly = validator.bounded(PlanJson.config(PlanJson.parse("{\"budget\": {\"execution\": {\"tokens\": 5000}}}")));
        assertThat(partly.budget().execution()).isEqualTo(new BudgetLimit(5000L, 10.0));
        assertThat(partly.budget().phase()).isEqualTo(new BudgetLimit(20_000L, null));
        assertThat(new PlanValidator(TestPlans.schemaTexts(), runners(null)).bounded(PlanJson.config(null)).budget()).isNull();
    }

    @Test
    void aCeilingWithBadValuesIsAProblemOfTheRunnerConfigurationNamingTheKey() {
        var bad = runners(new Budget(new BudgetLimit(0L, null), new BudgetLimit(null, -2.0), Map.of("1",
                new BudgetLimit(5L, null))));
        assertThat(bad.problems()).containsExactly(
                "budget_ceiling.execution.tokens is 0; a token budget is a whole number from 1 to 1000000000000",
                "budget_ceiling.phase.cost_usd is -2.0; a cost budget is more than 0 and at most 1000000 US dollars",
                "budget_ceiling.phases: a ceiling bounds every phase alike ('phase'), not phases one by one");
    }

    @Test
    void aLimitIsShownBesideWhatIsUsedOfEachMeasureWithItsShare() {
        assertThat(new BudgetLimit(5000L, 1.0).use(1234, 0.042)).isEqualTo(
                "tokens 1,234 of 5,000 (25 %); cost $0.0420 of $1.0000 (4 %)");
        assertThat(new BudgetLimit(2000L, null).use(2150, 0)).isEqualTo("tokens 2,150 of 2,000 (108 %)");
        assertThat(new BudgetLimit(null, 2.5).use(0, 0)).isEqualTo("cost $0.0000 of $2.5000 (0 %)");
    }
}
