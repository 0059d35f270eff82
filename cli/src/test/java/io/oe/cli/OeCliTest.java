package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class OeCliTest {

    @Test
    void helpListsTheCommands() {
        assertThat(OeCli.run("--help")).isZero();
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageEvenWhenItHasRequiredOptions() {
        for (String command : new CommandLine(new OeCli()).getSubcommands().keySet()) {
            Console.Run help = Console.oe(command, "--help");
            assertThat(help.code()).as("oe %s --help: %s", command, help.err()).isZero();
            assertThat(help.out()).as("oe %s --help", command).contains("Usage: oe " + command);
            assertThat(help.err()).as("oe %s --help", command).isEmpty();
        }
        assertThat(Console.oe("init", "-h").out()).contains("--orchestration-plan", "--config");
    }

    @Test
    void ohHelpListsEveryCommandAndHelpOfACommandShowsItsOptions() {
        Console.Run help = Console.oe("help");
        assertThat(help.code()).isZero();
        for (String command : List.of("up", "down", "init", "execute", "status", "watch", "report", "graph", "tail",
                "retry", "skip", "approve", "pause", "resume", "cancel", "rerun", "review", "wait", "demo", "ps", "restart", "reset", "logs")) {
            assertThat(help.out()).as("oe help lists %s", command).containsPattern("(?m)^\\s+" + command + "\\s");
        }
        assertThat(Console.oe("help", "tail").out()).contains("Usage: oe tail", "--json", "--from-beginning");
    }

    @Test
    void unreachableServiceIsAOneLineErrorAndExit1() {
        assertThat(OeCli.run("status", "--execution-id", "x", "--monitor-url", "http://localhost:1")).isEqualTo(1);
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertThat(OeCli.run("status")).isEqualTo(2);
    }

    @Test
    void statusSummaryShowsTiersAndPhases() throws Exception {
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree("""
                {"execution_id": "e1", "orchestration_plan_id": "p", "project_name": "X", "status": "in_progress",
                 "start_time": "2026-01-13T12:00:00Z",
                 "tiers": [{"name": "orchestration", "mode": "sequential", "phases": [1, 2]},
                           {"name": "architecture", "mode": "conditional", "phases": [9]}],
                 "phases": {"1": {"id": 1, "name": "Plan", "agent": "@plan", "tier": "orchestration", "status": "completed", "attempts": 0},
                            "2": {"id": 2, "name": "Doc", "agent": "@doc", "tier": "orchestration", "status": "in_progress", "attempts": 1},
                            "9": {"id": 9, "name": "Azure", "agent": "@azure-architect", "tier": "architecture", "status": "skipped", "attempts": 0, "reason": "condition false"}}}""");
        String out = StatusFormatter.format(s);
        assertThat(out).contains("status:   in_progress");
        assertThat(out).contains("orchestration         2 phases: 1 completed, 1 in_progress");
        assertThat(out).contains("architecture          1 phases: 1 skipped");
        List<String> lines = out.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("9").contains("skipped").contains("condition false"));
    }

    @Test
    void statusSaysWhichAgentAlternativeRunsAPhaseAndWhy() throws Exception {
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree("""
                {"execution_id": "e1", "orchestration_plan_id": "p", "project_name": "X", "status": "in_progress",
                 "phases": {
                   "13": {"id": 13, "name": "Backend", "agent": "@dotnet", "tier": "impl", "status": "in_progress", "attempts": 1,
                          "alternative": {"chosen": 2, "agent": "@dotnet", "reason": "@dotnet chosen (alternative 2 of 2): `b` holds; before it, @nodejs's `a` is false"}},
                   "14": {"id": 14, "name": "Frontend", "agent": "@react", "tier": "impl", "status": "skipped", "attempts": 0,
                          "reason": "no alternative's condition holds: @react's `c` is false",
                          "alternative": {"chosen": 0, "agent": null, "reason": "no alternative's condition holds: @react's `c` is false"}}}}""");
        List<String> lines = StatusFormatter.format(s).lines().toList();
        int backend = lines.indexOf(lines.stream().filter(l -> l.contains("Backend")).findFirst().orElseThrow());
        assertThat(lines.get(backend)).contains("@dotnet", "in_progress");
        assertThat(lines.get(backend + 1)).isEqualTo("      alternative: @dotnet chosen (alternative 2 of 2): `b` holds; before it,"
                + " @nodejs's `a` is false");
        // a skipped phase's reason already says it: not twice
        assertThat(lines).filteredOn(l -> l.contains("no alternative's condition holds")).singleElement()
                .satisfies(l -> assertThat(l).contains("Frontend", "skipped"));
    }

    @Test
    void statusShowsAPhaseThatCompletedAfterAFailureAsCompletedWithItsAttemptsNotItsOldError() throws Exception {
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree("""
                {"execution_id": "e1", "orchestration_plan_id": "p", "project_name": "X", "status": "completed",
                 "phases": {"13": {"id": 13, "name": "Backend", "agent": "@nodejs", "tier": "impl", "status": "completed",
                                   "attempts": 2, "last_error": "agent @nodejs failed: exited with code 1",
                                   "note": "2 attempts: #1 failed after 3.1 s (exited with code 1), #2 completed in 2.0 s"},
                            "14": {"id": 14, "name": "Frontend", "agent": "@react", "tier": "impl", "status": "completed",
                                   "attempts": 1, "attempts_summary": "1 attempt: #1 completed in 2.0 s"}}}""");
        List<String> lines = StatusFormatter.format(s).lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Backend").contains("completed")
                .endsWith("attempts 2  2 attempts: #1 failed after 3.1 s (exited with code 1), #2 completed in 2.0 s"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("Frontend").endsWith("attempts 1"));
        assertThat(lines).noneMatch(l -> l.contains("agent @nodejs failed"));
    }
}
