package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.EngineState;
import io.oe.events.ModelUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage as the state JSON, the reports and the summary show it: the projector's sums, in words and as data. */
class UsageReportTest {
    private static EngineState withUsage() {
        EngineState s = Fixtures.state("e1", "/p", "completed", 9, "{}");
        var used = List.of(new ModelUsage("", "m1", 1000L, 200L, 500L, 0.01, 2, 0), new ModelUsage("", "m2", 50L, 5L, 0L, 0d, 1, 1));
        s.getPhases().get("12").getAttemptHistory().get(0).setUsage(used);
        s.getPhases().get("12").setUsage(used);
        s.setUsage(List.of(new ModelUsage("@database-specialist", "m1", 1000L, 200L, 500L, 0.01, 2, 0),
                new ModelUsage("@database-specialist", "m2", 50L, 5L, 0L, 0d, 1, 1)));
        return s;
    }

    @Test
    void theStateAndTheJsonReportCarryTotalsByModelAndByAgent() {
        JsonNode state = StateJson.state(withUsage());
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(state)).isEmpty();
        JsonNode u = state.path("usage");
        assertThat(u.path("total_tokens").asLong()).isEqualTo(1755);
        assertThat(u.path("unpriced_reports").asInt()).isEqualTo(1);
        assertThat(u.path("text").asText()).isEqualTo("1,755 tokens (1,050 in, 205 out, 500 cached), ≥ $0.0100 (1 report(s) unpriced)");
        assertThat(u.path("by_agent").get(0).path("agent").asText()).isEqualTo("@database-specialist");
        assertThat(state.path("phases").path("12").path("usage").path("by_model")).hasSize(2);
        assertThat(state.path("phases").path("12").path("attempt_history").get(0).path("usage").path("reports").asInt()).isEqualTo(3);
        assertThat(state.path("phases").path("2").has("usage")).isFalse(); // nothing reported: nothing shown
        assertThat(Report.json(withUsage()).path("usage").path("by_model").get(0).path("model").asText()).isEqualTo("m1");
        assertThat(StateJson.summary(withUsage()).path("usage").path("cost_usd").asDouble()).isEqualTo(0.01);
    }

    @Test
    void theMarkdownReportHasASummaryLineAndAUsageSection() {
        String md = Report.markdown(withUsage());
        assertThat(md).contains("| Usage | 1,755 tokens (1,050 in, 205 out, 500 cached), ≥ $0.0100 (1 report(s) unpriced) |",
                "## Usage", "| @database-specialist | m1 | 1,000 | 200 | 500 | $0.0100 |",
                "| **total** | — | 1,050 | 205 | 500 | ≥ $0.0100 (1 report(s) unpriced) |",
                "| 12 Database | 1 | m2 | 50 | 5 | 0 | ≥ $0.0000 (1 report(s) unpriced) |");
        assertThat(Report.markdown(Fixtures.state("e1", "/p", "completed", 9, "{}"))).contains("| Usage | none reported |")
                .doesNotContain("## Usage");
    }
}
