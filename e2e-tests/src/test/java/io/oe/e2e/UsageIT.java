package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage and artifacts end to end on the standalone stack, reads protected by the API token: a real agent process
 * reports its usage in three ::usage:: lines (two of one priced model, one of a model the price table lacks) among two
 * lying ones, and writes an artifact; the totals are right in the state, the reports and Prometheus, the lies are named
 * in the log, and the artifact is listed and downloaded with its checksum verified, never from another execution.
 */
class UsageIT {
    static final String AGENT = "@usage-writer";
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("UsageIT", (root, options) -> {
            Path runners = new TestRunners().script("script", root.resolve("usage-agent.sh"), """
                            #!/bin/sh
                            echo "::task-started T1::"
                            echo "::usage input=1000 output=200 cached=500 model=test-model::"
                            echo "::usage input=-5 output=1::"
                            echo "::usage input=300 output=100 model=test-model cost=0.01::"
                            echo "::usage input=abc output=1::"
                            echo "::usage input=50 output=5 model=unpriced-model::"
                            printf '{"execution": "%s", "ok": true}\\n' "$OE_EXECUTION_ID" > "$OE_OUTPUTS_DIR/result.json"
                            echo "::task-completed T1::"
                            """, "{phase_file}")
                    .agent("*", "script").price("test-model", 2.0, 10.0, 0.5).write(root.resolve("runners.json"));
            options.runnersFile(runners).env("OE_PROTECT_READS", "true");
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    /** A one-phase project whose agent reports usage and writes result.json under its contract. */
    private static TestProject project(String name) throws Exception {
        TestProject p = new TestProject(env.root, name).tier("only", "sequential", 1);
        ObjectNode phase = p.phase(1, AGENT);
        phase.putArray("tasks").addObject().put("id", "T1").put("title", "work");
        phase.putArray("outputs").addObject().put("artifact", "result.json").put("contract", "contracts/result.schema.json");
        Files.createDirectories(p.dir.resolve("contracts"));
        Files.writeString(p.dir.resolve("contracts/result.schema.json"), """
                {"type": "object", "required": ["execution", "ok"], "properties": {"ok": {"const": true}}}
                """);
        return p;
    }

    @Test
    void usageIsSummedIntoStateReportAndMetricsAndAnArtifactDownloadsVerified() throws Exception {
        Api api = env.api();
        String id = project("usage-a").submit(api);
        String other = project("usage-b").submit(api);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(120), "completion");
        await(api, other, execution("completed"), Duration.ofSeconds(120), "completion of the other");

        // state: the execution's, the phase's and the attempt's usage are the three accepted reports
        double cost = (1000 * 2.0 + 200 * 10.0 + 500 * 0.5) / 1e6 + 0.01;
        for (JsonNode u : List.of(s.path("usage"), s.path("phases").path("1").path("usage"),
                s.path("phases").path("1").path("attempt_history").get(0).path("usage"))) {
            assertThat(u.path("input_tokens").asLong()).as("input of %s", u).isEqualTo(1350);
            assertThat(u.path("output_tokens").asLong()).isEqualTo(305);
            assertThat(u.path("cached_tokens").asLong()).isEqualTo(500);
            assertThat(u.path("reports").asInt()).isEqualTo(3);
            assertThat(u.path("unpriced_reports").asInt()).isEqualTo(1);
            assertThat(u.path("cost_usd").asDouble()).isCloseTo(cost, within(1e-9));
        }
        JsonNode byAgent = s.path("usage").path("by_agent");
        assertThat(byAgent).hasSize(1);
        assertThat(byAgent.get(0).path("agent").asText()).isEqualTo(AGENT);
        JsonNode models = s.path("usage").path("by_model");
        assertThat(models).extracting(m -> m.path("model").asText()).containsExactly("test-model", "unpriced-model");
        assertThat(models.get(1).path("cost_usd").asDouble()).isZero();

        // the lies and the unpriced model are named in the log's agent-result entry, and the run still completed
        List<String> problems = new ArrayList<>();
        api.log(id).json().path("entries").forEach(e -> e.path("details").path("usage_problems")
                .forEach(p -> problems.add(p.asText())));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("::usage input=-5 output=1::", "input=-5 is negative"))
                .anySatisfy(p -> assertThat(p).contains("input=abc is not a whole number"))
                .anySatisfy(p -> assertThat(p).contains("no cost for model 'unpriced-model'"));

        // the reports
        String md = api.report(id, "md").body();
        assertThat(md).contains("| Usage | 2,155 tokens (1,350 in, 305 out, 500 cached), ≥ $", "(1 report(s) unpriced)",
                "## Usage", "| " + AGENT + " | test-model | 1,300 | 300 | 500 |");
        assertThat(api.report(id, "html").body()).contains("<h2>Usage</h2>", "2,155 tokens");
        JsonNode json = api.report(id, "json").json();
        assertThat(json.path("usage").path("total_tokens").asLong()).isEqualTo(2155);
        assertThat(json.path("summary").path("usage").path("cost_usd").asDouble()).isCloseTo(cost, within(1e-9));

        // Prometheus: both executions' attempts, counted by the gateway
        String metrics = get(env.stack.info().url("agent-gateway") + "/q/metrics", null).body();
        assertThat(sample(metrics, "oe_agent_tokens_total", "agent=\"" + AGENT + "\"", "kind=\"input\"", "model=\"test-model\""))
                .isEqualTo(2 * 1300);
        assertThat(sample(metrics, "oe_agent_tokens_total", "agent=\"" + AGENT + "\"", "kind=\"cached\"", "model=\"test-model\""))
                .isEqualTo(2 * 500);
        assertThat(sample(metrics, "oe_agent_tokens_total", "kind=\"output\"", "model=\"unpriced-model\"")).isEqualTo(2 * 5);
        assertThat(sample(metrics, "oe_agent_cost_total", "agent=\"" + AGENT + "\"", "model=\"test-model\""))
                .isCloseTo(2 * cost, within(1e-9));

        // artifacts: listed with their contract and verdict, downloaded and checked, refused across executions
        String base = env.stack.info().url("monitor-service") + "/api/v1/executions/";
        assertThat(get(base + id + "/artifacts", null).statusCode()).as("a read without the token").isEqualTo(401);
        JsonNode list = Json.MAPPER.readTree(get(base + id + "/artifacts", env.token()).body());
        JsonNode result = list.get(0);
        assertThat(result.path("name").asText()).isEqualTo("result.json");
        assertThat(result.path("phase_id").asInt()).isEqualTo(1);
        assertThat(result.path("contract").asText()).isEqualTo("contracts/result.schema.json");
        assertThat(result.path("verdict").asText()).isEqualTo("valid");
        HttpResponse<byte[]> download = getBytes(base + id + "/artifacts/" + result.path("sha256").asText(), env.token());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(download.body()).hasSize(result.path("size").asInt());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())))
                .isEqualTo(result.path("sha256").asText());
        assertThat(new String(download.body())).contains(id);

        String othersSha = Json.MAPPER.readTree(get(base + other + "/artifacts", env.token()).body()).get(0).path("sha256").asText();
        assertThat(othersSha).isNotEqualTo(result.path("sha256").asText());
        HttpResponse<String> foreign = get(base + id + "/artifacts/" + othersSha, env.token());
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).contains("has no stored artifact with sha256 " + othersSha);
        assertThat(get(base + id + "/artifacts/not-a-sha256", env.token()).statusCode()).isEqualTo(400);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(request(url, token), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(request(url, token), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    /** The value of the one Prometheus sample of this name with these labels (in any order, others allowed). */
    private static double sample(String exposition, String name, String... labels) {
        List<Double> values = exposition.lines().filter(l -> l.startsWith(name + "{"))
                .filter(l -> List.of(labels).stream().allMatch(l::contains))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(values).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
        return values.get(0);
    }
}
