package io.oe.gateway;

import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.events.ProgressKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    /** Running agent processes by execution id, so that a cancelled execution's agents can be stopped. */
    private final Map<String, java.util.Set<Process>> live = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heartbeats");
        t.setDaemon(true);
        return t;
    });

    AttemptRunner(RunnerConfig runners, Path projectRoot, String oeHome, String workerId, long logCapBytes) {
        this.runners = runners;
        this.projectRoot = projectRoot;
        this.oeHome = oeHome;
        this.workerId = workerId;
        this.process = new AgentProcess(logCapBytes);
    }

    /**
     * Runs the attempt. {@code started} is called (and must have published) before the agent starts; progress and
     * heartbeats go to {@code progress}.
     */
    AgentResult run(PhaseReady r, Consumer<AgentProgress> started, Consumer<AgentProgress> progress) throws InterruptedException {
        Instant startedAt = Instant.now();
        Workspace ws;
        try {
            ws = Workspace.prepare(r, projectRoot);
        } catch (Exception e) {
            return result(r, startedAt, null, "workspace not prepared, agent not started: " + e.getMessage(), null, null);
        }
        var profile = runners.profileFor(r.getAgent());
        if (profile.isEmpty()) {
            return result(r, startedAt, null, "no runner profile for agent " + r.getAgent()
                    + " in the gateway's runner configuration", null, ws.dir().toString());
        }
        Map<String, String> values = new HashMap<>();
        values.put("phase_file", ws.phaseFile().toString());
        values.put("prompt_file", ws.promptFile().toString());
        values.put("workspace", ws.dir().toString());
        values.put("inputs_dir", ws.inputs().toString());
        values.put("outputs_dir", ws.outputs().toString());
        values.put("agent", r.getAgent().replaceFirst("^@", ""));
        values.put("model", model(r.getAgentDefinition()));
        values.put("oe_home", oeHome);
        var argv = RunnerConfig.render(profile.get().argv(), values);
        Map<String, String> env = new HashMap<>();
        for (String name : profile.get().envPassthrough()) {
            String v = System.getenv(name);
            if (v != null) {
                env.put(name, v);
            }
        }
        profile.get().env().forEach((k, v) -> env.put(k, RunnerConfig.render(java.util.List.of(v), values).get(0)));
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
        Path workingDir = Path.of(RunnerConfig.render(java.util.List.of(
                profile.get().workingDir() == null ? "{workspace}" : profile.get().workingDir()), values).get(0));
        if (!Files.isDirectory(workingDir)) {
            return result(r, startedAt, null, "working directory " + workingDir + " does not exist", null, ws.dir().toString());
        }
        started.accept(event(r, ProgressKind.STARTED, null, null, "agent " + r.getAgent() + " starting: " + argv.get(0)));
        var beat = heartbeats.scheduleAtFixedRate(() -> progress.accept(event(r, ProgressKind.HEARTBEAT, null, null, null)),
                r.getHeartbeatIntervalMs(), Math.max(100, r.getHeartbeatIntervalMs()), TimeUnit.MILLISECONDS);
        // Task timeout: a task the agent reported as started must be reported completed within task_timeout.
        Map<String, Long> openTasks = new java.util.concurrent.ConcurrentHashMap<>();
        var agentProcess = new java.util.concurrent.atomic.AtomicReference<Process>();
        var overrun = new java.util.concurrent.atomic.AtomicReference<String>();
        long taskTimeout = r.getTaskTimeoutMs();
        var watchdog = taskTimeout <= 0 ? null : heartbeats.scheduleAtFixedRate(() -> openTasks.forEach((task, since) -> {
            if (System.currentTimeMillis() - since > taskTimeout && overrun.compareAndSet(null, task)
                    && agentProcess.get() != null) {
                AgentProcess.stopTree(agentProcess.get());
            }
        }), 250, 250, TimeUnit.MILLISECONDS);
        try {
            var outcome = process.run(argv, env, workingDir, ws.log(), Duration.ofMillis(r.getTimeoutMs()), line -> {
                if (line.kind() == ProgressLine.Kind.TASK_STARTED) {
                    openTasks.put(line.taskId(), System.currentTimeMillis());
                } else if (line.kind() == ProgressLine.Kind.TASK_COMPLETED) {
                    openTasks.remove(line.taskId());
                }
                progress.accept(event(r, switch (line.kind()) {
                    case TASK_STARTED -> ProgressKind.TASK_STARTED;
                    case TASK_PROGRESS -> ProgressKind.TASK_PROGRESS;
                    case TASK_COMPLETED -> ProgressKind.TASK_COMPLETED;
                }, line.taskId(), line.percent(), null));
            }, p -> {
                agentProcess.set(p);
                live.computeIfAbsent(r.getExecutionId(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(p);
            });
            String error = overrun.get() != null ? "task " + overrun.get() + " exceeded its task timeout of "
                    + (taskTimeout < 10_000 ? taskTimeout + " ms" : taskTimeout / 1000 + " s") + "; process tree stopped" : outcome.error();
            return result(r, startedAt, outcome.exitCode(), error, outcome.success() && error == null ? null : outcome.outputTail(),
                    ws.dir().toString());
        } finally {
            beat.cancel(false);
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            live.computeIfPresent(r.getExecutionId(), (k, set) -> {
                set.removeIf(p -> !p.isAlive());
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Stops every agent process of an execution (and their descendants); returns how many were running. */
    int cancel(String executionId) {
        var set = live.remove(executionId);
        if (set == null) {
            return 0;
        }
        set.forEach(AgentProcess::stopTree);
        return set.size();
    }

    private static String model(String definition) {
        if (definition == null) {
            return "";
        }
        var m = java.util.regex.Pattern.compile("(?m)^model:\\s*['\"]?([^'\"\\n]+)").matcher(definition);
        return m.find() ? m.group(1).strip() : "";
    }

    private AgentProgress event(PhaseReady r, ProgressKind kind, String task, Integer percent, String message) {
        return new AgentProgress(r.getExecutionId(), r.getPhaseId(), r.getAttempt(), kind, task, percent, message, workerId,
                Instant.now());
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
