package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.events.Alert;
import io.oe.events.PhaseReady;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Review gates after output (#18) on the standalone stack with real demo-agent processes: a phase whose outputs passed
 * their contracts waits for a person, who rejects it with feedback (it runs again with the feedback in its prompt),
 * approves it, or replaces its output with an edited file that the phases after it receive; and what is refused.
 */
class ReviewIT {
    static E2eStack env;
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String CONTRACT = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["title"],
             "properties": {"title": {"type": "string", "minLength": 1}}}""";

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("ReviewIT", (root, options) -> options.runnersFile(new TestRunners()
                .profile("demo", Map.of("OE_DEMO_DELAY_MS", "100")).agent("*", "demo").write(root.resolve("runners.json"))));
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

    /** Phases 1 → 2 → 3, each reading the one before's output; phase 2's output has a contract and a review gate. */
    private static TestProject chain(String name) throws Exception {
        TestProject p = new TestProject(env.root, name).tier("chain", "sequential", 1, 2, 3);
        p.phase(1, "@writer").putArray("outputs").addObject().put("artifact", "p1.md");
        ObjectNode two = p.phase(2, "@designer").put("review", true);
        two.putArray("inputs").addObject().put("artifact", "p1.md").put("from", 1);
        two.putArray("outputs").addObject().put("artifact", "p2.json").put("contract", "contracts/p2.schema.json");
        p.phase(3, "@builder").putArray("inputs").addObject().put("artifact", "p2.json").put("from", 2);
        Files.createDirectories(p.dir.resolve("contracts"));
        Files.writeString(p.dir.resolve("contracts/p2.schema.json"), CONTRACT);
        return p;
    }

    private static ObjectNode review(int phase, String decision) {
        return command("REVIEW", phase).put("decision", decision);
    }

    private static JsonNode reviewWaits(Api api, String id, int attempt) throws InterruptedException {
        return await(api, id, s -> phaseIs(2, "waiting_for_review").test(s)
                && s.path("phases").path("2").path("attempt_history").size() == attempt, WAIT,
                "phase 2 waiting for review after attempt " + attempt);
    }

    @Test
    void aReviewRejectedOnceWithFeedbackThenApprovedCompletesTheExecution() throws Exception {
        TestProject p = chain("review-reject");
        Api api = env.api();
        String id = p.submit(api);
        JsonNode waiting = reviewWaits(api, id, 1);
        assertThat(waiting.path("status").asText()).isEqualTo("in_progress");
        assertThat(waiting.path("phases").path("3").path("status").asText()).isEqualTo("pending");
        assertThat(waiting.path("phases").path("2").path("waiting_for").path("kind").asText()).isEqualTo("review");
        assertThat(waiting.path("eta").path("waiting").asText()).isEqualTo("waiting for a person: phase 2 needs review");
        assertThat(oe("wait", "--execution-id", id, "--timeout-seconds", "30")).as("oe wait: a person is awaited").isEqualTo(3);
        assertThat(env.events(Topics.ALERTS, id)).extracting(Alert::getKind).contains("waiting_for_review");

        // bad input: each refused naming the problem, nothing published
        int commandsBefore = env.events(Topics.EXECUTION_CONTROL, id).size();
        Api.Response notWaiting = api.command(id, review(1, "approve"));
        assertThat(notWaiting.status()).isEqualTo(409);
        assertThat(notWaiting.body()).contains("REVIEW refused: phase 1 is completed, not waiting_for_review");
        assertThat(api.command("exec_nope", review(2, "approve")).status()).isEqualTo(404);
        Api.Response unknownPhase = api.command(id, review(42, "approve"));
        assertThat(unknownPhase.status()).isEqualTo(409);
        assertThat(unknownPhase.body()).contains("REVIEW refused: execution " + id + " has no phase 42");
        Api.Response noFeedback = api.command(id, review(2, "reject"));
        assertThat(noFeedback.status()).isEqualTo(422);
        assertThat(noFeedback.body()).contains("a rejection needs feedback");
        Api.Response tooMuch = api.command(id, review(2, "reject").put("feedback", "x".repeat(16 * 1024 + 1)));
        assertThat(tooMuch.status()).isEqualTo(413);
        assertThat(tooMuch.body()).contains("the feedback is 16 KB (16,385 bytes); the limit is 16 KB (16,384 bytes)");
        Api.Response undeclared = api.command(id, review(2, "replace").put("output", "p9.json").put("path", "contracts/p2.schema.json"));
        assertThat(undeclared.status()).isEqualTo(422);
        assertThat(undeclared.body()).contains("phase 2 (Phase 2) declares no output p9.json (it declares p2.json)");
        Api.Response unknownDecision = api.command(id, review(2, "maybe"));
        assertThat(unknownDecision.status()).isEqualTo(422);
        assertThat(unknownDecision.body()).contains("'maybe' is not one of approve, reject, replace");
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--reject")).isEqualTo(2);
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).hasSize(commandsBefore);

        // rejected with feedback: attempt 2 of phase 2 reads it, and waits for review again
        String feedback = "Give the design a title that names the product (review of 1 Dec).";
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--reject", "--feedback", feedback)).isZero();
        reviewWaits(api, id, 2);
        PhaseReady second = env.events(Topics.PHASE_READY, id).stream().filter(r -> r.getPhaseId() == 2 && r.getAttempt() == 2)
                .findFirst().orElseThrow();
        assertThat(second.getFeedback().getText()).isEqualTo(feedback);
        assertThat(second.getPreviousOutputs()).extracting(o -> o.getName()).containsExactly("p2.json");
        String prompt = Files.readString(p.dir.resolve("tee-output/workspaces/" + id + "/2/2/prompt.md"));
        assertThat(prompt).contains("## Feedback on the previous attempt", second.getFeedback().getActor(), feedback);
        assertThat(Files.readString(p.dir.resolve("tee-output/workspaces/" + id + "/2/1/prompt.md"))).doesNotContain(feedback);
        assertThat(env.events(Topics.PHASE_READY, id)).noneMatch(r -> r.getPhaseId() == 3);

        // approved: phase 3 gets the second attempt's output and the execution completes
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--approve", "--wait", "--timeout-seconds", "120"))
                .isZero();
        JsonNode done = await(api, id, execution("completed"), WAIT, "completion");
        assertThat(done.path("phases").path("2").path("reason").asText()).startsWith("outputs approved by api-token");
        JsonNode handoff2 = StreamSupport.stream(done.path("handoffs").spliterator(), false)
                .filter(h -> h.path("phase_id").asInt() == 2 && h.path("attempt").asInt() == 2).findFirst().orElseThrow();
        PhaseReady three = env.events(Topics.PHASE_READY, id).stream().filter(r -> r.getPhaseId() == 3).findFirst().orElseThrow();
        assertThat(three.getInputs().get(0).getSha256()).isEqualTo(handoff2.path("artifacts").path("p2.json").path("checksum").asText());
        assertThat(api.log(id).body()).contains("outputs rejected by", "outputs approved by");
    }

    @Test
    void aReplacedOutputPassesItsContractAndThePhaseAfterItReceivesExactlyThatFile() throws Exception {
        TestProject p = chain("review-replace");
        Api api = env.api();
        String id = p.submit(api);
        reviewWaits(api, id, 1);
        Files.createDirectories(p.dir.resolve("edits"));
        Path bad = Files.writeString(p.dir.resolve("edits/bad.json"), "{\"title\": 7}");
        Path edited = Files.writeString(p.dir.resolve("edits/p2.json"), "{\"title\": \"Edited by a person\", \"note\": 1}\n");
        Path outside = Files.writeString(env.root.resolve("outside-" + id + ".json"), "{\"title\": \"host\"}");
        Files.createSymbolicLink(p.dir.resolve("edits/link.json"), outside);

        // refused: a file that breaks the contract (with the violation), one through a link, one outside the project
        int commandsBefore = env.events(Topics.EXECUTION_CONTROL, id).size();
        Api.Response broken = api.command(id, review(2, "replace").put("output", "p2.json").put("path", "edits/bad.json"));
        assertThat(broken.status()).isEqualTo(422);
        assertThat(broken.body()).contains("REVIEW refused: edits/bad.json may not replace output p2.json of phase 2",
                "edits/bad.json /title");
        Api.Response link = api.command(id, review(2, "replace").put("output", "p2.json").put("path", "edits/link.json"));
        assertThat(link.status()).isEqualTo(422);
        assertThat(link.body()).contains("not a regular file");
        Api.Response escape = api.command(id, review(2, "replace").put("output", "p2.json").put("path", "../outside-" + id + ".json"));
        assertThat(escape.status()).isEqualTo(422);
        assertThat(escape.body()).contains("leads outside the project directory");
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--replace", "p2.json=" + bad)).isEqualTo(2);
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--replace", "p2.json=" + outside)).isEqualTo(2);
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).hasSize(commandsBefore);
        assertThat(api.state(id).json().path("phases").path("2").path("status").asText()).isEqualTo("waiting_for_review");

        // the edited file: validated and stored as a handoff that says who replaced it; phase 3 gets exactly it
        assertThat(oe("review", "--execution-id", id, "--phase", "2", "--replace", "p2.json=" + edited)).isZero();
        JsonNode done = await(api, id, execution("completed"), WAIT, "completion");
        String sha = LocalArtifactStore.sha256Of(edited);
        JsonNode replaced = StreamSupport.stream(done.path("handoffs").spliterator(), false)
                .filter(h -> h.hasNonNull("replaced_by")).findFirst().orElseThrow();
        assertThat(replaced.path("replaced_by").asText()).isEqualTo("api-token");
        assertThat(replaced.path("status").asText()).isEqualTo("success");
        assertThat(replaced.path("artifacts").path("p2.json").path("checksum").asText()).isEqualTo(sha);
        assertThat(p.dir.resolve(replaced.path("artifacts").path("p2.json").path("location").asText())).hasSameBinaryContentAs(edited);
        assertThat(done.path("phases").path("2").path("reason").asText()).contains("output p2.json replaced by api-token", sha);
        PhaseReady three = env.events(Topics.PHASE_READY, id).stream().filter(r -> r.getPhaseId() == 3).findFirst().orElseThrow();
        assertThat(three.getInputs()).singleElement().satisfies(in -> assertThat(in.getSha256()).isEqualTo(sha));
        assertThat(p.dir.resolve("tee-output/workspaces/" + id + "/3/1/inputs/p2.json")).hasSameBinaryContentAs(edited);
        assertThat(AgentRuns.of(env.broker.bootstrapServers(), id, List.of(1, 2, 3)).byPhase().get(2)).hasSize(1);
        assertThat(api.log(id).body()).contains("replaces output p2.json by edits/p2.json", "(replaced by api-token");
    }
}
