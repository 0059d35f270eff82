package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.oe.events.Alert;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.Severity;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFilesTest {
    @TempDir
    Path dir;
    private final Instant t0 = Instant.parse("2026-01-13T12:00:00Z");

    private EngineState state(String status, String phase2) {
        return EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p1").setProjectName("Demo")
                .setProjectDir(dir.toString()).setStatus(status).setStartTime(t0).setUpdatedAt(t0.plusSeconds(5))
                .setCurrentPhase(2).setCurrentPhases(List.of(2))
                .setPhases(Map.of("1", new PhaseState(1, "Plan", "@plan", "prep", "completed", 0, null, t0, "done before", null, List.of()),
                        "2", new PhaseState(2, "Docs", "@doc", "prep", phase2, 1, t0, null, null, null,
                                List.of(new io.oe.events.AttemptRecord(1, t0, t0, null, null, null, "w1")))))
                .setTasks(Map.of("T2", new TaskState("T2", 2, "Glossary", "in_progress", 65, t0, null),
                        "T1", new TaskState("T1", 2, "Overview", "completed", 100, t0, t0.plusSeconds(90))))
                .setTiers(List.of(new TierProgress("prep", "sequential", List.of(1, 2), 1, 0, 1, 0, 0)))
                .setAlerts(List.of(new Alert("a1", "e1", 2, Severity.WARNING, "phase_failed", "boom", t0)))
                .build();
    }

    @Test
    void theStateFileIsTheSeedsModelAndMatchesItsSchema() throws Exception {
        JsonNode json = StateJson.state(state("in_progress", "in_progress"));
        assertThat(json.path("phases").path("2").path("status").asText()).isEqualTo("in_progress");
        assertThat(json.path("tasks").path("T1").path("duration_minutes").asDouble()).isEqualTo(1.5);
        assertThat(json.path("tasks").fieldNames()).toIterable().containsExactly("T1", "T2");
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m ->
                m.mapPrefix("https://oe.io/schemas/", "classpath:json/")));
        var schema = factory.getSchema(SchemaLocation.of("https://oe.io/schemas/engine-state.schema.json"),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        assertThat(schema.validate(json)).isEmpty();
        assertThat(Report.markdown(state("completed", "completed"))).contains("# Execution report: Demo", "| 2 Docs | @doc |",
                "| T1 | 2 | Overview | completed | 100% |", "WARNING phase_failed: boom");
    }

    @Test
    void theProjectPlanKeepsEveryUserFieldAndGetsOnlyItsProgress() throws Exception {
        Path plan = Files.writeString(dir.resolve("project-plan.json"),
                "{\"project_name\": \"Demo\", \"infrastructure\": {\"cloud\": \"azure\"}, \"notes\": [1, 2]}");
        ProjectFiles.updateProjectPlan(plan, state("in_progress", "in_progress"));
        JsonNode after = StateJson.MAPPER.readTree(plan.toFile());
        assertThat(after.path("infrastructure").path("cloud").asText()).isEqualTo("azure");
        assertThat(after.path("notes")).hasSize(2);
        assertThat(after.path("orchestration_progress").path("phases").path("2").path("status").asText()).isEqualTo("in_progress");
        assertThat(after.path("orchestration_progress").path("tasks").path("T2").path("progress").asInt()).isEqualTo(65);
    }

    @Test
    void concurrentWritesNeverLeaveAHalfWrittenFile() throws Exception {
        Path file = dir.resolve("tee-output/engine-state.json");
        var pool = Executors.newFixedThreadPool(4);
        var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (int i = 0; i < 200; i++) {
            String status = i % 2 == 0 ? "in_progress" : "completed";
            futures.add(pool.submit(() -> {
                ProjectFiles.atomicWrite(file, StateJson.MAPPER.writeValueAsBytes(StateJson.state(state(status, status))));
                return null;
            }));
            futures.add(pool.submit(() -> {
                if (Files.exists(file)) { // every read sees a whole document, never a torn one
                    assertThat(StateJson.MAPPER.readTree(file.toFile()).path("execution_id").asText()).isEqualTo("e1");
                }
                return null;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (var f : futures) {
            f.get(); // rethrows any failed write or torn read
        }
        assertThat(StateJson.MAPPER.readTree(file.toFile()).path("execution_id").asText()).isEqualTo("e1");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }
}
