package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The usage Claude Code and Codex print in their JSON modes, read as usage reports (docs/agents.md). */
class CliUsageTest {
    @Test
    void claudeCodesResultIsReadPerModelWithItsCost() {
        var reports = CliUsage.reader("claude-json").read("""
                {"type":"result","subtype":"success","total_cost_usd":0.0521,"usage":{"input_tokens":10,"output_tokens":20},\
                "modelUsage":{"claude-sonnet-4-5-20250929":{"inputTokens":1200,"outputTokens":340,"cacheReadInputTokens":800,\
                "cacheCreationInputTokens":100,"costUSD":0.05},"claude-haiku-4-5":{"inputTokens":5,"outputTokens":1,"costUSD":0.0021}}}""");
        assertThat(reports).extracting(UsageLine::report).containsExactly(
                new UsageLine.Report("claude-sonnet-4-5-20250929", 1300, 340, 800, 0.05),
                new UsageLine.Report("claude-haiku-4-5", 5, 1, 0, 0.0021));
    }

    @Test
    void claudeCodesUsageIsReadWhenThereIsNoModelUsage() {
        var reports = CliUsage.reader("claude-json").read("{\"type\":\"result\",\"total_cost_usd\":0.01,"
                + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":30,\"output_tokens\":20}}");
        assertThat(reports).extracting(UsageLine::report).containsExactly(new UsageLine.Report(null, 10, 20, 30, 0.01));
    }

    @Test
    void codexTurnsAreReadWithCachedTakenOutOfInput() {
        var reports = CliUsage.reader("codex-jsonl").read(
                "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":26549,\"cached_input_tokens\":22272,\"output_tokens\":1590}}");
        assertThat(reports).extracting(UsageLine::report).containsExactly(new UsageLine.Report(null, 4277, 1590, 22272, null));
    }

    @Test
    void otherLinesAndLiesAreHandled() {
        assertThat(CliUsage.reader("codex-jsonl").read("{\"type\":\"item.completed\",\"usage\":{}}")).isEmpty();
        assertThat(CliUsage.reader("codex-jsonl").read("{not json usage")).isEmpty();
        assertThat(CliUsage.reader(null).read("{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1}}")).isEmpty();
        assertThat(CliUsage.reader("codex-jsonl").read(
                "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"output_tokens\":-4}}"))
                .singleElement().extracting(UsageLine::problem).asString()
                .isEqualTo("Codex turn.completed refused: output=-4 is negative");
    }
}
