package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.events.AgentResult;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memoized resubmission (#18) on the standalone stack with real agent processes: a deterministic agent (the same
 * inputs, the same output) runs a chain of five phases; after one phase's agent definition changes, a resubmission with
 * reuse_from runs that phase alone (its output is the same, so its dependants' inputs are unchanged and they are
 * reused), and the state, status and report say what was reused and why the one phase ran.
 */
class MemoizeIT {
    static E2eStack env;
    static Path runs;
    static final Duration WAIT = Duration.ofSeconds(120);

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("MemoizeIT", (root, options) -> {
            runs = root.resolve("agent-runs.log");
            // every agent process appends its phase to the log and writes the same output for the same phase
            options.runnersFile(new TestRunners().script("fixed", root.resolve("fixed-agent.sh"), "#!/bin/sh\n"
                    + "echo \"$OE_PHASE_ID\" >> '" + runs + "'\n"
                    + "printf '# Phase %s\\n\\nThe same every time.\\n' \"$OE_PHASE_ID\" > \"$OE_OUTPUTS_DIR/p$OE_PHASE_ID.md\"\n")
                    .agent("*", "fixed").write(root.resolve("runners.json")));
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }



    /** Phases 1 → 5, each by its own agent, each reading the one before's output. */
    private static TestProject chain(String name) {
        TestProject p = new TestProject(env.root, name).tier("chain", "sequential", 1, 2, 3, 4, 5);
        for (int i = 1; i <= 5; i++) {
            ObjectNode phase = p.phase(i, "@a" + i);
            phase.putArray("outputs").addObject().put("artifact", "p" + i + ".md");
            if (i > 1) {
                phase.putArray("inputs").addObject().put("artifact", "p" + (i - 1) + ".md").put("from", i - 1);
            }
        }
        return p;
    }

    private static List<String> agentRuns() throws Exception {
        return Files.exists(runs) ? Files.readAllLines(runs) : List.of();
    }

    @Test
    void aResubmissionAfterOnePhasesAgentDefinitionChangedRunsOnlyThatPhaseAndTheReportSaysWhy() throws Exception {
        TestProject p = chain("memo-chain");
        Api api = env.api();
        int start = agentRuns().size(); // the other test's plan may have run before
        String first = p.submit(api);
        await(api, first, execution("completed"), WAIT, "the first run");
        List<String> before = agentRuns();
        assertThat(before.subList(start, before.size())).containsExactlyInAnyOrder("1", "2", "3", "4", "5");

        Path a3 = p.dir.resolve(".github/agents/a3.agent.md");
        Files.writeString(a3, Files.readString(a3) + "Be thorough.\n");
        E2eStack.OeRun run = env.oe("execute", "--reuse-from", first, "--orchestration-plan",
                p.dir.resolve("orchestration-plan.json").toString(), "--wait", "--timeout-seconds", "120");
        assertThat(run.code()).as("oe execute --reuse-from --wait exit code").isZero();
        String second = run.executionId();
        JsonNode s = await(api, second, execution("completed"), WAIT, "the resubmission");

        // one agent process more, for phase 3; the other phases' outputs were taken from the first run
        assertThat(agentRuns().subList(before.size(), agentRuns().size())).containsExactly("3");
        assertThat(env.events(Topics.AGENT_RESULT, second)).extracting(AgentResult::getPhaseId).containsExactly(3);
        assertThat(s.path("reuse_from").asText()).isEqualTo(first);
        String reused = "reused from execution " + first + " attempt 1: agent definition, prompt and input checksums unchanged";
        for (int phase : new int[] {1, 2, 4, 5}) {
            assertThat(s.path("reuse").path(String.valueOf(phase)).asText()).as("phase %d", phase).isEqualTo(reused);
            assertThat(s.path("phases").path(String.valueOf(phase)).path("status").asText()).isEqualTo("completed");
        }
        String why3 = "runs: agent definition changed since execution " + first + " attempt 1";
        assertThat(s.path("reuse").path("3").asText()).isEqualTo(why3);
        // phase 4 was handed phase 3's new output, whose checksum is the first run's (a deterministic agent)
        assertThat(Files.readString(p.dir.resolve("tee-output/workspaces/" + second + "/3/1/outputs/p3.md")))
                .isEqualTo("# Phase 3\n\nThe same every time.\n");

        String md = api.report(second, "md").body();
        assertThat(md).contains("\n## Reuse\n", "4 phase(s) reused, 1 ran.", "- phase 3 Phase 3: " + why3,
                "- phase 5 Phase 5: " + reused);
        JsonNode json = api.report(second, "json").json().path("reuse");
        assertThat(json.path("from").asText()).isEqualTo(first);
        assertThat(json.path("phases")).filteredOn(ph -> !ph.path("reused").asBoolean())
                .extracting(ph -> ph.path("phase_id").asInt()).containsExactly(3);
        E2eStack.OeRun status = env.oe("status", "--execution-id", second);
        assertThat(status.out()).contains("reuse:    from " + first + ": 4 phase(s) reused", "      reuse: " + why3);
    }

    @Test
    void reuseFromAnUnknownExecutionAnotherPlanOrAMalformedIdIsRefusedAndNothingIsPublished() throws Exception {
        Api api = env.api();
        TestProject other = new TestProject(env.root, "memo-other").tier("one", "sequential", 1);
        other.phase(1, "@solo").putArray("outputs").addObject().put("artifact", "p1.md");
        String otherId = other.submit(api);
        await(api, otherId, execution("completed"), WAIT, "another plan's run");
        int loadedBefore = Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_LOADED, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).size();

        TestProject p = chain("memo-bad");
        ObjectNode bundle = (ObjectNode) p.bundle();
        Api.Response unknown = api.createExecution(bundle.deepCopy().put("reuse_from", "exec_20260101_deadbeef"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body()).contains("reuse_from", "no execution exec_20260101_deadbeef is known to this engine");
        Api.Response otherPlan = api.createExecution(bundle.deepCopy().put("reuse_from", otherId));
        assertThat(otherPlan.status()).isEqualTo(422);
        assertThat(otherPlan.body()).contains("execution " + otherId + " ran plan 'plan_memo_other' (phases [1]), not this"
                + " plan 'plan_memo_bad' (phases [1, 2, 3, 4, 5]): reuse only from an execution of the same plan");
        Api.Response malformed = api.createExecution(bundle.deepCopy().put("reuse_from", "exec 1; rm"));
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.body()).contains("'exec 1; rm' is not an execution id");
        E2eStack.OeRun both = env.oe("init", "--orchestration-plan", p.dir.resolve("orchestration-plan.json").toString(), "--dry-run",
                "--reuse-from", otherId);
        assertThat(both.code()).isEqualTo(2);

        List<PlanLoaded> loaded = Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_LOADED, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).stream().map(r -> r.value()).toList();
        assertThat(loaded).hasSize(loadedBefore);
    }
}
