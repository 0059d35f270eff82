package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.deploy.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two monitor instances share the executions' partitions, and each answers every query: the state, log, handoffs and
 * report of an execution the other holds, the list of all executions, and its live stream.
 */
class MonitorInstancesIT {
    static E2eStack env;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() throws Exception {
        env = E2eStack.start("MonitorInstancesIT", List.copyOf(LocalStack.SERVICES.keySet()),
                (root, options) -> options.env("OE_DEMO_DELAY_MS", "400"));
        env.stack.startInstance("monitor-service", "monitor-service-2");
        ConsumerGroups.awaitSpread(env.broker.bootstrapServers(), 2, Duration.ofSeconds(90), "oe-monitor-service");
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void eitherInstanceAnswersForEveryExecution() throws Exception {
        Api api = env.api();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TestProject p = new TestProject(env.root, "shared-" + i).tier("t", "sequential", 1, 2);
            p.phase(1, "@doc");
            p.phase(2, "@qa");
            ids.add(p.submit(api));
        }
        for (String id : ids) {
            await(api, id, execution("completed"), Duration.ofSeconds(120), "completion");
        }
        List<String> monitors = List.of(url("monitor-service"), url("monitor-service-2"));
        int[] held = new int[2];
        for (String id : ids) {
            int holders = 0;
            for (int m = 0; m < 2; m++) {
                String base = monitors.get(m);
                assertThat(get(base + "/api/v1/executions/" + id, false).statusCode()).as("%s state on %s", id, base).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(get(base + "/api/v1/executions/" + id, false).body()).path("status").asText())
                        .isEqualTo("completed");
                assertThat(Json.MAPPER.readTree(get(base + "/api/v1/executions/" + id + "/log?limit=5", false).body())
                        .path("entries")).hasSize(5);
                assertThat(get(base + "/api/v1/executions/" + id + "/handoffs", false).statusCode()).isEqualTo(200);
                assertThat(get(base + "/api/v1/executions/" + id + "/report", false).body()).contains(id);
                // the agent's output: its view sits with the execution's state, so the same forwarding finds it
                JsonNode output = Json.MAPPER.readTree(get(base + "/api/v1/executions/" + id + "/phases/1/output", false).body());
                assertThat(output.path("chunks")).as("%s phase 1 output on %s", id, base).isNotEmpty();
                assertThat(output.path("complete").asBoolean()).isTrue();
                assertThat(get(base + "/api/v1/executions/" + id + "/phases/1/output", true).statusCode())
                        .as("output held where the state is").isEqualTo(get(base + "/api/v1/executions/" + id, true).statusCode());
                if (get(base + "/api/v1/executions/" + id, true).statusCode() == 200) { // held here, not forwarded
                    holders++;
                    held[m]++;
                }
            }
            assertThat(holders).as("instances holding %s", id).isEqualTo(1);
        }
        System.out.printf("[e2e] MonitorInstancesIT: executions held per instance %d / %d; every query answered by both%n",
                held[0], held[1]);
        for (String base : monitors) {
            JsonNode list = Json.MAPPER.readTree(get(base + "/api/v1/executions", false).body());
            assertThat(list.findValuesAsText("execution_id")).as("list on %s", base).containsAll(ids);
        }
        assertThat(get(monitors.get(0) + "/api/v1/executions/exec_nope", false).statusCode()).isEqualTo(404);
    }

    @Test
    void theLiveStreamOfAnExecutionHeldByTheOtherInstanceArrives() throws Exception {
        Api api = env.api();
        TestProject p = new TestProject(env.root, "streamed").tier("t", "sequential", 1, 2, 3, 4);
        for (int i = 1; i <= 4; i++) {
            p.phase(i, "@doc");
        }
        String id = p.submit(api);
        await(api, id, s -> true, Duration.ofSeconds(30), "the execution known");
        String notHolder = get(url("monitor-service") + "/api/v1/executions/" + id, true).statusCode() == 200
                ? url("monitor-service-2") : url("monitor-service");
        List<String> statuses = new CopyOnWriteArrayList<>();
        var stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(notHolder + "/api/v1/executions/" + id + "/stream"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().filter(l -> l.startsWith("data:")).forEach(l -> {
                    try {
                        statuses.add(Json.MAPPER.readTree(l.substring(5)).path("status").asText());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!statuses.contains("completed") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        stream.cancel(true);
        System.out.printf("[e2e] MonitorInstancesIT: %d states streamed by the instance that does not hold %s%n",
                statuses.size(), id);
        assertThat(statuses).as("states relayed by %s", notHolder).contains("completed").hasSizeGreaterThanOrEqualTo(3);
        // an ended attempt's output stream, relayed by the instance that does not hold it: all of it, then its end
        HttpResponse<java.util.stream.Stream<String>> output = HTTP.send(HttpRequest.newBuilder(URI.create(notHolder
                + "/api/v1/executions/" + id + "/phases/4/output/stream")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        List<JsonNode> chunks = output.body().filter(l -> l.startsWith("data:")).map(l -> Json.parse(l.substring(5))).toList();
        assertThat(chunks).isNotEmpty();
        assertThat(chunks.get(chunks.size() - 1).path("last").asBoolean()).as("the stream ends with the attempt's end").isTrue();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(notHolder + "/api/v1/executions/" + id
                + "/phases/9/output/stream")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("a phase the execution does not have, asked where it is not held").isEqualTo(404);
    }

    private static String url(String name) {
        return env.stack.info().url(name);
    }

    /** A GET; {@code localOnly}: as a forwarded request, answered from that instance's own views only. */
    private static HttpResponse<String> get(String url, boolean localOnly) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (localOnly) {
            b.header("X-OE-Forwarded", "1");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
