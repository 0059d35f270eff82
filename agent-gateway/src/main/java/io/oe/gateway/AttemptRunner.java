package io.oe.gateway;

import io.oe.core.agent.AgentDefinition;
import io.oe.core.agent.RunnerConfig;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.events.ProgressKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One attempt from phase-ready to agent-result: prepare the workspace, announce the start, heartbeat while the
 * agent runs, report its progress lines, and describe how it ended. Kafka-free: events go to the sinks it is given.
 */
final class AttemptRunner {
    private final RunnerConfig runners;
    private final Path projectRoot;
    private final String oeHome;
    private final String workerId;
    private final AgentProcess process;
    /**
     * How to stop each running agent (process tree or agent API job), by execution id, then by "phase/attempt": a
     * cancellation stops an execution's, a budget stop one attempt's.
     */
    private final Map<String, Map<String, Runnable>> live = new ConcurrentHashMap<>();
    private final HttpAgent http = new HttpAgent(java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10)).build(), System::getenv);
    private final long logCapBytes;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeats");
        t.setDaemon(true);
        return t;
    });

    private final WorkspaceRetention retention;
    private final OutputChunker.Sink output;
    private final long outputCapBytes;

    AttemptRunner(RunnerConfig runners, Path projectRoot, String oeHome, String workerId, long logCapBytes) {
        this(runners, projectRoot, oeHome, workerId, logCapBytes, Duration.ZERO);
    }

    AttemptRunner(RunnerConfig runners, Path projectRoot, String oeHome, String workerId, long logCapBytes,
            Duration workspaceRetention) {
        this(runners, projectRoot, oeHome, workerId, logCapBytes, workspaceRetention, OutputChunker.NOWHERE, 0);
    }

    /** {@code output}: where each attempt's live output chunks go, at most {@code outputCapBytes} of text per attempt. */
    AttemptRunner(RunnerConfig runners, Path projectRoot, String oeHome, String workerId, long logCapBytes,
            Duration workspaceRetention, OutputChunker.Sink output, long outputCapBytes) {
        this.output = output;
        this.outputCapBytes = outputCapBytes;
        this.retention = new WorkspaceRetention(projectRoot, workspaceRetention);
        this.runners = runners;
        this.projectRoot = projectRoot;
        this.oeHome = oeHome;
        this.workerId = workerId;
        this.process = new AgentProcess(logCapBytes);
        this.logCapBytes = logCapBytes;
    }

    /**
     * Runs the attempt. {@code started} is called (and must have published) before the agent starts; progress and
     * heartbeats go to {@code progress}.
     */
    AgentResult run(PhaseReady r, Consumer<AgentProgress> started, Consumer<AgentProgress> progress) throws InterruptedException {
        return run(r, Map.of(), started, progress);
    }

    /**
     * {@code trace}: the W3C trace context headers of the attempt's agent-run span ({@link AgentRunTrace}), handed to
     * the agent: as {@code TRACEPARENT} / {@code TRACESTATE} in a process's environment, as headers on the HTTP
     * runner's requests. Empty when traces are off.
     */
    AgentResult run(PhaseReady r, Map<String, String> trace, Consumer<AgentProgress> started, Consumer<AgentProgress> progress)
            throws InterruptedException {
        Instant startedAt = Instant.now();
        Workspace ws;
        try {
            ws = Workspace.prepare(r, projectRoot);
            retention.maybePrune(Path.of(r.getProjectDir()).toAbsolutePath().normalize(), r.getExecutionId(), startedAt);
        } catch (Exception e) {
            return result(r, startedAt, null, "workspace not prepared, agent not started: " + e.getMessage(), null, null);
        }
        if (r.getDryRun()) {
            return dryRun(r, started, progress, startedAt, ws);
        }
        var definition = AgentDefinition.tryParse(r.getAgentDefinition());
        String requestedRunner = definition.map(AgentDefinition::runner).orElse(null);
        RunnerConfig.Profile profile;
        String model;
        try { // the plan-loader checked both against the same file; this covers a file changed since
            profile = runners.profileFor(r.getAgent(), requestedRunner);
            model = runners.modelFor(r.getAgent(), requestedRunner, definition.map(AgentDefinition::model).orElse(null));
        } catch (IllegalArgumentException e) {
            return result(r, startedAt, null, e.getMessage(), null, ws.dir().toString());
        }
        if (profile.inProcessNoop()) { // the engine's own work, and nothing else (bench/run --runner noop-in-process)
            started.accept(event(r, ProgressKind.STARTED, null, null, "agent " + r.getAgent() + " runs nothing ("
                    + RunnerConfig.Profile.IN_PROCESS_NOOP + ")"));
            return result(r, startedAt, 0, null, null, ws.dir().toString());
        }
        long logCap = profile.limits().logBytes() != null ? profile.limits().logBytes() : logCapBytes;
        Duration timeout = Duration.ofMillis(profile.timeoutMs(r.getTimeoutMs()));
        if (profile.http() != null) {
            started.accept(event(r, ProgressKind.STARTED, null, null, "agent " + r.getAgent() + " starting: POST "
                    + profile.http().url()));
            OutputChunker chunks = chunker(r, profile);
            return supervise(r, started, progress, (listener, stopper) -> http.run(profile.http(), r, ws, timeout, logCap,
                    listener, stopper, chunks, trace), startedAt, ws, new AttemptUsage(model, runners), chunks);
        }
        Map<String, String> values = new HashMap<>();
        values.put("phase_file", ws.phaseFile().toString());
        values.put("prompt_file", ws.promptFile().toString());
        values.put("workspace", ws.dir().toString());
        values.put("inputs_dir", ws.inputs().toString());
        values.put("outputs_dir", ws.outputs().toString());
        values.put("agent", r.getAgent().replaceFirst("^@", ""));
        values.put("model", model);
        values.put("oe_home", oeHome);
        var argv = RunnerConfig.render(profile.argv(), values);
        Map<String, String> env = new HashMap<>();
        for (String name : profile.envPassthrough()) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        profile.env().forEach((k, v) -> env.put(k, RunnerConfig.render(List.of(v), values).get(0)));
        env.put("OE_EXECUTION_ID", r.getExecutionId());
        env.put("OE_PHASE_ID", String.valueOf(r.getPhaseId()));
        env.put("OE_PHASE_NAME", r.getPhaseName());
        env.put("OE_AGENT", r.getAgent());
        env.put("OE_ATTEMPT", String.valueOf(r.getAttempt()));
        env.put("OE_WORKSPACE", ws.dir().toString());
        env.put("OE_PHASE_FILE", ws.phaseFile().toString());
        env.put("OE_PROMPT_FILE", ws.promptFile().toString());
        env.put("OE_INPUTS_DIR", ws.inputs().toString());
        env.put("OE_OUTPUTS_DIR", ws.outputs().toString());
        trace.forEach((header, value) -> env.put(header.toUpperCase(Locale.ROOT), value)); // TRACEPARENT, TRACESTATE
        Path workingDir = Path.of(RunnerConfig.render(List.of(
                profile.workingDir() == null ? "{workspace}" : profile.workingDir()), values).get(0));
        if (!Files.isDirectory(workingDir)) {
            return result(r, startedAt, null, "working directory " + workingDir + " does not exist", null, ws.dir().toString());
        }
        FileChannel log;
        try {
            log = ws.createLog(projectRoot);
        } catch (IOException | RuntimeException e) {
            return result(r, startedAt, null, "workspace not prepared, agent not started: " + e.getMessage(), null,
                    ws.dir().toString());
        }
        try {
            started.accept(event(r, ProgressKind.STARTED, null, null, "agent " + r.getAgent() + " starting: " + argv.get(0)));
            AgentProcess agent = logCap == logCapBytes ? process : new AgentProcess(logCap);
            OutputChunker chunks = chunker(r, profile);
            return supervise(r, started, progress, (listener, stopper) -> agent.run(argv, env, workingDir, log, timeout,
                    listener, p -> stopper.accept(() -> AgentProcess.stopTree(p)), CliUsage.reader(profile.usageFormat()),
                    chunks), startedAt, ws, new AttemptUsage(model, runners), chunks);
        } finally {
            try {
                log.close();
            } catch (IOException e) {
                // the attempt's outcome is known; a log that does not close changes nothing about it
            }
        }
    }

    /**
     * A dry run's attempt: no agent process, no agent API call, no token. Sample outputs are written in-process
     * ({@link DryRunOutputs}) and the tasks reported done, so the state reads as a run would.
     */
    private AgentResult dryRun(PhaseReady r, Consumer<AgentProgress> started, Consumer<AgentProgress> progress,
            Instant startedAt, Workspace ws) {
        started.accept(event(r, ProgressKind.STARTED, null, null, "dry run: agent " + r.getAgent()
                + " not started; the gateway writes sample outputs"));
        r.getTasks().forEach(t -> progress.accept(event(r, ProgressKind.TASK_STARTED, t.getId(), 0, null)));
        String error = DryRunOutputs.write(r, ws);
        if (error == null) {
            r.getTasks().forEach(t -> progress.accept(event(r, ProgressKind.TASK_COMPLETED, t.getId(), 100, null)));
        }
        return result(r, startedAt, error == null ? 0 : null, error, null, ws.dir().toString());
    }

    /** One way of running an agent: reports progress lines to the listener and hands over how to stop it. */
    private interface Run {
        AgentProcess.Outcome run(AgentProcess.Listener listener, Consumer<Runnable> stopper) throws InterruptedException;
    }

    /** The attempt's live output, capped by its profile's {@code limits.output_bytes} or else the gateway's cap. */
    private OutputChunker chunker(PhaseReady r, RunnerConfig.Profile profile) {
        long cap = profile.limits().outputBytes() != null ? profile.limits().outputBytes() : outputCapBytes;
        return new OutputChunker(r.getExecutionId(), r.getPhaseId(), r.getAttempt(), workerId, cap, output);
    }

    /**
     * What every run gets: heartbeats, progress events, the task-timeout watchdog, cancellation, and its live output
     * flushed as it waits (ended with its last chunk).
     */
    private AgentResult supervise(PhaseReady r, Consumer<AgentProgress> started, Consumer<AgentProgress> progress, Run run,
            Instant startedAt, Workspace ws, AttemptUsage usage, OutputChunker chunks) throws InterruptedException {
        var usageUpdates = new UsageUpdates(() -> progress.accept(usageEvent(r, usage)));
        var flusher = heartbeats.scheduleAtFixedRate(() -> {
            chunks.tick(System.currentTimeMillis());
            usageUpdates.tick(System.currentTimeMillis());
        },
                OutputChunker.FLUSH_MILLIS / 2, OutputChunker.FLUSH_MILLIS / 2, TimeUnit.MILLISECONDS);
        var beat = heartbeats.scheduleAtFixedRate(() -> progress.accept(event(r, ProgressKind.HEARTBEAT, null, null, null)),
                r.getHeartbeatIntervalMs(), Math.max(100, r.getHeartbeatIntervalMs()), TimeUnit.MILLISECONDS);
        // Task timeout: a task the agent reported as started must be reported completed within task_timeout.
        Map<String, Long> openTasks = new ConcurrentHashMap<>();
        var stop = new java.util.concurrent.atomic.AtomicReference<Runnable>();
        var overrun = new java.util.concurrent.atomic.AtomicReference<String>();
        long taskTimeout = r.getTaskTimeoutMs();
        var watchdog = taskTimeout <= 0 ? null : heartbeats.scheduleAtFixedRate(() -> openTasks.forEach((task, since) -> {
            if (System.currentTimeMillis() - since > taskTimeout && overrun.compareAndSet(null, task) && stop.get() != null) {
                stop.get().run();
            }
        }), 250, 250, TimeUnit.MILLISECONDS);
        try {
            var outcome = run.run(line -> {
                if (line.kind() == ProgressLine.Kind.USAGE) {
                    usage.add(line.usage()); // summed into the agent-result, and its totals so far sent for the budgets
                    if (line.usage().problem() == null) {
                        usageUpdates.accepted(System.currentTimeMillis());
                    }
                    return;
                }
                if (line.kind() == ProgressLine.Kind.TASK_STARTED) {
                    openTasks.put(line.taskId(), System.currentTimeMillis());
                } else if (line.kind() == ProgressLine.Kind.TASK_COMPLETED) {
                    openTasks.remove(line.taskId());
                }
                progress.accept(event(r, switch (line.kind()) {
                    case TASK_STARTED -> ProgressKind.TASK_STARTED;
                    case TASK_PROGRESS -> ProgressKind.TASK_PROGRESS;
                    case TASK_COMPLETED -> ProgressKind.TASK_COMPLETED;
                    case USAGE -> throw new IllegalStateException("handled above");
                }, line.taskId(), line.percent(), null));
            }, stopper -> {
                stop.set(stopper);
                live.computeIfAbsent(r.getExecutionId(), k -> new ConcurrentHashMap<>())
                        .put(r.getPhaseId() + "/" + r.getAttempt(), stopper);
            });
            String error = overrun.get() != null ? "task " + overrun.get() + " exceeded its task timeout of "
                    + (taskTimeout < 10_000 ? taskTimeout + " ms" : taskTimeout / 1000 + " s") + "; agent stopped" : outcome.error();
            return withUsage(result(r, startedAt, outcome.exitCode(), error,
                    outcome.success() && error == null ? null : outcome.outputTail(), ws.dir().toString()), usage);
        } finally {
            flusher.cancel(false);
            chunks.finish(System.currentTimeMillis());
            beat.cancel(false);
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            live.computeIfPresent(r.getExecutionId(), (k, running) -> {
                running.remove(r.getPhaseId() + "/" + r.getAttempt());
                return running.isEmpty() ? null : running;
            });
        }
    }

    /** Stops every agent process of an execution (and their descendants); returns how many were running. */
    int cancel(String executionId) {
        var running = live.remove(executionId);
        if (running == null) {
            return 0;
        }
        running.values().forEach(Runnable::run);
        return running.size();
    }

    /** Stops one attempt's agent if it runs here (the scheduler stopped it: its budget is used up); whether it did. */
    boolean stop(String executionId, int phaseId, int attempt) {
        var running = live.get(executionId);
        Runnable stopper = running == null ? null : running.remove(phaseId + "/" + attempt);
        if (stopper != null) {
            stopper.run();
        }
        return stopper != null;
    }

    /** A USAGE progress event: the attempt's usage totals so far, by model, priced. */
    private AgentProgress usageEvent(PhaseReady r, AttemptUsage usage) {
        AgentProgress e = event(r, ProgressKind.USAGE, null, null, null);
        e.setUsage(usage.usage());
        return e;
    }

    private AgentProgress event(PhaseReady r, ProgressKind kind, String task, Integer percent, String message) {
        return new AgentProgress(r.getExecutionId(), r.getPhaseId(), r.getAttempt(), kind, task, percent, message, workerId,
                Instant.now(), List.of());
    }

    /** The attempt's usage, summed and priced, and the reports refused or unpriced, on its result. */
    private static AgentResult withUsage(AgentResult result, AttemptUsage usage) {
        result.setUsage(usage.usage());
        result.setUsageProblems(usage.problems());
        return result;
    }

    private AgentResult result(PhaseReady r, Instant startedAt, Integer exitCode, String error, String tail, String workspace) {
        return AgentResult.newBuilder()
                .setExecutionId(r.getExecutionId())
                .setPhaseId(r.getPhaseId())
                .setAttempt(r.getAttempt())
                .setAgent(r.getAgent())
                .setProjectDir(r.getProjectDir())
                .setSuccess(error == null && exitCode != null && exitCode == 0)
                .setExitCode(exitCode)
                .setError(error)
                .setStderrTail(tail == null ? null : ProgressLine.sanitize(tail))
                .setStartedAt(startedAt)
                .setEndedAt(Instant.now())
                .setWorkspaceDir(workspace == null ? "" : workspace)
                .setOutputs(r.getOutputs())
                .setWorkerId(workerId)
                .build();
    }
}
