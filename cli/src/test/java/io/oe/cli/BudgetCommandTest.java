package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * oe budget: the budget rule (a raise of the limit the execution holds, above what is used) against the monitor's state,
 * before anything is sent; against a local server that records the commands.
 */
class BudgetCommandTest {
    private static final String STATE = """
            {"execution_id": "e1", "status": "waiting_for_intervention",
             "budget": {"execution": {"tokens": 10000}, "phase": {"tokens": 2000}},
             "usage": {"total_tokens": 2150, "cost_usd": 0.01},
             "phases": {"1": {"usage": {"total_tokens": 2150, "cost_usd": 0.01}}}}""";
    private FakeEngineApi api;
    private List<JsonNode> sent;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        api = new FakeEngineApi("BUDGET", STATE);
        sent = api.sent();
        url = api.url();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Console.Run budget(String... args) {
        List<String> all = new ArrayList<>(List.of("budget", "--plan-loader-url", url, "--monitor-url", url,
                "--execution-id", "e1"));
        all.addAll(List.of(args));
        return Console.oe(all.toArray(String[]::new));
    }

    @Test
    void aLimitNotAboveWhatIsUsedNotARaiseOrForAnUnlimitedMeasureIsRefusedAndNothingIsSent() {
        var belowUsed = budget("--phase", "1", "--tokens", "2100");
        assertThat(belowUsed.code()).isEqualTo(CliException.REJECTED);
        assertThat(belowUsed.err()).contains("--tokens: phase 1's budget of 2100 tokens is not above the 2150 tokens already"
                + " used; nothing was sent");
        var lower = budget("--tokens", "9000");
        assertThat(lower.code()).isEqualTo(CliException.REJECTED);
        assertThat(lower.err()).contains("--tokens: the execution's budget of 9000 tokens is not a raise: its limit is 10000"
                + " tokens");
        var unlimited = budget("--cost-usd", "5");
        assertThat(unlimited.code()).isEqualTo(CliException.REJECTED);
        assertThat(unlimited.err()).contains("--cost-usd: the execution's budget has no cost limit to raise");
        assertThat(sent).isEmpty();
    }

    @Test
    void aRaiseIsSent() {
        var run = budget("--phase", "1", "--tokens", "5000");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.path("command").asText()).isEqualTo("BUDGET");
            assertThat(c.path("phase_id").asInt()).isEqualTo(1);
            assertThat(c.path("tokens").asLong()).isEqualTo(5000);
        });
    }
}
