package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.CliException;
import io.oe.cli.Json;
import io.oe.events.Alert;
import io.oe.events.CommandKind;
import io.oe.events.ProgressKind;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A budget on the real broker with a real agent process: the agent prints a ::usage:: line a second, which reaches the
 * scheduler while it runs; at 80 % of its phase's budget a budget_warning alert comes, at 100 % the scheduler stops the
 * attempt (the gateway kills the process long before its own end) and the phase waits for a person with the reason;
 * a lower or malformed budget is refused with nothing published; `oe budget` then `oe retry` completes the execution.
 */
class BudgetIT {
    static E2eStack env;
    /** The agent's first run leaves this behind; a later run sees it and ends after two reports. */
    static Path marker;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("BudgetIT", (root, options) -> {
            marker = root.resolve("first-run-done");
            Path runners = new TestRunners().script("script", root.resolve("spender.sh"), """
                            #!/bin/sh
                            # 400 tokens a second: 30 reports (12,000 tokens) unless the budget stops it
                            n=30
                            if [ -e "%s" ]; then n=2; fi
                            touch "%s"
                            i=0
                            while [ $i -lt $n ]; do
                              echo "::usage input=300 output=100 model=test-model::"
                              i=$((i + 1))
                              sleep 1
                            done
                            """.formatted(marker, marker), "{phase_file}")
                    .agent("*", "script").price("test-model", 2.0, 10.0, 0.5).write(root.resolve("runners.json"));
            options.runnersFile(runners);
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aCrossedBudgetWarnsThenStopsThePhaseAndOeBudgetWithRetryCompletesTheExecution() throws Exception {
        Api api = env.api();
        TestProject p = new TestProject(env.root, "budget").tier("all", "sequential", 1, 2);
        p.phase(1, "@spender");
        p.phase(2, "@spender");
        p.engineConfig = "{\"retry_policy\": {\"max_retries\": 0}, \"budget\": {\"phase\": {\"tokens\": 2000}}}";
        String id = p.submit(api);

        // the agent's running totals show in the state while it still runs, beside the phase's limit
        JsonNode running = await(api, id, s -> phaseIs(1, "in_progress").test(s)
                && s.path("phases").path("1").path("usage").path("total_tokens").asLong() >= 400, Duration.ofSeconds(60),
                "usage shown while the agent runs");
        assertThat(running.path("usage").path("total_tokens").asLong()).isPositive();
        assertThat(running.path("phases").path("1").path("budget_use").path("text").asText()).startsWith("tokens ")
                .contains(" of 2,000 (");

        JsonNode waiting = await(api, id, phaseIs(1, "waiting_for_intervention"), Duration.ofSeconds(90),
                "phase 1 stopped by its budget");
        assertThat(waiting.path("phases").path("1").path("reason").asText())
                .startsWith("stopped: phase 1's budget: ").contains(" of 2000 tokens used");
        JsonNode stopped = await(api, id, execution("waiting_for_intervention"), Duration.ofSeconds(30),
                "the execution waiting for a person");
        assertThat(stopped.path("phases").path("2").path("status").asText()).isEqualTo("pending");

        // the warning came first, then the stop
        var alerts = env.events(Topics.ALERTS, id).stream().map(Alert::getKind).toList();
        assertThat(alerts).containsSubsequence("budget_warning", "budget_exceeded");
        assertThat(alerts.stream().filter("budget_warning"::equals)).as("once per budget").hasSize(1);
        // running totals went out while the agent ran, and the gateway stopped it long before its 30 reports
        assertThat(env.events(Topics.AGENT_PROGRESS, id).stream().filter(e -> e.getKind() == ProgressKind.USAGE))
                .hasSizeGreaterThanOrEqualTo(4);
        var first = env.events(Topics.AGENT_RESULT, id).stream().filter(r -> r.getPhaseId() == 1 && r.getAttempt() == 1)
                .findFirst().orElseThrow();
        assertThat(first.getUsage()).singleElement().satisfies(u -> assertThat(u.getReports()).isBetween(5, 10));

        // a limit not above what is used, and a malformed one, are refused: nothing is published
        var low = env.oe("budget", "--execution-id", id, "--phase", "1", "--tokens", "1000");
        assertThat(low.code()).isEqualTo(CliException.REJECTED);
        assertThat(env.oe("budget", "--execution-id", id, "--tokens", "-5").code()).isEqualTo(CliException.REJECTED);
        var malformed = api.command(id, Json.MAPPER.readTree("{\"command\": \"BUDGET\", \"phase_id\": 1, \"tokens\": \"lots\"}"));
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.body()).contains("tokens", "must be a whole number");
        assertThat(api.command(id, Json.MAPPER.readTree("{\"command\": \"BUDGET\", \"phase_id\": 7, \"tokens\": 5000}"))
                .status()).as("no such phase").isEqualTo(409);
        // a raw REST call that does not raise the limit (2,000) is refused there, naming the field
        var lower = api.command(id, Json.MAPPER.readTree("{\"command\": \"BUDGET\", \"phase_id\": 1, \"tokens\": 1500}"));
        assertThat(lower.status()).isEqualTo(409);
        assertThat(lower.body()).contains("tokens", "is not a raise: its limit is 2000 tokens");
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).noneMatch(c -> c.getCommand() == CommandKind.BUDGET);

        // raise, retry: attempt 2 runs (two reports), phase 2 too, and the execution completes
        assertThat(env.oe("budget", "--execution-id", id, "--phase", "1", "--tokens", "100000").code()).isZero();
        assertThat(env.oe("retry", "--execution-id", id, "--phase", "1").code()).isZero();
        JsonNode done = await(api, id, execution("completed"), Duration.ofSeconds(90), "completion after the raise");
        assertThat(done.path("phases").path("1").path("attempts").asInt()).isEqualTo(2);
        assertThat(Files.exists(marker)).isTrue();
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).filteredOn(c -> c.getCommand() == CommandKind.BUDGET)
                .singleElement().satisfies(c -> assertThat(c.getBudgetTokens()).isEqualTo(100_000L));
        // the audit trail names who raised it; the state and oe status show the budget with the raise
        assertThat(api.log(id).body()).contains("BUDGET phase 1 by api-token", "(tokens 100000)");
        assertThat(done.path("budget").path("phase").path("tokens").asLong()).isEqualTo(2000);
        assertThat(done.path("budget").path("phases").path("1").path("tokens").asLong()).isEqualTo(100_000);
        assertThat(env.oe("status", "--execution-id", id).out()).contains("budget:   each phase 2,000 tokens;"
                + " phase 1 100,000 tokens");
        // the report shows each limit beside its usage (md, and the same in json)
        String report = api.report(id, "md").body();
        assertThat(report).contains("## Budget", "| phase 1 ").containsPattern("\\| phase 1 [^|]+\\| tokens [0-9,]+ of 100,000 \\(");
        assertThat(api.report(id, "json").json().path("phases").get(0).path("budget_use").path("tokens").path("limit")
                .asLong()).isEqualTo(100_000);
    }
}
