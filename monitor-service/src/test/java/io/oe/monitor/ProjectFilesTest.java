package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.oe.events.LogEntry;
import io.oe.events.EngineState;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.PresetSpanIds;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {
    private static final String USER_PLAN = "{\"project_name\": \"Demo\", \"infrastructure\": {\"cloud\": \"azure\"}, "
            + "\"notes\": [1, 2], \"orchestration_progress\": {\"stale\": true}}";
    @TempDir
    Path root;
    private Path project;
    private final FakeViews views = new FakeViews();
    private ProjectFiles files;

    static JsonSchema schema(String name) {
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m ->
                m.mapPrefix("https://oe.io/schemas/", "classpath:json/")));
        return factory.getSchema(SchemaLocation.of("https://oe.io/schemas/" + name),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("projects/demo"));
        Files.createDirectories(project.resolve("ProjectPlan"));
        Files.writeString(project.resolve("ProjectPlan/project-plan.json"), USER_PLAN);
        files = new ProjectFiles();
        files.views = views;
        files.spans = new WriteSpans(Tracing.of(OpenTelemetry.noop(), false));
        files.projectRoot = root.resolve("projects").toString();
        files.interval = Duration.ofMillis(200);
    }

    @AfterEach
    void tearDown() throws Exception {
        files.close();
    }

    private void publish(String status, long events, String config) {
        for (long seq = 1; seq <= events; seq++) {
            views.append(Fixtures.entry("e1", seq));
        }
        views.put(Fixtures.state("e1", project.toString(), status, events, config));
        files.changed("e1");
    }

    private JsonNode read(String relative) throws Exception {
        return StateJson.MAPPER.readTree(project.resolve(relative).toFile());
    }

    @Test
    void theFilesTheWriterProducesMatchTheirSchemasAndTheRestState() throws Exception {
        publish("in_progress", 6, "{}");
        files.flushNow();
        JsonNode state = read("tee-output/engine-state.json");
        JsonNode log = read("tee-output/execution-log.json");
        assertThat(schema("engine-state.schema.json").validate(state)).isEmpty();
        assertThat(schema("execution-log.schema.json").validate(log)).isEmpty();
        assertThat(state.toString()).isEqualTo(StateJson.state(views.states.get("e1")).toString()); // = GET /executions/{id}
        assertThat(log.path("execution_id").asText()).isEqualTo("e1");
        assertThat(log.path("entries")).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(log.path("entries").get(1).path("details").path("to").asText()).isEqualTo("in_progress");
    }

    @Test
    void aDryRunWritesItsStateLogAndReportInItsOwnDirectoryAndLeavesTheProjectsFilesAlone() throws Exception {
        for (long seq = 1; seq <= 4; seq++) {
            views.append(Fixtures.entry("e1", seq));
        }
        EngineState dry = Fixtures.state("e1", project.toString(), "completed", 4, "{}");
        dry.setDryRun(true);
        views.put(dry);
        files.changed("e1");
        files.flushNow();
        Path own = project.resolve("tee-output/dry-runs/e1");
        assertThat(StateJson.MAPPER.readTree(own.resolve("engine-state.json").toFile()).path("dry_run").asBoolean()).isTrue();
        assertThat(schema("engine-state.schema.json").validate(StateJson.MAPPER.readTree(own.resolve("engine-state.json")
                .toFile()))).isEmpty();
        assertThat(own.resolve("execution-log.json")).isRegularFile();
        assertThat(Files.readString(own.resolve("report.md"))).startsWith("# Execution report (dry run): Demo");
        assertThat(project.resolve("tee-output/engine-state.json")).doesNotExist();
        assertThat(project.resolve("tee-output/report.md")).doesNotExist();
        assertThat(Files.readString(project.resolve("ProjectPlan/project-plan.json"))).isEqualTo(USER_PLAN);
    }

    @Test
    void theFinalReportIsWrittenBesideTheStateOnceTheExecutionEnds() throws Exception {
        publish("in_progress", 3, "{}");
        files.flushNow();
        assertThat(project.resolve("tee-output/report.md")).doesNotExist();
        publish("completed", 4, "{}");
        files.flushNow();
        assertThat(Files.readString(project.resolve("tee-output/report.md"))).isEqualTo(Report.markdown(views.states.get("e1")));
        assertThat(Files.readString(project.resolve("tee-output/report.html"))).isEqualTo(Report.html(views.states.get("e1")))
                .contains("e1");
    }

    @Test
    void aWriteIsASpanUnderTheFoldOfItsStateAndTheFinalReportsRenderingASpanUnderThatWrite() throws Exception {
        var exported = InMemorySpanExporter.create();
        files.spans = new WriteSpans(Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true));
        // a state whose fold is not known (written before any traced record): under the execution's own span
        publish("in_progress", 3, "{}");
        files.flushNow();
        assertThat(exported.getFinishedSpanItems()).singleElement().satisfies(w -> {
            assertThat(w.getName()).isEqualTo("state write");
            assertThat(w.getParentSpanId()).isEqualTo(ExecutionSpans.execution("e1").getSpanId());
        });
        exported.reset();

        var fold = SpanContext.createFromRemoteParent(ExecutionSpans.execution("e1").getTraceId(), "00000000000000f1",
                TraceFlags.getSampled(), TraceState.getDefault());
        files.traced("e1", fold);
        publish("completed", 4, "{}");
        files.flushNow();
        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName).containsExactly("report render", "state write");
        assertThat(spans.get(1).getParentSpanId()).isEqualTo(fold.getSpanId());
        assertThat(spans.get(1).getTraceId()).isEqualTo(fold.getTraceId());
        assertThat(spans.get(0).getParentSpanId()).isEqualTo(spans.get(1).getSpanId());
        assertThat(spans.get(1).getAttributes().get(WriteSpans.STATUS)).isEqualTo("completed");
        assertThat(spans).allSatisfy(sp -> assertThat(sp.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
    }

    @Test
    void aWriteThatFailsEndsItsSpanWithTheReason() throws Exception {
        var exported = InMemorySpanExporter.create();
        files.spans = new WriteSpans(Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true));
        Files.createDirectories(project.resolve("tee-output/engine-state.json/in-the-way")); // a directory where the file goes
        publish("in_progress", 3, "{}");
        files.flushNow();
        assertThat(exported.getFinishedSpanItems()).singleElement().satisfies(w -> {
            assertThat(w.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(w.getStatus().getDescription()).contains("engine-state.json");
        });
    }

    @Test
    void theFinalReportFollowsAStateFileMovedByTheConfiguration() throws Exception {
        publish("cancelled", 3, "{\"state_file_path\": \"out/state.json\"}");
        files.flushNow();
        assertThat(project.resolve("out/report.md")).exists();
        assertThat(project.resolve("out/report.html")).exists();
        assertThat(project.resolve("tee-output/report.md")).doesNotExist();
    }

    @Test
    void theProjectPlanGetsOnlyItsProgressKeyAndKeepsEveryUserField() throws Exception {
        publish("in_progress", 3, "{}");
        files.flushNow();
        JsonNode plan = read("ProjectPlan/project-plan.json");
        assertThat(plan.fieldNames()).toIterable().containsExactly("project_name", "infrastructure", "notes", "orchestration_progress");
        assertThat(plan.path("infrastructure").path("cloud").asText()).isEqualTo("azure");
        assertThat(plan.path("notes")).hasSize(2);
        JsonNode progress = plan.path("orchestration_progress");
        assertThat(progress.has("stale")).isFalse();
        assertThat(progress.path("execution_id").asText()).isEqualTo("e1");
        assertThat(progress.path("status").asText()).isEqualTo("in_progress");
        assertThat(progress.path("phases").fieldNames()).toIterable().containsExactly("1", "2", "11", "12");
        assertThat(progress.path("phases").path("2").path("status").asText()).isEqualTo("in_progress");
        assertThat(progress.path("phases").path("12").path("completed_at").asText()).isEqualTo("2026-01-13T12:01:30Z");
        assertThat(progress.path("tasks").path("TASK_002").path("progress").asInt()).isEqualTo(65);

        // the user edits the plan between two updates: the edit survives
        var edited = (com.fasterxml.jackson.databind.node.ObjectNode) plan;
        edited.put("owner", "alice");
        Files.writeString(project.resolve("ProjectPlan/project-plan.json"), edited.toString());
        publish("completed", 4, "{}");
        files.flushNow();
        JsonNode after = read("ProjectPlan/project-plan.json");
        assertThat(after.path("owner").asText()).isEqualTo("alice");
        assertThat(after.path("orchestration_progress").path("status").asText()).isEqualTo("completed");
    }

    @Test
    void configuredPathsAreHonouredAndMonitoringDisabledWritesOnlyTheProjectPlan() throws Exception {
        publish("in_progress", 2, "{\"state_file_path\": \"out/state.json\", \"execution_log_path\": \"out/log.json\"}");
        files.flushNow();
        assertThat(project.resolve("out/state.json")).exists();
        assertThat(project.resolve("out/log.json")).exists();
        assertThat(project.resolve("tee-output")).doesNotExist();

        Files.delete(project.resolve("out/state.json"));
        publish("in_progress", 3, "{\"state_file_path\": \"out/state.json\", \"monitoring_enabled\": false}");
        files.flushNow();
        assertThat(project.resolve("out/state.json")).doesNotExist();
        assertThat(read("ProjectPlan/project-plan.json").path("orchestration_progress").path("execution_id").asText()).isEqualTo("e1");

        publish("in_progress", 4, "{\"update_project_plan_on_progress\": false}");
        Files.writeString(project.resolve("ProjectPlan/project-plan.json"), USER_PLAN);
        files.flushNow();
        assertThat(read("ProjectPlan/project-plan.json").path("orchestration_progress").path("stale").asBoolean()).isTrue();
        assertThat(project.resolve("tee-output/engine-state.json")).exists();
    }

    @Test
    void nothingIsWrittenOutsideTheProjectOrOutsideTheRoot() throws Exception {
        publish("in_progress", 1, "{\"state_file_path\": \"../escaped.json\", \"execution_log_path\": \"/tmp/oe-abs.json\","
                + " \"project_plan_path\": \"../../plan.json\"}");
        files.flushNow();
        assertThat(root.resolve("projects/escaped.json")).doesNotExist();
        assertThat(Path.of("/tmp/oe-abs.json")).doesNotExist();

        Path outside = Files.createDirectories(root.resolve("elsewhere"));
        views.put(Fixtures.state("e2", outside.toString(), "completed", 0, "{}"));
        files.finished("e2");
        files.flushNow();
        try (var list = Files.list(outside)) {
            assertThat(list).isEmpty();
        }
        Path link = Files.createSymbolicLink(root.resolve("projects/link"), outside);
        views.put(Fixtures.state("e3", link.toString(), "completed", 0, "{}"));
        files.finished("e3");
        files.flushNow();
        try (var list = Files.list(outside)) {
            assertThat(list).isEmpty(); // a link inside the root that leads out of it is refused
        }
        for (String bad : new String[] {"", "relative/dir", root.resolve("projects/missing").toString()}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProjectFiles.projectDir(root.toString(), bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ProjectFiles.projectDir(root.toString(), project.toString())).isEqualTo(project.toRealPath());
    }

    @Test
    void aLogLongerThanTheFileKeepsGoesInAsItsLastEntriesWithANoteOfWhatWasCut() throws Exception {
        int events = MonitorTopology.FILE_LOG_LIMIT + 25;
        publish("completed", events, "{}");
        files.flushNow();
        JsonNode log = read("tee-output/execution-log.json");
        assertThat(schema("execution-log.schema.json").validate(log)).isEmpty();
        assertThat(log.path("entries")).hasSize(MonitorTopology.FILE_LOG_LIMIT);
        assertThat(log.path("entries").get(0).path("seq").asLong()).isEqualTo(26);
        assertThat(log.path("entries").get(MonitorTopology.FILE_LOG_LIMIT - 1).path("seq").asLong()).isEqualTo(events);
        assertThat(log.path("cut").path("earlier_entries").asLong()).isEqualTo(25);
        // the API still has every one of them
        assertThat(views.log("e1", 1, 100).entries()).extracting(LogEntry::getSeq).startsWith(1L).hasSize(100);
    }

    @Test
    void aStateWaitsForItsLogEntriesSoTheTwoFilesAgree() throws Exception {
        views.append(Fixtures.entry("e1", 1));
        views.put(Fixtures.state("e1", project.toString(), "completed", 2, "{}")); // seq 2 not in the log view yet
        files.finished("e1");
        files.flushNow();
        assertThat(project.resolve("tee-output/engine-state.json")).doesNotExist();
        views.append(Fixtures.entry("e1", 2));
        files.changed("e1");
        files.flushNow();
        assertThat(read("tee-output/engine-state.json").path("status").asText()).isEqualTo("completed");
        assertThat(read("tee-output/execution-log.json").path("entries")).hasSize(2);
    }

    @Test
    void aTerminalStateIsWrittenPromptlyWithoutWaitingForTheInterval() throws Exception {
        files.interval = Duration.ofHours(1);
        files.start(); // the periodic flush would take an hour
        publish("completed", 2, "{}");
        files.finished("e1");
        Path file = project.resolve("tee-output/engine-state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(read("tee-output/engine-state.json").path("status").asText()).isEqualTo("completed");
    }

    @Test
    void concurrentUpdatesOfParallelPhasesAreNeverLostNorTorn() throws Exception {
        files.interval = Duration.ofMillis(1); // flush as often as possible, to race the updates
        files.start();
        AtomicLong events = new AtomicLong();
        var pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        Path stateFile = project.resolve("tee-output/engine-state.json");
        for (int w = 0; w < 6; w++) { // six "parallel phases" each pushing updates of the same execution
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 150; i++) {
                    synchronized (views) { // the view's updates are ordered, as Kafka Streams' are per execution
                        long seq = events.incrementAndGet();
                        views.append(Fixtures.entry("e1", seq));
                        views.put(Fixtures.state("e1", project.toString(), "in_progress", seq, "{}"));
                    }
                    files.changed("e1");
                }
                return null;
            }));
        }
        for (int r = 0; r < 2; r++) { // readers: every read sees a whole document
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 300; i++) {
                    if (Files.exists(stateFile)) {
                        assertThat(StateJson.MAPPER.readTree(stateFile.toFile()).path("execution_id").asText()).isEqualTo("e1");
                        assertThat(StateJson.MAPPER.readTree(project.resolve("ProjectPlan/project-plan.json").toFile())
                                .path("infrastructure").path("cloud").asText()).isEqualTo("azure");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        views.put(Fixtures.state("e1", project.toString(), "completed", events.get(), "{}"));
        files.finished("e1");
        files.flushNow();
        JsonNode state = read("tee-output/engine-state.json");
        assertThat(state.path("event_count").asLong()).isEqualTo(900);
        assertThat(state.path("status").asText()).isEqualTo("completed");
        assertThat(read("tee-output/execution-log.json").path("entries")).hasSize(900);
        JsonNode plan = read("ProjectPlan/project-plan.json");
        assertThat(plan.path("orchestration_progress").path("status").asText()).isEqualTo("completed");
        assertThat(plan.path("notes")).hasSize(2);
        try (var list = Files.list(project.resolve("tee-output"))) {
            // no temporary file left: the state, the log and (the execution ended) the final report
            assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("engine-state.json", "execution-log.json",
                    ProjectFiles.REPORT_MD, ProjectFiles.REPORT_HTML);
        }
    }

    @Test
    void atomicWriteNeverLeavesAHalfWrittenFileNorATemporaryOne() throws Exception {
        Path file = project.resolve("tee-output/engine-state.json");
        EngineState s = Fixtures.state("e1", project.toString(), "in_progress", 1, "{}");
        var pool = Executors.newFixedThreadPool(4);
        var futures = new ArrayList<Future<?>>();
        for (int i = 0; i < 200; i++) {
            futures.add(pool.submit(() -> {
                ProjectFiles.atomicWrite(file, StateJson.MAPPER.writeValueAsBytes(StateJson.state(s)));
                return null;
            }));
            futures.add(pool.submit(() -> {
                if (Files.exists(file)) {
                    assertThat(StateJson.MAPPER.readTree(file.toFile()).path("execution_id").asText()).isEqualTo("e1");
                }
                return null;
            }));
        }
        pool.shutdown();
        for (var f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        try (var list = Files.list(file.getParent())) {
            assertThat(list).containsExactly(file);
        }
    }
}
