package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each budget limit beside its usage, as the state JSON, the reports (JSON, Markdown, HTML) and the dashboard show it. */
class BudgetReportTest {
    private static final String CONFIG = "{\"budget\": {\"execution\": {\"tokens\": 5000, \"cost_usd\": 1.0},"
            + " \"phase\": {\"tokens\": 2000}, \"phases\": {\"12\": {\"tokens\": 10000}}}}";

    private static EngineState withBudget(String config) {
        EngineState s = Fixtures.state("e1", "/p", "in_progress", 9, config);
        var used = List.of(new ModelUsage("", "m1", 1000L, 200L, 34L, 0.042, 2, 0));
        s.getPhases().get("12").setUsage(used);
        s.setUsage(List.of(new ModelUsage("@database-specialist", "m1", 1000L, 200L, 34L, 0.042, 2, 0)));
        return s;
    }

    @Test
    void theStateShowsTheExecutionsAndEachPhasesLimitBesideItsUsage() {
        JsonNode state = StateJson.state(withBudget(CONFIG));
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(state)).isEmpty();
        JsonNode execution = state.path("budget_use");
        assertThat(execution.path("text").asText()).isEqualTo("tokens 1,234 of 5,000 (25 %); cost $0.0420 of $1.0000 (4 %)");
        assertThat(execution.path("tokens").path("used").asLong()).isEqualTo(1234);
        assertThat(execution.path("tokens").path("limit").asLong()).isEqualTo(5000);
        assertThat(execution.path("tokens").path("percent").asInt()).isEqualTo(25);
        assertThat(execution.path("cost_usd").path("limit").asDouble()).isEqualTo(1.0);
        assertThat(state.path("phases").path("12").path("budget_use").path("text").asText())
                .as("its own limit").isEqualTo("tokens 1,234 of 10,000 (12 %)");
        assertThat(state.path("phases").path("2").path("budget_use").path("text").asText())
                .as("every phase's limit, nothing used").isEqualTo("tokens 0 of 2,000 (0 %)");
    }

    @Test
    void withoutABudgetOrWithAConfigThatCannotBeReadNothingIsShown() {
        for (String config : List.of("{}", "not json")) {
            JsonNode state = StateJson.state(withBudget(config));
            assertThat(state.has("budget_use")).as(config).isFalse();
            assertThat(state.path("phases").path("12").has("budget_use")).as(config).isFalse();
            assertThat(Report.markdown(withBudget(config))).as(config).doesNotContain("| Budget |", "## Budget");
            assertThat(Report.json(withBudget(config)).path("budget_use").isNull()).as(config).isTrue();
        }
    }

    @Test
    void theReportsShowEachLimitBesideItsUsage() {
        String md = Report.markdown(withBudget(CONFIG));
        assertThat(md).contains("| Budget | tokens 1,234 of 5,000 (25 %); cost $0.0420 of $1.0000 (4 %) |", "## Budget",
                "| the execution | tokens 1,234 of 5,000 (25 %); cost $0.0420 of $1.0000 (4 %) |",
                "| phase 12 Database | tokens 1,234 of 10,000 (12 %) |", "| phase 2 ");
        assertThat(Report.html(withBudget(CONFIG))).contains("<td>phase 12 Database</td>",
                "<td>tokens 1,234 of 10,000 (12 %)</td>");
        JsonNode json = Report.json(withBudget(CONFIG));
        assertThat(json.path("budget_use").path("text").asText()).startsWith("tokens 1,234 of 5,000 (25 %)");
        assertThat(json.path("budget").path("phases").path("12").path("tokens").asLong()).isEqualTo(10_000);
        assertThat(json.path("phases")).filteredOn(p -> p.path("id").asInt() == 12).singleElement()
                .satisfies(p -> assertThat(p.path("budget_use").path("text").asText()).isEqualTo("tokens 1,234 of 10,000 (12 %)"));
    }
}
