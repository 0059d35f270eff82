package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.cli.OeCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live agent output end to end on the standalone stack, reads protected by the API token: a real agent process that
 * prints a line a second is seen over SSE while it runs (its secret redacted, stderr apart) and whole over REST after it
 * ended; a flooding one (binary, then 50 MB without a line break) beside it is cut at the cap in a bounded number of
 * records and still completes; {@code oe logs} prints both; a phase or attempt that does not exist is a 404 naming it.
 */
class AgentOutputIT {
    static final String SECRET = "tok-0123456789abcdef";
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("AgentOutputIT", (root, options) -> {
            Path runners = new TestRunners()
                    .script("slow", root.resolve("slow-agent.sh"), """
                            #!/bin/sh
                            echo "starting with $DEPLOY_TOKEN"
                            i=1
                            while [ $i -le 8 ]; do echo "line $i"; sleep 1; i=$((i+1)); done
                            echo "a warning" >&2
                            echo "done"
                            """)
                    .env("slow", "DEPLOY_TOKEN", SECRET)
                    .script("flood", root.resolve("flood-agent.sh"), """
                            #!/bin/sh
                            head -c 300000 /dev/urandom
                            head -c 52428800 /dev/zero | tr '\\000' 'x'
                            echo
                            echo the-end
                            """)
                    .agent("@slow", "slow").agent("@flood", "flood").write(root.resolve("runners.json"));
            options.runnersFile(runners).env("OE_PROTECT_READS", "true");
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    record Received(Instant at, JsonNode chunk) {
    }

    @Test
    void outputIsSeenLiveOverSseWholeOverRestAfterwardsAFloodIsCutAndOeLogsPrintsIt() throws Exception {
        Api api = env.api();
        TestProject p = new TestProject(env.root, "live-output").tier("both", "parallel", 1, 2);
        p.phase(1, "@slow");
        p.phase(2, "@flood");
        String id = p.submit(api);
        String base = env.stack.info().url("monitor-service") + "/api/v1/executions/" + id + "/phases/";

        // follow phase 1 as soon as it has an attempt (404 before: "has not run yet")
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> first;
        while ((first = get(base + "1/output", env.token())).statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        List<Received> live = new CopyOnWriteArrayList<>();
        var stream = HttpClient.newHttpClient().sendAsync(request(base + "1/output/stream", env.token())
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().filter(l -> l.startsWith("data:"))
                        .forEach(l -> live.add(new Received(Instant.now(), Json.parse(l.substring(5).strip())))));

        await(api, id, execution("completed"), Duration.ofSeconds(120), "completion");
        stream.get(30, TimeUnit.SECONDS); // the stream ends by itself once the attempt ended

        // live: lines arrived seconds before the attempt's last chunk, while the agent still ran, not all at its end
        String seen = live.stream().map(r -> r.chunk().path("text").asText()).collect(Collectors.joining());
        assertThat(seen).contains("line 1\n", "line 8\n", "done\n", "[DEPLOY_TOKEN redacted]").doesNotContain(SECRET);
        Received last = live.get(live.size() - 1);
        assertThat(last.chunk().path("last").asBoolean()).isTrue();
        String early = live.stream().filter(r -> r.at().isBefore(last.at().minusSeconds(3)))
                .map(r -> r.chunk().path("text").asText()).collect(Collectors.joining());
        assertThat(early).as("received 3 s or more before the end: %s", live).contains("line ").doesNotContain("done");

        // after: the whole output over REST, stdout and stderr apart, redacted
        JsonNode page = Json.parse(get(base + "1/output", env.token()).body());
        assertThat(page.path("attempt").asInt()).isEqualTo(1);
        assertThat(page.path("attempt_ended").asBoolean()).isTrue();
        assertThat(page.path("complete").asBoolean()).isTrue();
        assertThat(text(page.path("chunks"), "stdout")).isEqualTo(
                "starting with [DEPLOY_TOKEN redacted]\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\ndone\n");
        assertThat(text(page.path("chunks"), "stderr")).isEqualTo("a warning\n");
        assertThat(get(base + "1/output", null).statusCode()).as("a read without the token").isEqualTo(401);

        // the flood: a bounded number of records, one cut marker, nothing after it but the end; the phase completed
        List<JsonNode> flood = new ArrayList<>();
        long from = 0;
        while (true) {
            JsonNode f = Json.parse(get(base + "2/output?from=" + from, env.token()).body());
            f.path("chunks").forEach(flood::add);
            if (f.path("complete").asBoolean() || f.path("chunks").isEmpty()) {
                break;
            }
            from = f.path("next").asLong();
        }
        long cap = 1 << 20;
        assertThat(flood).hasSizeLessThan((int) (cap / 8192) + 40);
        assertThat(flood).filteredOn(c -> c.path("cut").asBoolean()).singleElement()
                .satisfies(c -> assertThat(c.path("text").asText()).isEqualTo("[output cut after 1048576 bytes]\n"));
        String floodText = flood.stream().filter(c -> !c.path("cut").asBoolean()).map(c -> c.path("text").asText())
                .collect(Collectors.joining());
        assertThat(floodText.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) cap);
        assertThat(floodText).contains("\uFFFD", "xxxxxxxx").doesNotContain("the-end");
        assertThat(flood.get(flood.size() - 1).path("last").asBoolean()).isTrue();

        // oe logs: stdout to stdout, stderr to stderr; --follow of an ended attempt prints it and returns
        Captured logs = oe("logs", "--execution-id", id, "--phase", "1");
        assertThat(logs.code()).as(logs.err()).isZero();
        assertThat(logs.out()).isEqualTo("starting with [DEPLOY_TOKEN redacted]\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\ndone\n");
        assertThat(logs.err()).contains("a warning");
        Captured followed = oe("logs", "--execution-id", id, "--phase", "1", "--attempt", "1", "--follow");
        assertThat(followed.code()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("line 8\ndone\n");

        // what does not exist is named, and nothing is answered for it
        assertProblem(get(base + "99/output", env.token()), 404, "execution " + id + " has no phase 99");
        assertProblem(get(base + "1/output?attempt=7", env.token()), 404, "phase 1 of execution " + id
                + " has no attempt 7 (its attempts: 1)");
        assertProblem(get(base + "1/output/stream?attempt=7", env.token()), 404, "has no attempt 7");
        assertProblem(get(base + "1/output?from=x", env.token()), 400, "from 'x' is not a whole number");
        assertProblem(get(env.stack.info().url("monitor-service") + "/api/v1/executions/exec_nope/phases/1/output",
                env.token()), 404, "no execution exec_nope");
        Captured missing = oe("logs", "--execution-id", id, "--phase", "99");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("HTTP 404: execution " + id + " has no phase 99");
    }

    private static String text(JsonNode chunks, String stream) {
        StringBuilder b = new StringBuilder();
        chunks.forEach(c -> {
            if (c.path("stream").asText().equals(stream)) {
                b.append(c.path("text").asText());
            }
        });
        return b.toString();
    }

    private static void assertProblem(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Json.parse(r.body()).path("error").asText()).contains(error);
    }

    record Captured(int code, String out, String err) {
    }

    /** {@code oe ARGS} against this stack, in this JVM, with what it printed. */
    private static synchronized Captured oe(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", env.dir.resolve("stack").toString())).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = OeCli.run(all);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(request(url, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
