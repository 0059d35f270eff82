package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.BudgetLimit;
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
}
