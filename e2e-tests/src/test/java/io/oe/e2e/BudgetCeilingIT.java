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
import io.oe.events.ExecutionCommand;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner configuration's budget_ceiling on the real stack (docs/architecture.md, "Budgets"): a START whose engine
 * config asks for more than the ceiling, and an `oe budget` or BUDGET above it while the execution runs, are refused
 * with a message naming the key and the ceiling; nothing is published (no command, no transition, no budget raised), and
 * the execution runs and completes under the budget it was loaded with.
 */
class BudgetCeilingIT {
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("BudgetCeilingIT", (root, options) -> {
            Path runners = new TestRunners().script("spender", root.resolve("spender.sh"), """
                            #!/bin/sh
                            # 800 tokens in about 3 s: under every budget, long enough to be asked for more while it runs
                            for i in 1 2; do
                              echo "::usage input=300 output=100 model=test-model::"
                              sleep 1.5
                            done
                            """).agent("*", "spender").price("test-model", 2.0, 10.0, 0.5)
                    .budgetCeiling(10_000, 5_000).write(root.resolve("runners.json"));
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
    void aStartOrBudgetAboveTheCeilingIsRefusedChangesNothingAndTheExecutionCompletesUnderTheBudgetItHad() throws Exception {
        Api api = env.api();
        TestProject p = new TestProject(env.root, "ceiling").tier("all", "sequential", 1, 2);
        p.phase(1, "@spender");
        p.phase(2, "@spender");
        p.engineConfig = "{\"retry_policy\": {\"max_retries\": 0}, \"budget\": {\"phase\": {\"tokens\": 3000}}}";
        p.autostart = false;
        String id = p.submit(api);

        // a START asking for more than the ceiling: refused, naming the key, its value and the ceiling's
        var start = api.command(id, Json.MAPPER.readTree(
                "{\"command\": \"START\", \"config\": {\"budget\": {\"execution\": {\"tokens\": 50000}}}}"));
        assertThat(start.status()).isEqualTo(422);
        assertThat(start.body()).contains("budget.execution.tokens is 50000, above the runner configuration's"
                + " budget_ceiling.execution.tokens 10000");
        await(api, id, execution("initialized"), Duration.ofSeconds(30), "the loaded execution in the monitor");
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).as("no command published").isEmpty();
        assertThat(env.events(Topics.EXECUTION_STATUS, id)).as("no transition but the load's").singleElement()
                .satisfies(t -> {
                    assertThat(t.getCause()).isEqualTo(TransitionCause.PLAN_LOADED);
                    assertThat(t.getBudgetJson()).isNull();
                });

        // started as loaded: the plan's phase budget, the ceiling's execution budget
        assertThat(api.command(id, TestProject.command("START", null)).status()).isEqualTo(202);
        await(api, id, phaseIs(1, "in_progress"), Duration.ofSeconds(60), "phase 1 running");

        // while it runs: more than the ceiling, by the CLI and by REST, for the execution and for a phase
        assertThat(env.oe("budget", "--execution-id", id, "--tokens", "20000").code()).isEqualTo(CliException.REJECTED);
        var phaseBudget = api.command(id, Json.MAPPER.readTree("{\"command\": \"BUDGET\", \"phase_id\": 2, \"tokens\": 6000}"));
        assertThat(phaseBudget.status()).isEqualTo(422);
        assertThat(phaseBudget.body()).contains("BUDGET refused: above the runner configuration's budget_ceiling", "tokens",
                "budget_ceiling.phase.tokens 5000");

        JsonNode done = await(api, id, execution("completed"), Duration.ofSeconds(90), "completion");
        assertThat(done.path("budget").path("execution").path("tokens").asLong()).isEqualTo(10_000);
        assertThat(done.path("budget").path("phase").path("tokens").asLong()).isEqualTo(3_000);
        assertThat(done.path("usage").path("total_tokens").asLong()).isEqualTo(1_600);
        // one command went out, the START; the only budget the scheduler applied is the one it was loaded with
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).extracting(ExecutionCommand::getCommand)
                .containsExactly(CommandKind.START);
        List<String> applied = env.events(Topics.EXECUTION_STATUS, id).stream().map(StatusChanged::getBudgetJson)
                .filter(b -> b != null).toList();
        assertThat(applied).singleElement().satisfies(b -> {
            JsonNode budget = Json.MAPPER.readTree(b);
            assertThat(budget.path("execution").path("tokens").asLong()).isEqualTo(10_000);
            assertThat(budget.path("phase").path("tokens").asLong()).isEqualTo(3_000);
        });
        assertThat(env.events(Topics.ALERTS, id)).extracting(Alert::getKind).doesNotContain("budget_warning", "budget_exceeded");
    }
}
