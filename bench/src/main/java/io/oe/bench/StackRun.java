package io.oe.bench;

import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One stack through the whole benchmark, in this order: start (timed), a warm-up execution, the idle cost (nothing
 * running), the floor on its broker, then the measured graphs and concurrent chains (CPU counted and, with
 * --profile, every process recorded over exactly these), then the stack is stopped. The floor and the idle
 * measurement come before the graphs so that neither the floor's clients nor a profiler run while the other is
 * measured.
 */
final class StackRun {
    /** Services that scale out with --instances (the monitor stays single: its queries are not routed between instances). */
    private static final List<String> SCALABLE = List.of("plan-loader", "phase-scheduler", "agent-gateway", "handoff-service",
            "state-projector");
    /** After the warm-up, the projector and monitor finish their last writes before the idle clock starts. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /** After a graph completed, before its broker writes are counted. */
    private static final Duration WRITES_SETTLE = Duration.ofSeconds(1);

    /** What every stack of a run is asked to do. {@code profiler} null: no profile. */
    record Settings(Path home, Path work, List<Graphs> graphs, int concurrent, int instances, Map<String, String> env,
            List<String> jvmOptions, AgentRunner runner, int warmupSteps, int idleSeconds, int idleWindows, int floorSamples, Profiler profiler, Path profileDir) {
    }

    private final Settings settings;
    private final LocalStack.Mode mode;

    StackRun(Settings settings, LocalStack.Mode mode) {
        this.settings = settings;
        this.mode = mode;
    }

    StackResult run() throws Exception {
        Path work = Files.createDirectories(settings.work().resolve(mode.label()));
        Progress.say("starting the %s stack ...", mode.label());
        long t0 = System.nanoTime();
        LocalStack.Options options = LocalStack.options().home(settings.home()).mode(mode).stackDir(work.resolve("stack"))
                .projectRoot(settings.work()).runnersFile(settings.runner().write(work)).freePorts(true)
                .readyTimeout(Duration.ofMinutes(4));
        settings.env().forEach(options::env);
        options.jvmOptions(settings.jvmOptions());
        // A benchmark stopped by a signal (Ctrl-C, kill) stops its stack too: the stack's processes are not this JVM's
        // children in the kernel's sense of "dies with it", and a stack left running would skew every later run.
        AtomicReference<LocalStack> running = new AtomicReference<>();
        Thread stopOnExit = new Thread(() -> Optional.ofNullable(running.getAndSet(null)).ifPresent(LocalStack::stop), "bench-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        LocalStack stack = LocalStack.start(options);
        running.set(stack);
        double readySeconds = (System.nanoTime() - t0) / 1e9;
        Set<String> classDataRecorded = stack.classDataRecorded();
        if (!classDataRecorded.isEmpty()) {
            // The first start of a build records its class-data archives as it stops; a user's every later start maps
            // them, and that is the start measured (the figure says so when it could not be).
            Progress.say("%s stack ready in %.1f s, the first start of this build: stopping it so that %s record their"
                    + " class-data archives, then starting a new stack", mode.label(), readySeconds, String.join(", ", classDataRecorded));
            stack.stop();
            Files.writeString(work.resolve("first-start-seconds.txt"), readySeconds + "\n");
            LocalStack.reset(work.resolve("stack")); // a new stack again, as the measured start must be
            t0 = System.nanoTime();
            stack = LocalStack.start(options);
            running.set(stack);
            readySeconds = (System.nanoTime() - t0) / 1e9;
            classDataRecorded = stack.classDataRecorded();
        }
        Progress.say("%s stack ready in %.1f s%s", mode.label(), readySeconds, classDataRecorded.isEmpty() ? ""
                : " (without class-data archives: " + String.join(", ", classDataRecorded) + " recording them)");
        try {
            if (mode == LocalStack.Mode.SEPARATE) {
                for (int i = 2; i <= settings.instances(); i++) {
                    for (String service : SCALABLE) {
                        stack.startInstance(service, service + "-" + i);
                    }
                }
            }
            String token = Files.readString(Path.of(stack.info().apiTokenFile)).strip();
            EngineRun engine = new EngineRun(new Api(stack.url("plan-loader"), stack.url("monitor-service"), token),
                    stack.bootstrapServers(), work);
            // the first executions pay class loading and the JIT's compiling in every service
            Progress.say("%s: warming up (chain-%d and wide-%d, not measured) ...", mode.label(), settings.warmupSteps(),
                    settings.warmupSteps());
            for (String shape : List.of("chain", "wide")) {
                engine.await(engine.submit(Graphs.of(shape, Math.max(1, settings.warmupSteps())), "-warmup"), Duration.ofMinutes(10));
            }

            Thread.sleep(SETTLE.toMillis());
            Idle idle = Idle.measure(stack, mode.label(), settings.idleSeconds(), settings.idleWindows());

            Progress.say("%s: measuring the floor (%d round trips each) ...", mode.label(), settings.floorSamples());
            Floor floor = new FloorProbe(EngineSettings.of(stack.bootstrapServers(), EngineSettings.serviceEnv(settings.env())),
                    work, settings.floorSamples()).measure(settings.runner().startsProcesses());
            Progress.say("%s floor of a step p50 %.1f ms, p99 %.1f ms", mode.label(), Stats.percentile(floor.step(), 50),
                    Stats.percentile(floor.step(), 99));

            if (settings.profiler() != null) {
                settings.profiler().start(Machine.processes(stack), settings.profileDir().resolve("raw"), mode.label() + "-");
            }
            Map<String, Double> cpuBefore = Machine.cpuSeconds(stack);
            Map<String, Double> jitBefore = Machine.jitSeconds(stack);
            List<Submitted> runs = new ArrayList<>();
            long steps = 0;
            try (BrokerRequests requests = brokerRequests(stack)) {
                for (Graphs g : settings.graphs()) {
                    Submitted run = runGraph(engine, stack.bootstrapServers(), requests, g);
                    runs.add(run);
                    steps += run.failure() == null ? g.n() : 0;
                }
            }
            double concurrentSeconds = 0;
            if (settings.concurrent() > 0) {
                concurrentSeconds = runConcurrentChains(engine);
                steps += settings.concurrent() * 10L;
            }
            Map<String, Double> used = Machine.used(cpuBefore, Machine.cpuSeconds(stack));
            Map<String, Double> jit = Machine.used(jitBefore, Machine.jitSeconds(stack));
            long rss = Machine.rssBytes(stack);
            Map<String, Path> recordings = settings.profiler() != null ? settings.profiler().stop() : Map.of();

            Map<String, EngineRun.Timings> timings = engine.timings();
            List<GraphResult> graphs = runs.stream().map(r -> r.failure() != null ? GraphResult.failed(r.graph(), r.failure())
                    : GraphResult.of(r.graph(), r.wallSeconds(), timings.get(r.executionId()), r.writesPerStep(),
                            r.requestsPerStep())).toList();
            Map<String, Integer> byWorker = new TreeMap<>();
            timings.values().forEach(t -> t.startsByWorker().forEach((w, c) -> byWorker.merge(w, c, Integer::sum)));
            StackResult result = new StackResult(mode, readySeconds, rss, idle, floor, graphs,
                    settings.concurrent(), concurrentSeconds, steps, used, jit, byWorker,
                    engine.partitionsPerMember(List.of("oe-phase-scheduler", "oe-agent-gateway", "oe-handoff-service",
                            "oe-state-projector")), null, classDataRecorded);
            if (recordings.isEmpty()) {
                return result;
            }
            Progress.say("%s: summarising the profile ...", mode.label());
            Path summary = ProfileReport.write(settings.profileDir(), result, recordings, settings.profiler().kind());
            Progress.say("%s profile: %s", mode.label(), summary);
            return result.withProfile(summary);
        } finally {
            Progress.say("stopping the %s stack", mode.label());
            if (running.getAndSet(null) != null) {
                stack.stop();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting already: the hook finds nothing left to stop
            }
        }
    }

    /**
     * A graph submitted and awaited; {@code failure}: why the engine did not complete it (a result too);
     * {@code writesPerStep}: the records the broker wrote per step, by topic; {@code requestsPerStep}: the requests it handled.
     */
    private record Submitted(Graphs graph, String executionId, double wallSeconds, String failure, Map<String, Double> writesPerStep,
            BrokerRequests.PerStep requestsPerStep) {
    }

    /** The broker's request metrics, or null (and said) when its JVM cannot be attached to: the other figures still count. */
    private BrokerRequests brokerRequests(LocalStack stack) {
        Map<String, Long> processes = Machine.processes(stack);
        Long pid = processes.getOrDefault(Machine.BROKER, processes.get(LocalStack.STANDALONE));
        try {
            return pid == null ? null : BrokerRequests.attach(pid);
        } catch (Exception e) {
            Progress.say("%s: the broker's request metrics cannot be read (%s); requests per step are left out", mode.label(), e);
            return null;
        }
    }

    private Submitted runGraph(EngineRun engine, String bootstrap, BrokerRequests requests, Graphs g) throws Exception {
        BrokerWrites before = BrokerWrites.snapshot(bootstrap);
        BrokerRequests.Snapshot requestsBefore = requests == null ? null : requests.snapshot();
        long s0 = System.nanoTime();
        String id = engine.submit(g, "-" + mode.label());
        try {
            engine.await(id, Duration.ofMinutes(30));
        } catch (IllegalStateException e) {
            Progress.say("engine %-10s %-13s FAILED: %s", mode.label(), g.name(), e.getMessage());
            return new Submitted(g, id, Double.NaN, e.getMessage(), Map.of(), BrokerRequests.PerStep.NONE);
        }
        double wall = (System.nanoTime() - s0) / 1e9;
        // the projector publishes the final state and its changelogs within its 100 ms commit: let them land in this graph's count
        Thread.sleep(WRITES_SETTLE.toMillis());
        BrokerWrites after = BrokerWrites.snapshot(bootstrap);
        BrokerRequests.PerStep handled = requests == null ? BrokerRequests.PerStep.NONE
                : BrokerRequests.perStep(requestsBefore, requests.snapshot(), g.n());
        Map<String, Double> writes = CoordinatorRecords.split(BrokerWrites.perStep(before, after, g.n()), before, after, bootstrap, g.n());
        Progress.say("engine %-10s %-13s %8.2f s, %.1f records and %.1f requests per step", mode.label(), g.name(), wall,
                BrokerWrites.total(writes), handled.totalRequests());
        return new Submitted(g, id, wall, null, writes, handled);
    }

    /** {@code concurrent} chain-10s submitted at once; returns the wall seconds until the last completed. */
    private double runConcurrentChains(EngineRun engine) throws Exception {
        long s0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.concurrent(); i++) {
            ids.add(engine.submit(Graphs.of("chain", 10), "-" + mode.label() + "-c" + i));
        }
        for (String id : ids) {
            engine.await(id, Duration.ofMinutes(10));
        }
        double seconds = (System.nanoTime() - s0) / 1e9;
        Progress.say("engine %-10s %d x chain-10 at once %8.2f s", mode.label(), settings.concurrent(), seconds);
        return seconds;
    }
}
