package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.events.AgentResult;
import io.oe.events.ExecutionCommand;
import io.oe.events.PhaseReady;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rerun from a phase with feedback (#18) on the standalone stack (the real broker and the six services in one process)
 * with real demo-agent processes: what reruns, what is reused, what the agent reads, and what is refused.
 */
class RerunIT {
    static E2eStack env;
    static final Duration WAIT = Duration.ofSeconds(120);

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("RerunIT", (root, options) -> options.runnersFile(new TestRunners()
                .profile("demo", Map.of("OE_DEMO_DELAY_MS", "100"))
                .profile("slow", Map.of("OE_DEMO_DELAY_MS", "60000"))
                .agent("@slow", "slow").agent("*", "demo").write(root.resolve("runners.json"))));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }


    /** {@code oe ARGS} against this stack; its exit code. */
    private static int oe(String... args) {
        return env.oe(args).code();
    }

    /** Phases 1 → 5, each reading the one before's output. */
    private static TestProject chain(String name) {
        TestProject p = new TestProject(env.root, name).tier("chain", "sequential", 1, 2, 3, 4, 5);
        for (int i = 1; i <= 5; i++) {
            ObjectNode phase = p.phase(i, "@writer");
            phase.putArray("outputs").addObject().put("artifact", "p" + i + ".md");
            if (i > 1) {
                phase.putArray("inputs").addObject().put("artifact", "p" + (i - 1) + ".md").put("from", i - 1);
            }
        }
        return p;
    }

    @Test
    void aRerunOfPhase3WithDependantsAndFeedbackRunsPhases3To5OnceMoreAndPhase3sAgentReadsTheFeedback() throws Exception {
        TestProject p = chain("rerun-chain");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, execution("completed"), WAIT, "the first completion");
        String feedback = "Use a table for the API list, not prose (review of 1 Dec).";

        // bad input: each refused naming the problem, nothing published
        int commandsBefore = env.events(Topics.EXECUTION_CONTROL, id).size();
        Api.Response unknownExecution = api.command("exec_nope", command("RERUN", 3));
        assertThat(unknownExecution.status()).isEqualTo(404);
        assertThat(unknownExecution.body()).contains("no execution exec_nope");
        Api.Response unknownPhase = api.command(id, command("RERUN", 42));
        assertThat(unknownPhase.status()).isEqualTo(409);
        assertThat(unknownPhase.body()).contains("RERUN refused: execution " + id + " has no phase 42");
        Api.Response tooMuch = api.command(id, command("RERUN", 3).put("feedback", "x".repeat(16 * 1024 + 1)));
        assertThat(tooMuch.status()).isEqualTo(413);
        assertThat(tooMuch.body()).contains("the feedback is 16 KB (16,385 bytes); the limit is 16 KB (16,384 bytes)");
        Path big = Files.writeString(p.dir.resolve("big-feedback.txt"), "y".repeat(16 * 1024 + 1));
        assertThat(oe("rerun", "--execution-id", id, "--phase", "3", "--feedback-file", big.toString())).isEqualTo(2);
        assertThat(oe("rerun", "--execution-id", id, "--phase", "42")).isEqualTo(2);
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).hasSize(commandsBefore);

        // the rerun, by the CLI, which then follows the execution to its end
        assertThat(oe("rerun", "--execution-id", id, "--phase", "3", "--with-dependants", "--feedback", feedback,
                "--wait", "--timeout-seconds", "120")).isZero();
        JsonNode s = api.state(id).json();
        assertThat(s.path("status").asText()).isEqualTo("completed");
        Map<Integer, Long> runs = env.events(Topics.AGENT_RESULT, id).stream()
                .collect(Collectors.groupingBy(AgentResult::getPhaseId, Collectors.counting()));
        assertThat(runs).containsExactlyInAnyOrderEntriesOf(Map.of(1, 1L, 2, 1L, 3, 2L, 4, 2L, 5, 2L));
        for (int phase = 1; phase <= 5; phase++) {
            JsonNode history = s.path("phases").path(String.valueOf(phase)).path("attempt_history");
            assertThat(history).as("phase %d's attempts", phase).hasSize(phase <= 2 ? 1 : 2)
                    .allSatisfy(a -> assertThat(a.path("outcome").asText()).isEqualTo("completed"));
        }

        // what phase 3's second attempt was given: phase 2's stored output (the same checksum), the feedback, its old output
        List<PhaseReady> ready = env.events(Topics.PHASE_READY, id);
        PhaseReady first = ready.stream().filter(r -> r.getPhaseId() == 3 && r.getAttempt() == 1).findFirst().orElseThrow();
        PhaseReady rerun = ready.stream().filter(r -> r.getPhaseId() == 3 && r.getAttempt() == 2).findFirst().orElseThrow();
        assertThat(rerun.getInputs().get(0).getSha256()).isEqualTo(first.getInputs().get(0).getSha256());
        assertThat(rerun.getFeedback().getText()).isEqualTo(feedback);
        assertThat(rerun.getFeedback().getActor()).isEqualTo("api-token"); // the local stack's token: the identity, not a body field
        assertThat(rerun.getPreviousOutputs()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("p3.md"));
        assertThat(ready.stream().filter(r -> r.getPhaseId() == 4 && r.getAttempt() == 2).findFirst().orElseThrow()
                .getFeedback()).isNull();

        Path workspace = p.dir.resolve("tee-output/workspaces/" + id + "/3/2");
        String prompt = Files.readString(workspace.resolve("prompt.md"));
        assertThat(prompt).contains("## Feedback on the previous attempt", rerun.getFeedback().getActor() + " at "
                + rerun.getFeedback().getAt(), feedback, "`previous/p3.md`");
        assertThat(workspace.resolve("previous/p3.md")).isRegularFile();
        assertThat(Files.readString(p.dir.resolve("tee-output/workspaces/" + id + "/4/2/prompt.md"))).doesNotContain(feedback);
        assertThat(api.log(id).body()).contains("rerun requested by");

        // oe wait and oe execute --wait follow an ended execution too: exit 0 for completed
        assertThat(oe("wait", "--execution-id", id)).isZero();
        assertThat(oe("execute", "--execution-id", id, "--wait")).isZero();
    }

    @Test
    void aRerunOfARunningPhaseIsRefusedAndPublishesNothing() throws Exception {
        TestProject p = new TestProject(env.root, "rerun-running").tier("t", "sequential", 1);
        p.phase(1, "@slow");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "in_progress"), WAIT, "phase 1 running");
        Api.Response r = api.command(id, command("RERUN", 1).put("feedback", "faster"));
        assertThat(r.status()).isEqualTo(409);
        // (the plan-loader may not have read the in_progress transition yet)
        assertThat(r.body()).containsPattern("RERUN refused: phase 1 is (ready|in_progress); wait until it ends");
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).extracting(ExecutionCommand::getCommand)
                .doesNotContain(io.oe.events.CommandKind.RERUN);
        assertThat(api.command(id, command("CANCEL", null)).status()).isEqualTo(202);
        // a script may wait for any execution: a cancelled one ends with exit 1
        assertThat(oe("wait", "--execution-id", id, "--timeout-seconds", "60")).isEqualTo(1);
    }
}
