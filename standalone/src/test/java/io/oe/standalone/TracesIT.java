package io.oe.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.TraceParent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Traces across the services (docs/architecture.md, "Traces"): the standalone application, with its embedded broker,
 * the six services and real agent processes, in this JVM with traces on, so that an in-memory exporter sees every
 * span each service sends. One execution's spans must form one tree: execution → phase → attempt → agent run and
 * handoff validation, with the projector's folds and the monitor's writes in it, and the agent must have been handed
 * its agent-run span as TRACEPARENT.
 */
@QuarkusTest
@TestProfile(TracesIT.TracesOn.class)
class TracesIT {
    private static final AttributeKey<Long> PHASE = AttributeKey.longKey("oe.phase_id");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("oe.attempt");

    /** A stack of its own: free ports, a fresh data directory, a runner configuration of two shell-script agents. */
    public static class TracesOn implements QuarkusTestProfile {
        /** One directory for the profile and the test, which Quarkus loads in two class loaders: a system property. */
        static final Path DIR = Path.of(System.getProperties().computeIfAbsent("oe.traces-it.dir", k -> tempDir().toString())
                .toString());

        @Override
        public Map<String, String> getConfigOverrides() {
            int broker = freePort();
            Path script = DIR.resolve("agent.sh");
            write(script, """
                    #!/bin/sh
                    # writes the output named by $1, with the trace context the gateway handed it
                    printf '{"traceparent": "%s"}' "$TRACEPARENT" > "$OE_OUTPUTS_DIR/$1"
                    """);
            try {
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.createDirectories(DIR.resolve("project"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(DIR.resolve("runners.json"), """
                    {"runners": {
                       "spec": {"argv": ["%1$s", "spec.json"], "env_passthrough": ["PATH"]},
                       "notes": {"argv": ["%1$s", "notes.json"], "env_passthrough": ["PATH"]}},
                     "agents": {"@writer": "spec", "@reviewer": "notes"}}
                    """.formatted(script));
            return Map.ofEntries(
                    Map.entry("quarkus.otel.sdk.disabled", "false"),
                    Map.entry("quarkus.otel.exporter.otlp.enabled", "false"), // the in-memory exporter only
                    Map.entry("quarkus.otel.bsp.schedule.delay", "50ms"),
                    // Avro resolves the event classes through the thread's class loader: Kafka Streams' threads see the
                    // application class loader, so Avro and the events must live there too (only under @QuarkusTest)
                    Map.entry("quarkus.class-loading.parent-first-artifacts", "org.apache.avro:avro,io.oe:schemas,org.apache.kafka:kafka-clients"),
                    Map.entry("oe.standalone.broker.port", String.valueOf(broker)),
                    Map.entry("oe.standalone.broker.controller-port", String.valueOf(freePort())),
                    Map.entry("oe.standalone.broker.dir", DIR.resolve("kafka").toString()),
                    Map.entry("kafka.bootstrap.servers", "localhost:" + broker),
                    Map.entry("kafka-streams.state.dir", DIR.resolve("state").toString()),
                    Map.entry("oe.project-root", DIR.toString()),
                    Map.entry("oe.home", DIR.toString()),
                    Map.entry("oe.runners-file", "runners.json"));
        }

        private static Path tempDir() { // a new one per run: the broker's data and the stores start empty
            try {
                return Files.createTempDirectory("oe-traces-it");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void write(Path file, String text) {
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    InMemorySpanExporter exported;

    @TestHTTPResource("/api/v1/executions")
    URI executions;

    @Test
    void theSpansOfOneExecutionFormOneTreeAcrossTheServicesAndTheAgentRunsUnderItsAttempt() throws Exception {
        Path project = TracesOn.DIR.resolve("project");
        String bundle = """
                {"project_dir": "%s",
                 "plan": {"plan_id": "traced", "project_name": "Traced",
                   "tiers": [{"name": "all", "mode": "sequential", "phases": [1, 2]}],
                   "phases": [
                     {"id": 1, "name": "Spec", "agent": "@writer", "outputs": [{"artifact": "spec.json"}]},
                     {"id": 2, "name": "Notes", "agent": "@reviewer", "inputs": [{"artifact": "spec.json", "from": 1}],
                      "outputs": [{"artifact": "notes.json"}]}]},
                 "project_plan": {"project_name": "Traced"},
                 "config": {"max_concurrent_phases": 1, "retry_policy": {"max_retries": 0, "backoff_seconds": 0.2}},
                 "agents": {"writer": "---\\nname: writer\\n---\\nWrite.\\n", "reviewer": "---\\nname: reviewer\\n---\\nReview.\\n"},
                 "autostart": true}
                """.formatted(project);
        // a caller's garbage traceparent: logged and ignored, never a refusal
        HttpResponse<String> submitted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(executions)
                .header("Content-Type", "application/json").header("traceparent", "00-not-a-trace-context")
                .POST(HttpRequest.BodyPublishers.ofString(bundle)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"execution_id\"\\s*:\\s*\"([^\"]+)\"").matcher(submitted.body());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        String traceId = ExecutionSpans.execution(id).getTraceId();

        List<SpanData> trace = awaitExecutionSpan(traceId);
        SpanData execution = only(trace, "execution", null);
        assertThat(execution.getParentSpanContext().isValid()).isFalse(); // the root
        assertThat(execution.getSpanId()).isEqualTo(ExecutionSpans.execution(id).getSpanId());
        for (int phase = 1; phase <= 2; phase++) {
            SpanData p = only(trace, "phase", phase);
            assertThat(p.getParentSpanId()).as("phase %d's parent", phase).isEqualTo(execution.getSpanId());
            SpanData attempt = only(trace, "attempt", phase);
            assertThat(attempt.getParentSpanId()).as("attempt of phase %d", phase).isEqualTo(p.getSpanId());
            assertThat(attempt.getAttributes().get(ATTEMPT)).isEqualTo(1L);
            SpanData run = only(trace, "agent run", phase);
            assertThat(run.getParentSpanId()).as("agent run of phase %d", phase).isEqualTo(attempt.getSpanId());
            SpanData handoff = only(trace, "handoff validation", phase);
            assertThat(handoff.getParentSpanId()).as("handoff of phase %d", phase).isEqualTo(attempt.getSpanId());
            // the agent process was handed its agent-run span
            String output = Files.readString(project.resolve("tee-output/workspaces/" + id + "/" + phase + "/1/outputs/"
                    + (phase == 1 ? "spec.json" : "notes.json")));
            assertThat(output).contains(TraceParent.format(run.getSpanContext()));
        }
        // the projector's folds and the monitor's writes come as the events do; the spans of the run, once each
        List<String> ofTheRun = List.of("execution", "phase", "attempt", "agent run", "handoff validation");
        assertThat(trace).filteredOn(s -> ofTheRun.contains(s.getName())).hasSize(1 + 2 * 4);
        assertThat(trace).extracting(SpanData::getName).allMatch(n -> ofTheRun.contains(n)
                || List.of("state fold", "state write", "report render").contains(n));
        // one tree: every span but the root has its parent in the trace
        var ids = trace.stream().map(SpanData::getSpanId).toList();
        assertThat(trace).filteredOn(s -> s != execution).allSatisfy(s -> assertThat(ids).as("parent of %s", s.getName())
                .contains(s.getParentSpanId()));
        assertThat(trace).filteredOn(s -> s.getName().equals("report render")).isNotEmpty();
        // the submission, in the caller's trace (here a new one: its traceparent was garbage), leads to the execution's
        assertThat(exported.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("plan submitted"))
                .singleElement().satisfies(s -> {
                    assertThat(s.getTraceId()).isNotEqualTo(traceId);
                    assertThat(s.getLinks()).singleElement().satisfies(l -> assertThat(l.getSpanContext().getSpanId())
                            .isEqualTo(execution.getSpanId()));
                });
    }

    private List<SpanData> awaitExecutionSpan(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<SpanData> trace = exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            // the monitor renders the report once the projector folded the end the scheduler sent with its span
            if (trace.stream().anyMatch(s -> s.getName().equals("execution"))
                    && trace.stream().anyMatch(s -> s.getName().equals("report render"))) {
                Thread.sleep(500); // the batch processor may still hold a span ended just before
                return exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the execution did not end within 90 s; spans so far: "
                + exported.getFinishedSpanItems().stream().map(SpanData::getName).toList());
    }

    private static SpanData only(List<SpanData> trace, String name, Integer phase) {
        List<SpanData> found = trace.stream().filter(s -> s.getName().equals(name))
                .filter(s -> phase == null || Long.valueOf(phase).equals(s.getAttributes().get(PHASE))).toList();
        assertThat(found).as("%s spans%s", name, phase == null ? "" : " of phase " + phase).hasSize(1);
        return found.get(0);
    }
}
