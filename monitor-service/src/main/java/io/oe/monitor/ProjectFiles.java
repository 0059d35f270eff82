package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.artifact.Paths2;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes the seed's outputs into each execution's project: the engine state file ({@code state_file_path}, the same
 * JSON as {@code GET /api/v1/executions/{id}}), the execution log ({@code execution_log_path}) and the project plan's
 * {@code orchestration_progress} ({@code project_plan_path}), paths from the execution's engine.config.json.
 *
 * <ul>
 * <li>One writer thread owns every write, so two updates of one project are never interleaved and an older state can
 * never overwrite a newer one: the writer always reads the latest state from the view at the moment it writes.</li>
 * <li>Bursts are coalesced: a changed execution is written at most every {@code oe.monitor.write-interval}; a state that
 * reached a terminal status is written at once.</li>
 * <li>The state and the log come from two topics: a state is written once the log view holds its entries (up to
 * its {@code event_count}), so the files agree; after {@link #LOG_CATCH_UP} it is written regardless.</li>
 * <li>Each file is written to a temporary file beside it and renamed into place (atomic on one file system).</li>
 * <li>Confinement: the project directory must be an existing absolute directory inside {@code oe.project-root}
 * (symbolic links resolved), and every configured path must stay inside it; otherwise a warning and nothing is
 * written.</li>
 * <li>{@code monitoring_enabled: false} turns off the state and log files (the monitoring outputs) but not the REST
 * views; the project plan follows {@code update_project_plan_on_progress} alone.</li>
 * <li>A dry run changes none of the project's own files: its state, log and final report go to
 * {@code tee-output/dry-runs/<execution>/} (the same names as a run's), and the project plan is not touched.</li>
 * </ul>
 */
@ApplicationScoped
public class ProjectFiles {
    /** The final report's files, written beside the state file when the execution ends. */
    static final String REPORT_MD = "report.md";
    static final String REPORT_HTML = "report.html";
    /** Under the project: one directory per dry run, for its state, log and report. */
    static final String DRY_RUNS = "tee-output/dry-runs";
    private static final Logger LOG = Logger.getLogger(ProjectFiles.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper PRETTY =
            StateJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
    /** How long a state waits for the log view to catch up before it is written anyway. */
    static final Duration LOG_CATCH_UP = Duration.ofSeconds(2);
    private static final long RETRY_MS = 20;

    @Inject
    Views views;
    @Inject
    WriteSpans spans;
    @ConfigProperty(name = "oe.project-root")
    String projectRoot;
    @ConfigProperty(name = "oe.monitor.write-interval")
    Duration interval;

    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    /** Writer thread only: since when an execution's log view lags behind its state. */
    private final Map<String, Long> lagging = new HashMap<>();
    /**
     * Writer thread only: when each running execution's files may be written next. A write of a big execution (its
     * whole state and a log of thousands of entries) costs tens of milliseconds: it is not repeated before
     * {@link #WRITE_COST_FACTOR} times that has passed, so the writer spends at most a tenth of its time on one
     * execution however big (a finished one is written at once).
     */
    private final Map<String, Long> nextWrite = new HashMap<>();
    static final int WRITE_COST_FACTOR = 10;
    /** Writer thread only: executions already warned about (a refused project is not re-logged on every update). */
    private final Set<String> warned = new HashSet<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "project-files");
        t.setDaemon(true);
        return t;
    });

    void start(@Observes StartupEvent ev) {
        start();
    }

    void start() {
        writer.scheduleWithFixedDelay(this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        close();
    }

    void close() throws InterruptedException {
        try {
            writer.submit(() -> flush(true)); // everything still dirty, whatever its pace
        } catch (RejectedExecutionException e) {
            return; // already closed
        }
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The execution's state or log changed: its files will be rewritten within the write interval. */
    void changed(String executionId) {
        dirty.add(executionId);
    }

    /** The execution's latest state came from this fold of the projector: its next write is that span's child. */
    void traced(String executionId, SpanContext fold) {
        spans.traced(executionId, fold);
    }

    /** The execution reached a terminal status: its files are rewritten now. */
    void finished(String executionId) {
        dirty.add(executionId);
        try {
            writer.execute(this::flush);
        } catch (RejectedExecutionException e) {
            // shutting down: the final flush of close() takes it
        }
    }

    /** Runs a flush of everything dirty on the writer thread, whatever its pace, and waits for it. */
    void flushNow() throws Exception {
        writer.submit(() -> flush(true)).get();
    }

    private void flush() {
        flush(false);
    }

    /** {@code all}: every dirty execution now; otherwise each one once its pace allows (finished ones at once). */
    private void flush(boolean all) {
        for (String id : Set.copyOf(dirty)) {
            dirty.remove(id);
            try {
                var state = views.state(id);
                if (state.isEmpty()) {
                    continue;
                }
                boolean finished = ExecutionStatus.isTerminal(state.get().getStatus());
                long now = System.nanoTime();
                if (!all && !finished && now < nextWrite.getOrDefault(id, now)) {
                    dirty.add(id); // written again once its pace allows
                    continue;
                }
                // the file holds the last entries of a very long execution (the API pages through every one)
                List<LogEntry> log = views.log(id, Math.max(0, state.get().getEventCount() - MonitorTopology.FILE_LOG_LIMIT + 1),
                        MonitorTopology.FILE_LOG_LIMIT).entries();
                if (logLags(state.get(), log)) {
                    dirty.add(id);
                    retrySoon();
                    continue;
                }
                write(state.get(), log);
                long took = System.nanoTime() - now;
                if (finished) {
                    nextWrite.remove(id);
                } else {
                    nextWrite.put(id, System.nanoTime() + Math.max(interval.toNanos(), WRITE_COST_FACTOR * took));
                }
            } catch (Views.ViewsNotReadyException e) {
                dirty.add(id); // try again on the next round
            } catch (Exception e) {
                LOG.warnf("files of %s not written: %s", id, e.getMessage());
            }
        }
    }

    private boolean logLags(EngineState s, List<LogEntry> log) {
        long last = log.isEmpty() ? 0 : log.get(log.size() - 1).getSeq();
        if (last >= s.getEventCount()) {
            lagging.remove(s.getExecutionId());
            return false;
        }
        long since = lagging.computeIfAbsent(s.getExecutionId(), k -> System.nanoTime());
        if (System.nanoTime() - since > LOG_CATCH_UP.toNanos()) {
            lagging.remove(s.getExecutionId());
            return false; // write what there is; the next log update rewrites it
        }
        return true;
    }

    private void retrySoon() {
        if (retryScheduled.compareAndSet(false, true)) {
            writer.schedule(() -> {
                retryScheduled.set(false);
                flush();
            }, RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the execution's files; call on the writer thread only. */
    void write(EngineState s, List<LogEntry> log) {
        Path project;
        try {
            project = projectDir(projectRoot, s.getProjectDir());
        } catch (IllegalArgumentException e) {
            if (warned.add(s.getExecutionId() + ": " + e.getMessage())) {
                LOG.warnf("execution %s: files not written: %s", s.getExecutionId(), e.getMessage());
            }
            return;
        }
        JsonNode config = StateJson.config(s);
        Span span = spans.stateWrite(s);
        Exception failed = null;
        try {
            if (config.path("monitoring_enabled").asBoolean(true)) {
                Path stateFile = s.getDryRun() ? dryRunDir(project, s).resolve("engine-state.json")
                        : Paths2.confine(project, config.path("state_file_path").asText("tee-output/engine-state.json"));
                atomicWrite(stateFile, PRETTY.writeValueAsBytes(StateJson.state(s)));
                atomicWrite(s.getDryRun() ? dryRunDir(project, s).resolve("execution-log.json")
                        : Paths2.confine(project, config.path("execution_log_path").asText("tee-output/execution-log.json")),
                        PRETTY.writeValueAsBytes(StateJson.logFile(s.getExecutionId(), log)));
                if (ExecutionStatus.isTerminal(s.getStatus())) {
                    // the seed's end-of-run step: the final report beside the state and the log (a rerun that ends
                    // again writes it again)
                    writeReport(stateFile, s, span);
                }
            }
            if (config.path("update_project_plan_on_progress").asBoolean(true) && !s.getDryRun()) {
                updateProjectPlan(Paths2.confine(project, config.path("project_plan_path").asText("ProjectPlan/project-plan.json")), s);
            }
        } catch (IOException | IllegalArgumentException e) {
            failed = e;
            if (warned.add(s.getExecutionId() + ": " + e.getMessage())) {
                LOG.warnf("execution %s: cannot write its files: %s", s.getExecutionId(), e.getMessage());
            }
        } finally {
            WriteSpans.end(span, failed);
        }
    }

    private void writeReport(Path stateFile, EngineState s, Span stateWrite) throws IOException {
        Span span = spans.reportRender(stateWrite, s);
        IOException failed = null;
        try {
            atomicWrite(stateFile.resolveSibling(REPORT_MD), Report.markdown(s).getBytes(StandardCharsets.UTF_8));
            atomicWrite(stateFile.resolveSibling(REPORT_HTML), Report.html(s).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failed = e;
            throw e;
        } finally {
            WriteSpans.end(span, failed);
        }
    }

    /** Where a dry run's state, log and report go: beside the real run's files, never over them. */
    static Path dryRunDir(Path project, EngineState s) {
        return Paths2.confine(project, DRY_RUNS + "/" + Paths2.checkName(s.getExecutionId()));
    }

    /**
     * The project directory, real path, refused unless it is an existing absolute directory inside the project root
     * (symbolic links resolved on both sides).
     */
    static Path projectDir(String projectRoot, String projectDir) {
        if (projectDir == null || projectDir.isBlank() || !Path.of(projectDir).isAbsolute()) {
            throw new IllegalArgumentException("project directory '" + projectDir + "' is not an absolute path");
        }
        Path root = Path.of(projectRoot).toAbsolutePath().normalize();
        try {
            root = root.toRealPath();
        } catch (IOException e) {
            // a root that does not exist contains no project: the check below refuses every one
        }
        Path project;
        try {
            project = Path.of(projectDir).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("project directory " + projectDir + " does not exist");
        }
        if (!project.startsWith(root)) {
            throw new IllegalArgumentException("project directory " + project + " is outside the project root " + root);
        }
        if (!Files.isDirectory(project)) {
            throw new IllegalArgumentException("project directory " + project + " is not a directory");
        }
        return project;
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
        for (PhaseState p : s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).toList()) {
            ObjectNode n = phases.putObject(String.valueOf(p.getId()));
            n.put("name", p.getName());
            n.put("status", p.getStatus());
            n.put("started_at", p.getStartedAt() == null ? null : p.getStartedAt().toString());
            n.put("completed_at", p.getCompletedAt() == null ? null : p.getCompletedAt().toString());
        }
        ObjectNode tasks = progress.putObject("tasks");
        for (TaskState t : s.getTasks().values().stream().sorted(Comparator.comparing(TaskState::getId)).toList()) {
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
