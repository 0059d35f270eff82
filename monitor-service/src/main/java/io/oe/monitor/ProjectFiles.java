package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.artifact.Paths2;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes the seed's outputs into each execution's project: the engine state file, the execution log, and the
 * project plan's {@code orchestration_progress}. One writer thread owns every write, so parallel updates are never
 * interleaved or lost; bursts are coalesced (every {@code oe.monitor.write-interval}) and a finished execution is
 * written at once. Each file is written to a temporary file beside it and renamed into place.
 */
@ApplicationScoped
public class ProjectFiles {
    private static final Logger LOG = Logger.getLogger(ProjectFiles.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper PRETTY =
            StateJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    @Inject
    Views views;
    @ConfigProperty(name = "oe.project-root")
    String projectRoot;
    @ConfigProperty(name = "oe.monitor.write-interval")
    Duration interval;

    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "project-files"));

    void start(@Observes StartupEvent ev) {
        writer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        writer.submit(this::flush);
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }

    void changed(String executionId) {
        dirty.add(executionId);
    }

    private void flush() {
        for (String id : Set.copyOf(dirty)) {
            dirty.remove(id);
            try {
                views.state(id).ifPresent(this::write);
            } catch (Views.ViewsNotReadyException e) {
                dirty.add(id); // try again on the next round
            } catch (Exception e) {
                LOG.warnf("files of %s not written: %s", id, e.getMessage());
            }
        }
    }

    void write(EngineState s) {
        Path project = Path.of(s.getProjectDir()).toAbsolutePath().normalize();
        if (!project.startsWith(Path.of(projectRoot).toAbsolutePath().normalize())) {
            LOG.warnf("execution %s: project %s is outside the project root %s; files not written", s.getExecutionId(),
                    project, projectRoot);
            return;
        }
        JsonNode config = StateJson.config(s);
        try {
            if (config.path("monitoring_enabled").asBoolean(true)) {
                atomicWrite(Paths2.confine(project, config.path("state_file_path").asText("tee-output/engine-state.json")),
                        PRETTY.writeValueAsBytes(StateJson.state(s)));
                atomicWrite(Paths2.confine(project, config.path("execution_log_path").asText("tee-output/execution-log.json")),
                        PRETTY.writeValueAsBytes(StateJson.log(s.getExecutionId(), views.log(s.getExecutionId(), 0, 1_000_000))));
            }
            if (config.path("update_project_plan_on_progress").asBoolean(true)) {
                updateProjectPlan(Paths2.confine(project, config.path("project_plan_path").asText("ProjectPlan/project-plan.json")), s);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("execution %s: cannot write its files: %s", s.getExecutionId(), e.getMessage());
        }
    }

    /** Sets only {@code orchestration_progress}; every field the user wrote stays as it was. */
    static void updateProjectPlan(Path file, EngineState s) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonNode root = StateJson.MAPPER.readTree(file.toFile());
        if (!(root instanceof ObjectNode plan)) {
            return;
        }
        ObjectNode progress = StateJson.MAPPER.createObjectNode();
        progress.put("execution_id", s.getExecutionId());
        progress.put("status", s.getStatus());
        progress.put("updated_at", (s.getUpdatedAt() == null ? Instant.now() : s.getUpdatedAt()).toString());
        ObjectNode phases = progress.putObject("phases");
        for (PhaseState p : s.getPhases().values()) {
            ObjectNode n = phases.putObject(String.valueOf(p.getId()));
            n.put("name", p.getName());
            n.put("status", p.getStatus());
            n.put("started_at", p.getStartedAt() == null ? null : p.getStartedAt().toString());
            n.put("completed_at", p.getCompletedAt() == null ? null : p.getCompletedAt().toString());
        }
        ObjectNode tasks = progress.putObject("tasks");
        for (TaskState t : s.getTasks().values()) {
            tasks.putObject(t.getId()).put("status", t.getStatus()).put("progress", t.getProgress());
        }
        plan.set("orchestration_progress", progress);
        atomicWrite(file, PRETTY.writeValueAsBytes(plan));
    }

    static void atomicWrite(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
