package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.oe.core.agent.ModelPrice;
import io.oe.core.agent.RunnerConfig;
import io.oe.events.ModelUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An attempt's reports summed by model and priced: the agent's cost, else the price table's, else counted unpriced. */
class AttemptUsageTest {
    private static final RunnerConfig PRICES = new RunnerConfig(Map.of("p", new RunnerConfig.Profile(null, List.of("/bin/true"),
            null, null, null)), Map.of("*", "p"), Map.of("priced", new ModelPrice(2.0, 10.0, 0.5), "flat", new ModelPrice(1.0, 1.0, null)));

    private static UsageLine line(String text) {
        return ProgressLine.parse(text).orElseThrow().usage();
    }

    @Test
    void reportsAreSummedByModelAndPriced() {
        AttemptUsage u = new AttemptUsage("priced", PRICES);
        u.add(line("::usage input=1000 output=200 cached=500::")); // the profile's model: priced
        u.add(line("::usage input=300 output=100 model=priced cost=0.01::")); // its own cost wins
        u.add(line("::usage input=10 cached=10 model=flat::")); // cached at the input price when the table has none
        u.add(line("::usage input=50 output=5 model=unknown::"));
        u.add(line("::usage input=-1::"));

        List<ModelUsage> usage = u.usage();
        assertThat(usage).extracting(ModelUsage::getModel).containsExactly("flat", "priced", "unknown");
        ModelUsage priced = usage.get(1);
        assertThat(priced.getInputTokens()).isEqualTo(1300);
        assertThat(priced.getOutputTokens()).isEqualTo(300);
        assertThat(priced.getCachedTokens()).isEqualTo(500);
        assertThat(priced.getReports()).isEqualTo(2);
        assertThat(priced.getCostUsd()).isCloseTo((1000 * 2.0 + 200 * 10.0 + 500 * 0.5) / 1e6 + 0.01, within(1e-12));
        assertThat(usage.get(0).getCostUsd()).isCloseTo(20 / 1e6, within(1e-12));
        assertThat(usage.get(2).getUnpricedReports()).isEqualTo(1);
        assertThat(usage.get(2).getCostUsd()).isZero();
        assertThat(u.problems()).containsExactly("usage line \"::usage input=-1::\" refused: input=-1 is negative",
                "no cost for model 'unknown': the agent gave none and the runner configuration's prices do not list it"
                        + " (its tokens are counted, its cost is not)");
    }

    @Test
    void aFloodOfBadLinesKeepsTwentyProblemsAndCountsTheRest() {
        AttemptUsage u = new AttemptUsage("", PRICES);
        for (int i = 0; i < 1000; i++) {
            u.add(line("::usage input=x" + i + "::"));
        }
        assertThat(u.usage()).isEmpty();
        assertThat(u.problems()).hasSize(AttemptUsage.MAX_PROBLEMS + 1).last().isEqualTo("… and 980 more usage report(s) refused");
    }

    @Test
    void aPricedModelNoProfileListsIsAWarningNotAnError() {
        var cli = new RunnerConfig.Profile(null, List.of("/bin/true"), null, null, null, null, null,
                Map.of("sonnet", "claude-sonnet-4-5"), null, null);
        var config = new RunnerConfig(Map.of("cli", cli), Map.of("*", "cli"), Map.of("claude-sonnet-4-5", new ModelPrice(3.0, 15.0, null),
                "sonnet", new ModelPrice(3.0, 15.0, null), "claude-sonet-4-5", new ModelPrice(3.0, 15.0, null)));
        assertThat(config.problems()).isEmpty();
        assertThat(config.priceWarnings()).containsExactly("prices['claude-sonet-4-5']: no runner profile lists this model in"
                + " its models [claude-sonnet-4-5, sonnet]; it prices only usage that agents report under this name");
    }

    @Test
    void aPriceTableWithBadPricesIsRefusedNamingModelAndKey() {
        var bad = new RunnerConfig(PRICES.runners(), PRICES.agents(), Map.of("m", new ModelPrice(-1.0, null, 1e9)));
        assertThat(bad.problems()).containsExactly("prices['m'].input_per_million is -1.0; a price is 0 to 10000 US dollars per million tokens",
                "prices['m'].output_per_million is missing",
                "prices['m'].cached_per_million is 1.0E9; a price is 0 to 10000 US dollars per million tokens");
    }
}
