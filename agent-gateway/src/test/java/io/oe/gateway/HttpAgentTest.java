package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.StoredArtifact;
import io.oe.events.AgentOutput;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.ProgressKind;
import io.oe.events.TaskSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP runner against a real HTTP server on localhost, through the same AttemptRunner the gateway uses. */
class HttpAgentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Path project;
    HttpServer server;
    final List<AgentProgress> events = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> traceparents = new CopyOnWriteArrayList<>();
    volatile JsonNode posted;
    volatile String header;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private AttemptRunner runner(String path, Integer maxRuntimeMinutes) {
        var http = new RunnerConfig.Http(url(path), Map.of("X-Home", "HOME"), 50L, 1L << 20);
        var config = new RunnerConfig(Map.of("api", new RunnerConfig.Profile("agent API", null, null, null, null, http,
                new RunnerConfig.Limits(maxRuntimeMinutes, null))), Map.of("*", "api"));
        assertThat(config.problems()).isEmpty();
        return new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20);
    }

    private PhaseReady phase(long timeoutMs, List<ArtifactRef> inputs) {
        return PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(4).setPhaseName("API docs").setAgent("@doc")
                .setAttempt(1).setProjectDir(project.toString()).setProjectName("P").setReadyAt(Instant.now())
                .setAgentDefinition("---\nname: doc\nmodel: gpt-5\n---\nWrite the docs.")
                .setTasks(List.of(new TaskSpec("T1", "write")))
                .setInputs(inputs)
                .setOutputs(List.of(new OutputSpec("docs.json", null, "{\"type\": \"object\"}", List.of(), Map.of(), List.of()),
                        new OutputSpec("notes.md", null, null, List.of(), Map.of(), List.of())))
                .setTimeoutMs(timeoutMs).setHeartbeatIntervalMs(100).build();
    }

    private void handle(String path, Handler h) {
        server.createContext(path, ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            traceparents.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
            try {
                if (ex.getRequestMethod().equals("POST")) {
                    posted = JSON.readTree(ex.getRequestBody());
                    header = ex.getRequestHeaders().getFirst("X-Home");
                }
                h.handle(ex);
            } finally {
                ex.close();
            }
        });
    }

    interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    @Test
    void theFinalAnswersUsageAndTheLogsUsageLinesAreSummedAndALieIsNamed() throws Exception {
        handle("/agent", ex -> answer(ex, 200, """
                {"status": "completed", "log": "::usage input=10 output=2 model=gpt-5 cost=0.001::",
                 "usage": [{"model": "gpt-5", "input": 100, "output": 20, "cached": 50, "cost": 0.004},
                           {"model": "gpt-5", "input": -3}, "lots"],
                 "outputs": {"docs.json": {"json": {}}, "notes.md": {"content": ""}}}
                """));
        AgentResult result = runner("/agent", null).run(phase(10_000, List.of()), events::add, events::add);

        assertThat(result.getSuccess()).as(result.getError()).isTrue(); // bad usage never fails an attempt
        assertThat(result.getUsage()).singleElement().satisfies(u -> {
            assertThat(u.getModel()).isEqualTo("gpt-5");
            assertThat(u.getInputTokens()).isEqualTo(110);
            assertThat(u.getCachedTokens()).isEqualTo(50);
            assertThat(u.getReports()).isEqualTo(2);
            assertThat(u.getCostUsd()).isCloseTo(0.005, org.assertj.core.api.Assertions.within(1e-12));
        });
        assertThat(result.getUsageProblems()).containsExactly("the agent endpoint's usage[1] refused: input=-3 is negative",
                "the agent endpoint's usage[2] refused: it is not an object of input, output, cached, model, cost");
    }

    @Test
    void theAnswersLogGoesOutAsLiveOutputCutAtTheProfilesOutputCap() throws Exception {
        handle("/agent", ex -> answer(ex, 200, "{\"status\": \"completed\", \"log\": \"" + "a line of the agent\\n".repeat(200)
                + "\", \"outputs\": {\"docs.json\": {\"json\": {}}, \"notes.md\": {\"content\": \"\"}}}"));
        var http = new RunnerConfig.Http(url("/agent"), Map.of(), 50L, 1L << 20);
        var config = new RunnerConfig(Map.of("api", new RunnerConfig.Profile("agent API", null, null, null, null, http,
                new RunnerConfig.Limits(null, null, 1024L))), Map.of("*", "api"));
        assertThat(config.problems()).isEmpty();
        List<AgentOutput> chunks = new CopyOnWriteArrayList<>();
        AttemptRunner runner = new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20, java.time.Duration.ZERO,
                chunks::add, 1 << 20); // the gateway's cap is 1 MiB; the profile's, 1 KiB, wins

        AgentResult result = runner.run(phase(10_000, List.of()), events::add, events::add);

        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        String text = chunks.stream().filter(c -> !c.getCut()).map(AgentOutput::getText).collect(java.util.stream.Collectors.joining());
        assertThat(text).startsWith("a line of the agent\n").hasSize(1024); // ASCII: bytes = characters
        assertThat(chunks).filteredOn(AgentOutput::getCut).singleElement()
                .satisfies(c -> assertThat(c.getText()).isEqualTo("[output cut after 1024 bytes]\n"));
        assertThat(chunks.get(chunks.size() - 1).getLast()).isTrue();
        assertThat(chunks).extracting(AgentOutput::getSeq).isSorted().doesNotHaveDuplicates();
        assertThat(chunks).allSatisfy(c -> assertThat(c.getExecutionId()).isEqualTo("e1"));
        // agent.log keeps its own cap: the whole log is there
        assertThat(Files.readString(Path.of(result.getWorkspaceDir()).resolve("agent.log"))).contains("a line of the agent\n".repeat(200));
    }

    @Test
    void aSynchronousAnswerBecomesTheOutputsAndTheProgress() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact in = store.put("req.json", Files.writeString(root.resolve("req.json"), "{\"r\": 1}"));
        handle("/agent", ex -> answer(ex, 200, """
                {"status": "completed",
                 "log": "thinking\\n::task-started T1::\\n::progress task=T1 percent=40::\\n::task-completed T1::\\ndone",
                 "outputs": {"docs.json": {"json": {"title": "API"}}, "notes.md": {"content": "# Notes\\n"}}}
                """));
        AgentResult result = runner("/agent", null).run(phase(10_000,
                List.of(new ArtifactRef("req.json", 1, in.location(), in.sha256(), in.size(), true, null))), events::add, events::add);

        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        assertThat(result.getExitCode()).isZero();
        Path ws = Path.of(result.getWorkspaceDir());
        assertThat(JSON.readTree(ws.resolve("outputs/docs.json").toFile()).path("title").asText()).isEqualTo("API");
        assertThat(Files.readString(ws.resolve("outputs/notes.md"))).isEqualTo("# Notes\n");
        assertThat(Files.readString(ws.resolve("agent.log"))).contains("thinking", "done");
        assertThat(events.get(0).getKind()).isEqualTo(ProgressKind.STARTED);
        assertThat(events).filteredOn(e -> e.getTaskId() != null).extracting(AgentProgress::getKind, AgentProgress::getPercent)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_STARTED, 0),
                        org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_PROGRESS, 40),
                        org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_COMPLETED, 100));
        // What the endpoint got: the phase, the prompt, the input's bytes, and the header from the gateway's environment.
        assertThat(posted.path("phase_id").asInt()).isEqualTo(4);
        assertThat(posted.path("prompt").asText()).contains("Write the docs.", "outputs/docs.json");
        assertThat(new String(java.util.Base64.getDecoder().decode(posted.path("inputs").get(0).path("content_base64")
                .asText()), StandardCharsets.UTF_8)).isEqualTo("{\"r\": 1}");
        assertThat(header).isEqualTo(System.getenv("HOME"));
    }

    @Test
    void anAcceptedJobIsPolledAtItsLocationUntilItAnswers() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        handle("/agent", ex -> {
            ex.getResponseHeaders().add("Location", "/jobs/42");
            answer(ex, 202, "{\"log\": \"queued\"}");
        });
        handle("/jobs/42", ex -> {
            int n = polls.incrementAndGet();
            if (n < 3) {
                answer(ex, 202, "{\"log\": \"queued\\n::progress task=T1 percent=" + n * 30 + "::\"}");
            } else {
                answer(ex, 200, "{\"status\": \"completed\", \"log\": \"queued\\n::progress task=T1 percent=30::\\n"
                        + "::progress task=T1 percent=60::\\n::task-completed T1::\", \"outputs\": {\"docs.json\": "
                        + "{\"content_base64\": \"" + java.util.Base64.getEncoder().encodeToString("{}".getBytes()) + "\"}}}");
            }
        });
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        AgentResult result = runner("/agent", null).run(phase(10_000, List.of()), Map.of("traceparent", parent), events::add,
                events::add);

        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        assertThat(requests).containsExactly("POST /agent", "GET /jobs/42", "GET /jobs/42", "GET /jobs/42");
        // the agent-run span is the parent of whatever the agent API does for the job, its polls included
        assertThat(traceparents).containsOnly(parent);
        assertThat(events).filteredOn(e -> e.getTaskId() != null).extracting(AgentProgress::getPercent)
                .containsExactly(30, 60, 100); // each line once, in order, although the log was sent again each poll
        assertThat(Files.readString(Path.of(result.getWorkspaceDir(), "agent.log")).lines()).hasSize(4);
    }

    @Test
    void anOutputTheStepDoesNotDeclareIsRefusedAndNothingIsWritten() throws Exception {
        handle("/agent", ex -> answer(ex, 200, "{\"status\": \"completed\", \"outputs\": {\"../../escape.json\": {\"content\": \"x\"}}}"));
        AgentResult result = runner("/agent", null).run(phase(10_000, List.of()), events::add, events::add);

        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).isEqualTo("agent endpoint returned output '../../escape.json', which the phase does not "
                + "declare (declared: [docs.json, notes.md])");
        assertThat(Path.of(result.getWorkspaceDir()).resolve("../../escape.json").normalize()).doesNotExist();
    }

    @Test
    void anErrorStatusOrAReportedFailureFailsTheAttemptWithTheReason() throws Exception {
        handle("/broken", ex -> answer(ex, 503, "model overloaded"));
        handle("/failing", ex -> answer(ex, 200, "{\"status\": \"failed\", \"error\": \"could not parse inputs/req.json\"}"));
        assertThat(runner("/broken", null).run(phase(10_000, List.of()), events::add, events::add).getError())
                .isEqualTo("agent endpoint answered HTTP 503: model overloaded");
        assertThat(runner("/failing", null).run(phase(10_000, List.of()), events::add, events::add).getError())
                .isEqualTo("agent endpoint reported failure: could not parse inputs/req.json");
    }

    @Test
    void aJobThatOutlivesTheTimeoutIsCancelledAtTheEndpoint() throws Exception {
        handle("/agent", ex -> {
            ex.getResponseHeaders().add("Location", url("/jobs/7"));
            answer(ex, 202, "");
        });
        handle("/jobs/7", ex -> answer(ex, ex.getRequestMethod().equals("DELETE") ? 204 : 202, ""));
        long t0 = System.nanoTime();
        AgentResult result = runner("/agent", null).run(phase(600, List.of()), events::add, events::add);

        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).startsWith("timed out after 600 ms waiting for the agent endpoint");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        awaitRequest("DELETE /jobs/7");
    }

    @Test
    void cancellingTheExecutionStopsTheWaitAndTheJob() throws Exception {
        handle("/agent", ex -> {
            ex.getResponseHeaders().add("Location", "/jobs/9");
            answer(ex, 202, "");
        });
        handle("/jobs/9", ex -> answer(ex, ex.getRequestMethod().equals("DELETE") ? 204 : 202, ""));
        AttemptRunner r = runner("/agent", null);
        var canceller = new Thread(() -> {
            while (r.cancel("e1") == 0) {
                Thread.onSpinWait();
            }
        });
        canceller.start();
        AgentResult result = r.run(phase(60_000, List.of()), events::add, events::add);
        canceller.join(5_000);

        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).isEqualTo("cancelled: the execution was cancelled");
        awaitRequest("DELETE /jobs/9");
    }

    @Test
    void httpProfileProblemsAreNamed() {
        var bad = new RunnerConfig(Map.of("api", new RunnerConfig.Profile(null, List.of("/bin/true"), null, null, null,
                new RunnerConfig.Http("ftp://x", Map.of("Authorization", "OE_SURELY_UNSET_VARIABLE"), 10L, null), null)),
                Map.of("*", "api"));
        assertThat(bad.hostProblems()).containsExactlyInAnyOrder(
                "profile 'api' has both argv and http: choose one",
                "profile 'api': http.url 'ftp://x' must be an absolute http or https URL",
                "profile 'api': header Authorization takes its value from OE_SURELY_UNSET_VARIABLE, which is not set in "
                        + "the gateway's environment",
                "profile 'api': http.poll_interval_ms must be at least 50");
    }

    private void awaitRequest(String request) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!requests.contains(request) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(requests).contains(request);
    }
}
