package io.oe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import io.oe.cli.Progress;
import io.oe.deploy.LocalStack;
import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MyApp demo plan end to end on the standalone stack (`oe demo`'s): the real broker and the six services in one
 * process, each with its own clients and state, the demo agent as real processes.
 */
class DemoPlanIT {
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("DemoPlanIT", (root, options) -> { });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void demoPlanRunsToCompletionWithParallelTierAndSyncPoint() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp");
        BundlePacker.Packed packed = BundlePacker.pack(project.resolve("orchestration-plan.json"), null, null, true);
        assertThat(packed.missing()).as("files the demo plan references").isEmpty();
        Api api = env.api();

        // a live subscriber: every execution's summary as it changes (Server-Sent Events)
        var client = java.net.http.HttpClient.newHttpClient();
        var sseLines = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var sse = client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                env.stack.info().url("monitor-service") + "/api/v1/executions/stream")).header("Accept", "text/event-stream").build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(sseLines::add));

        long t0 = System.nanoTime();
        Api.Response created = api.createExecution(packed.bundle());
        assertThat(created.status()).as("POST /api/v1/executions: %s", created.body()).isEqualTo(201);
        String id = created.json().path("execution_id").asText();
        assertThat(id).isNotBlank();

        JsonNode finalState = Progress.await(api, id, Duration.ofSeconds(240), System.out);
        double wall = (System.nanoTime() - t0) / 1e9;
        assertThat(finalState.path("status").asText()).as("execution status (monitor)").isEqualTo("completed");

        // The file the monitor writes is the record of truth for the assertions below.
        Path stateFile = project.resolve("tee-output/engine-state.json");
        JsonNode state = awaitFileStatus(stateFile, "completed", Duration.ofSeconds(20));
        assertThat(state.path("execution_id").asText()).isEqualTo(id);
        assertThat(state.path("status").asText()).isEqualTo("completed");
        JsonNode phases = state.path("phases");
        for (int p : concat(range(1, 9), range(12, 16))) {
            assertThat(phases.path(String.valueOf(p)).path("status").asText()).as("phase %d status", p)
                    .isEqualTo("completed");
        }
        assertThat(phases.path("11").path("status").asText()).as("phase 11 status (condition false)").isEqualTo("skipped");

        // Agent alternatives: 13 is @nodejs-specialist/@dotnet-specialist, 14 @react-specialist/@vue-specialist; the
        // project's stack is .NET and React, so 13 ran its second alternative (the first's condition is false) and 14 its first.
        JsonNode backend = phases.path("13");
        assertThat(backend.path("agent").asText()).isEqualTo("@dotnet-specialist");
        assertThat(backend.path("alternative").path("chosen").asInt()).isEqualTo(2);
        assertThat(backend.path("alternative").path("condition").asText()).isEqualTo("project.stack.backend == 'dotnet'");
        assertThat(backend.path("alternative").path("alternatives")).extracting(a -> a.path("agent").asText() + " "
                + a.path("outcome").asText()).containsExactly("@nodejs-specialist false", "@dotnet-specialist holds");
        String backendWhy = "@dotnet-specialist chosen (alternative 2 of 2): `project.stack.backend == 'dotnet'` holds;"
                + " before it, @nodejs-specialist's `project.stack.backend == 'nodejs'` is false";
        assertThat(backend.path("alternative").path("reason").asText()).isEqualTo(backendWhy);
        assertThat(phases.path("14").path("agent").asText()).isEqualTo("@react-specialist");
        assertThat(phases.path("14").path("alternative").path("reason").asText())
                .isEqualTo("@react-specialist chosen (alternative 1 of 2): `project.stack.frontend == 'react'` holds");
        // the chosen agent is the one that ran: its handoff, and the artifact it wrote, name it
        assertThat(StreamSupport.stream(state.path("handoffs").spliterator(), false)
                .filter(h -> h.path("phase_id").asInt() == 13).map(h -> h.path("from").asText())).containsExactly("@dotnet-specialist");
        assertThat(StreamSupport.stream(state.path("handoffs").spliterator(), false)
                .filter(h -> h.path("phase_id").asInt() == 8).findFirst().orElseThrow().path("to"))
                .extracting(JsonNode::asText).contains("@nodejs-specialist/@dotnet-specialist");
        assertThat(Json.MAPPER.readTree(project.resolve("tee-output/workspaces/" + id + "/13/1/outputs/backend-api.json")
                .toFile()).path("produced_by").asText()).isEqualTo("@dotnet-specialist");
        // the reports say which ran and why; the audit trail too
        String md = api.report(id, "md").body();
        assertThat(md).contains("## Agent alternatives\n", "- phase 13 Backend: " + backendWhy.replace("`", "\\`") + "\n",
                "- phase 14 Frontend: @react-specialist chosen (alternative 1 of 2)");
        assertThat(md).contains("| 13 Backend | @dotnet-specialist | implementation | completed |");
        assertThat(api.report(id, "json").json().path("alternatives")).extracting(a -> a.path("phase_id").asInt() + " "
                + a.path("agent").asText()).containsExactly("13 @dotnet-specialist", "14 @react-specialist");
        assertThat(api.report(id, "html").body()).contains("<h2>Agent alternatives</h2>", "<li>phase 13 Backend: " + backendWhy);

        // the same run as Prometheus meters: the scheduler's decisions, the gateway's agents, Kafka lag on every service
        String scheduler = metrics("phase-scheduler");
        assertThat(meter(scheduler, "oe_phase_transitions_total{to=\"completed\"}")).isGreaterThanOrEqualTo(13);
        assertThat(meter(scheduler, "oe_phase_transitions_total{to=\"skipped\"}")).isGreaterThanOrEqualTo(1);
        assertThat(meter(scheduler, "oe_phase_attempt_duration_seconds_count{outcome=\"completed\"}")).isGreaterThanOrEqualTo(13);
        String gateway = metrics("agent-gateway");
        assertThat(meter(gateway, "oe_agent_run_seconds_count{outcome=\"success\"}")).isGreaterThanOrEqualTo(13);
        for (String service : LocalStack.SERVICES.keySet()) {
            assertThat(metrics(service)).as("%s /q/metrics", service).contains("kafka_");
        }
        assertThat(gateway).contains("kafka_consumer_fetch_manager_records_lag_max");

        // 12-14 ran in parallel: the last to start started before the first to end ended.
        long maxStart = range(12, 14).stream().mapToLong(p -> millis(phases, p, "started_at")).max().orElseThrow();
        long minEnd = range(12, 14).stream().mapToLong(p -> millis(phases, p, "completed_at")).min().orElseThrow();
        long maxEnd = range(12, 14).stream().mapToLong(p -> millis(phases, p, "completed_at")).max().orElseThrow();
        assertThat(maxStart).as("12-14 overlap: max start < min end").isLessThan(minEnd);
        // Sync point: 15 started after all of 12-14 ended.
        assertThat(millis(phases, 15, "started_at")).as("15 starts after 12-14 end").isGreaterThanOrEqualTo(maxEnd);
        // and the report shows it as the sync point, from the plan's graph
        assertThat(api.report(id, "md").body()).contains("\n- sync point: phase 15 waits for tier 'implementation' (phases 12, 13, 14)\n");
        assertThat(api.report(id, "json").json().path("sync_points")).singleElement()
                .satisfies(sp -> assertThat(sp.path("tier").asText()).isEqualTo("implementation"));
        assertThat(millis(phases, 16, "started_at")).isGreaterThanOrEqualTo(millis(phases, 15, "completed_at"));

        // Each phase that ran, ran once: one phase-ready and one agent-result per phase, all of attempt 1.
        List<Integer> ran = concat(range(2, 9), range(12, 16));
        var ready = Events.readAll(env.broker.bootstrapServers(), Topics.PHASE_READY, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(v -> v.getExecutionId().equals(id)).toList();
        var results = Events.readAll(env.broker.bootstrapServers(), Topics.AGENT_RESULT, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(v -> v.getExecutionId().equals(id)).toList();
        Map<Integer, Long> readyPerPhase = ready.stream().collect(
                Collectors.groupingBy(PhaseReady::getPhaseId, TreeMap::new, Collectors.counting()));
        Map<Integer, Long> resultsPerPhase = results.stream().collect(
                Collectors.groupingBy(AgentResult::getPhaseId, TreeMap::new, Collectors.counting()));
        Map<Integer, Long> once = new TreeMap<>();
        ran.forEach(p -> once.put(p, 1L));
        assertThat(readyPerPhase).as("phase-ready records per phase").isEqualTo(once);
        assertThat(resultsPerPhase).as("agent-result records per phase").isEqualTo(once);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getSuccess()).isTrue();
            assertThat(r.getAttempt()).isEqualTo(1);
        });
        // the scheduler's choice went with the dispatch: the gateway ran the chosen agent, with its definition
        assertThat(ready).filteredOn(r -> r.getPhaseId() == 13).singleElement().satisfies(r -> {
            assertThat(r.getAgent()).isEqualTo("@dotnet-specialist");
            assertThat(r.getAgentDefinition()).contains("name: dotnet-specialist");
        });
        assertThat(results).filteredOn(r -> r.getPhaseId() == 13).extracting(AgentResult::getAgent)
                .containsExactly("@dotnet-specialist");

        // The seed's end-of-run step: the final report beside the state and the log (written with the ended state).
        Path reportFile = project.resolve("tee-output/report.md");
        for (int i = 0; i < 100 && !Files.exists(project.resolve("tee-output/report.html")); i++) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(reportFile)).as("tee-output/report.md").contains(id).contains("| Status | **completed** |");
        assertThat(Files.readString(project.resolve("tee-output/report.html"))).as("tee-output/report.html").contains(id);

        // The files the run wrote match the engine's JSON Schemas; the project plan kept the user's facts.
        assertThat(SchemaCheck.validate("engine-state.schema.json", state)).as("engine-state.json vs its schema").isEmpty();
        JsonNode log = Json.MAPPER.readTree(project.resolve("tee-output/execution-log.json").toFile());
        assertThat(SchemaCheck.validate("execution-log.schema.json", log)).as("execution-log.json vs its schema").isEmpty();
        assertThat(log.path("entries").size()).as("audit trail entries").isGreaterThan(60);
        assertThat(log.path("entries")).filteredOn(e -> e.path("type").asText().equals("phase_ready") && e.path("phase_id").asInt() == 13)
                .singleElement().satisfies(e -> {
                    assertThat(e.path("message").asText()).isEqualTo("phase 13 @dotnet-specialist pending → ready (attempt 1): "
                            + backendWhy);
                    assertThat(e.path("details").path("alternative").path("chosen").asInt()).isEqualTo(2);
                });
        for (JsonNode h : state.path("handoffs")) {
            assertThat(SchemaCheck.validate("handoff-record.schema.json", h)).as("handoff %s", h.path("handoff_id")).isEmpty();
        }

        // A transform: phase 9 wrote YAML, phase 15 asked for JSON; phase 9's handoff stored both and names it, and phase
        // 15 got the JSON form. Every agent got the project specification (the project plan and the vision it names).
        JsonNode design = StreamSupport.stream(state.path("handoffs").spliterator(), false)
                .filter(h -> h.path("phase_id").asInt() == 9 && h.path("status").asText().equals("success")).findFirst()
                .orElseThrow(() -> new AssertionError("no successful handoff of phase 9"));
        assertThat(design.path("artifacts").has("azure-design.yaml")).isTrue();
        assertThat(design.path("artifacts").path("azure-design.json").path("transform"))
                .isEqualTo(Json.MAPPER.readTree("{\"source\": \"azure-design.yaml\", \"from\": \"yaml\", \"to\": \"json\"}"));
        Path cicd = project.resolve("tee-output/workspaces/" + id + "/15/1");
        assertThat(Json.MAPPER.readTree(cicd.resolve("inputs/azure-design.json").toFile()).path("region").isTextual()).isTrue();
        assertThat(cicd.resolve("specification/ProjectPlan/vision.md")).hasSameTextualContentAs(project.resolve("ProjectPlan/vision.md"));
        assertThat(Files.readString(cicd.resolve("prompt.md"))).contains("`specification/ProjectPlan/project-plan.json`",
                "`specification/ProjectPlan/vision.md`", "`inputs/azure-design.json` from phase 9 (its azure-design.yaml, "
                        + "converted from yaml to json)");
        JsonNode projectPlan = Json.MAPPER.readTree(project.resolve("ProjectPlan/project-plan.json").toFile());
        assertThat(projectPlan.path("infrastructure").path("cloud").asText()).isEqualTo("azure");
        assertThat(projectPlan.path("team").path("size").asInt()).isEqualTo(4);
        JsonNode progress = projectPlan.path("orchestration_progress");
        assertThat(progress.path("execution_id").asText()).isEqualTo(id);
        assertThat(progress.path("phases").path("15").path("status").asText()).isEqualTo("completed");
        assertThat(progress.path("tasks").path("TASK_019").path("progress").asInt()).isEqualTo(100);

        // The live stream saw the execution progress, without polling.
        long sseEvents = sseLines.stream().filter(l -> l.startsWith("data:") && l.contains(id)).count();
        assertThat(sseEvents).as("SSE events for %s", id).isGreaterThan(20);
        assertThat(sseLines).anySatisfy(l -> assertThat(l).contains(id).contains("\"status\":\"completed\""));
        sse.cancel(true);
        // Both REST services describe themselves.
        for (String service : List.of("plan-loader", "monitor-service")) {
            var openapi = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    env.stack.info().url(service) + "/q/openapi")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(openapi.statusCode()).as("%s /q/openapi", service).isEqualTo(200);
            assertThat(openapi.body()).contains("/api/v1/executions");
        }

        // Figures.
        System.out.printf("[e2e] DemoPlanIT: execution %s completed in %.2f s wall time (POST to completed state)%n",
                id, wall);
        List<String> overheads = new ArrayList<>();
        long total = 0;
        for (int p = 2; p < 8; p++) {
            long gap = millis(phases, p + 1, "started_at") - millis(phases, p, "completed_at");
            total += gap;
            overheads.add(p + "->" + (p + 1) + ": " + gap + " ms");
        }
        System.out.printf("[e2e] DemoPlanIT: per-phase overhead (next started_at - previous completed_at), chain 2..8: "
                + "%s; mean %.1f ms%n", String.join(", ", overheads), total / 6.0);
        for (int p : ran) {
            System.out.printf("[e2e]   phase %2d %-28s %6d ms%n", p, phases.path(String.valueOf(p)).path("name").asText(),
                    millis(phases, p, "completed_at") - millis(phases, p, "started_at"));
        }
    }

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** A timestamp of a phase as epoch ms: the JSON may carry ISO-8601 text or epoch milliseconds. */
    static long millis(JsonNode phases, int phase, String field) {
        JsonNode v = phases.path(String.valueOf(phase)).path(field);
        assertThat(v.isMissingNode() || v.isNull()).as("phase %d has %s", phase, field).isFalse();
        return v.isNumber() ? v.asLong() : Instant.parse(v.asText()).toEpochMilli();
    }

    static JsonNode awaitFileStatus(Path file, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                try {
                    last = Json.MAPPER.readTree(file.toFile());
                    if (last != null && status.equals(last.path("status").asText())) {
                        return last;
                    }
                } catch (java.io.IOException partial) {
                    // being rewritten
                }
            }
            Thread.sleep(200);
        }
        assertThat(file).as("engine state file").exists();
        assertThat(last).as("engine state file content").isNotNull();
        return last;
    }

    private static String metrics(String service) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                env.stack.info().url(service) + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s /q/metrics", service).isEqualTo(200);
        return r.body();
    }

    /** The value of one Prometheus sample, by its name and labels as printed. */
    private static double meter(String exposition, String sample) {
        return exposition.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + sample));
    }
    /**
     * Memoized resubmission (#18) of the example plan with the demo agent, whose sample outputs are deterministic: after
     * @architect's definition changes, a resubmission with --reuse-from starts one agent process, phase 7's, and reuses
     * every other phase that ran, phase 7's unchanged output leaving its dependants' inputs as they were.
     */
    @Test
    void theExamplePlanResubmittedWithReuseFromRunsOnlyThePhaseWhoseAgentDefinitionChanged() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp-memo");
        Api api = env.api();
        String config = project.resolve("engine.config.json").toString();
        E2eStack.OeRun init = env.oe("init", "--config", config);
        assertThat(init.code()).as("oe init exit code").isZero();
        String first = init.executionId();
        assertThat(env.oe("execute", "--execution-id", first, "--wait", "--timeout-seconds", "240").code())
                .as("the first run's exit code").isZero();

        Path architect = project.resolve(".github/agents/architect.agent.md");
        Files.writeString(architect, Files.readString(architect) + "\nPrefer fewer, larger components.\n");
        E2eStack.OeRun again = env.oe("execute", "--reuse-from", first, "--config", config, "--wait", "--timeout-seconds", "240");
        assertThat(again.code()).as("oe execute --reuse-from --wait exit code").isZero();
        String second = again.executionId();
        JsonNode s = TestProject.await(api, second, TestProject.execution("completed"), Duration.ofSeconds(30), "the resubmission");

        // one agent process: phase 7's; 11 skipped again by its condition; the other twelve taken from the first run
        assertThat(env.events(Topics.AGENT_RESULT, second)).extracting(AgentResult::getPhaseId).containsExactly(7);
        assertThat(s.path("reuse").path("7").asText()).isEqualTo("runs: agent definition changed since execution " + first
                + " attempt 1");
        for (int phase : new int[] {1, 2, 3, 4, 5, 6, 8, 9, 12, 13, 14, 15, 16}) {
            assertThat(s.path("phases").path(String.valueOf(phase)).path("status").asText()).as("phase %d", phase)
                    .isEqualTo("completed");
        }
        for (int phase : new int[] {8, 9, 12, 13, 14, 15, 16}) {
            assertThat(s.path("reuse").path(String.valueOf(phase)).asText()).as("phase %d after the changed one", phase)
                    .startsWith("reused from execution " + first);
        }
        assertThat(s.path("phases").path("11").path("status").asText()).isEqualTo("skipped");
        assertThat(api.report(second, "md").body()).contains("\n## Reuse\n", "1 ran.");
    }
}
