package io.oe.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Json;
import io.oe.deploy.LocalStack;
import io.oe.deploy.OeHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: the same graphs of no-op steps on the engine (the local stack, standalone and/or separate, agent
 * {@code /bin/true}), GNU make -j2 and Snakemake, with the floor of the architecture measured on the same broker, in
 * one run; prints tables and writes bench/results/bench-&lt;time&gt;.json. Figures come from the engine's own events
 * (agent started / agent result, both stamped by the gateway), never from timed tests.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, sortOptions = false, description = {
    "Engine overhead and throughput beside make and Snakemake, and the floor of",
    "the architecture measured on the same broker.",
    "",
    "The default run (both stacks; sizes 10,100,1000 of three shapes; 20",
    "concurrent chain-10s; 4 minutes idle) takes about 20 minutes on 2 cores.",
    "chain-1000 is the slowest graph (1 to 2 minutes per stack); Snakemake takes",
    "over a minute on each of wide-1000 and diamond-1000 (once per run).",
    "While developing, keep runs short:",
    "  bench/run --services standalone --sizes 10,100 --shapes chain \\",
    "            --concurrent 0 --idle-seconds 10",
    "The big-plan yardstick: --sizes 10000 --shapes wide --concurrent 0.",
    ""})
public class Bench implements Callable<Integer> {
    @Option(names = "--services", defaultValue = "both", paramLabel = "standalone|separate|both",
            description = "Which local stack(s): standalone (broker + six services in one process), separate (seven "
                    + "processes), or both, one after the other, compared at the end (default ${DEFAULT-VALUE}).")
    String services;

    @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000", description = "Graph sizes (default ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--shapes", split = ",", defaultValue = "chain,wide,diamond", description = "Graph shapes (default ${DEFAULT-VALUE}).")
    String[] shapes;

    @Option(names = "--concurrent", defaultValue = "20", description = "Executions of chain-10 submitted at once (0: skip; default ${DEFAULT-VALUE}).")
    int concurrent;

    @Option(names = "--warmup-steps", defaultValue = "100",
            description = "Before anything is measured, a chain and a wide graph of this many steps run unmeasured, so that "
                    + "class loading and the JIT's compiling (a third of the CPU of a short run) do not count as the "
                    + "cost of a step: the figures are a running engine's (default ${DEFAULT-VALUE}; 5: the old warm-up).")
    int warmupSteps;

    @Option(names = "--idle-seconds", defaultValue = "60",
            description = "How long each window of the idle stack's CPU lasts, after the warm-up (default ${DEFAULT-VALUE}).")
    int idleSeconds;

    @Option(names = "--idle-windows", defaultValue = "4",
            description = "Idle windows one after the other: the first is a stack right after work (the JIT still "
                    + "compiling), the last a stack at rest, the idle figure (default ${DEFAULT-VALUE}).")
    int idleWindows;

    // 250: the p99 falls inside one sample (2.5 above it), not on the edge between two as with 200, so the floor's
    // p99 and its parts' agree
    @Option(names = "--floor-samples", defaultValue = "250",
            description = "Round trips per part of the floor (plain hop, exactly-once hops, process start; default ${DEFAULT-VALUE}).")
    int floorSamples;

    @Option(names = "--profile", description = "Record every process during the measured runs and write a summary per stack "
            + "under bench/results/profile-<time>/ (top frames by CPU and wall clock, allocation per step).")
    boolean profile;

    @Option(names = "--profiler", defaultValue = "auto", paramLabel = "auto|async|jfr",
            description = "With --profile: async-profiler (CPU, wall, allocation), the JDK's Flight Recorder (CPU, allocation), "
                    + "or auto: async-profiler where its library loads (default ${DEFAULT-VALUE}).")
    String profiler;

    @Option(names = "--runner", defaultValue = "process", paramLabel = "process|noop-in-process",
            description = "How steps run: /bin/true as a process, or in the gateway without a process (needs a gateway with the "
                    + "'" + AgentRunner.IN_PROCESS_KIND + "' runner kind; default ${DEFAULT-VALUE}).")
    String runner;

    @Option(names = "--instances", defaultValue = "1", description = "Instances of every service but the monitor, separate stack only (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--external-timeout", defaultValue = "300", description = "Seconds make or Snakemake may take on one graph "
            + "(default ${DEFAULT-VALUE}); slower is reported as not finished.")
    int externalTimeoutSeconds;

    @Option(names = "--out", description = "Results directory (default bench/results).")
    Path out;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Extra environment for every service (e.g. OE_STREAMS_COMMIT_MS=10); "
            + "the floor is measured with the same settings.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "An extra JVM option for every service process "
            + "(repeatable; e.g. -Xlog:gc:file=gc.log, or a heap setting to compare); the figures say which were given.")
    List<String> jvmOptions = new ArrayList<>();

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // a producer on a topic created a moment ago may retry once while its leader loads: expected, not news
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender", "error");
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = OeHome.resolve();
        Path results = out != null ? out : home.resolve("bench/results");
        String time = Instant.now().toString().replace(':', '-');
        List<LocalStack.Mode> modes;
        AgentRunner agents;
        try {
            modes = modes(services);
            agents = AgentRunner.parse(runner);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        if (!agents.supportedBy(home)) {
            System.err.println("bench: --runner " + agents.label + " needs a gateway that knows the runner kind '"
                    + AgentRunner.IN_PROCESS_KIND + "'; the gateway built in " + home + " does not (docs/performance.md, "
                    + "\"How to measure\")");
            return 2;
        }
        if (instances > 1 && !modes.contains(LocalStack.Mode.SEPARATE)) {
            System.err.println("bench: --instances applies to the separate stack (the standalone one is one process)");
            return 2;
        }
        Path work = Files.createDirectories(home.resolve("bench/target/work-" + System.currentTimeMillis()));
        Path profileDir = profile ? results.resolve("profile-" + time) : null;
        StackRun.Settings settings = new StackRun.Settings(home, work, graphs(), concurrent, instances, env, jvmOptions, agents, warmupSteps,
                idleSeconds, idleWindows, floorSamples, profile ? Profiler.choose(profiler, work) : null, profileDir);

        List<StackResult> stacks = new ArrayList<>();
        for (LocalStack.Mode mode : modes) {
            stacks.add(new StackRun(settings, mode).run());
        }
        // once, after the stacks stopped: make and Snakemake do not compete with the engine for the two cores
        Duration externalTimeout = Duration.ofSeconds(externalTimeoutSeconds);
        Map<String, Report.ExternalTimes> external = runExternal(settings.graphs(), work, externalTimeout);

        Report report = new Report(stacks, external, externalTimeout, agents);
        report.print(System.out);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("at", Instant.now().toString()).put("machine", Machine.describe()).put("services", services)
                .put("runner", agents.label).put("instances", instances).put("external_timeout_seconds", externalTimeoutSeconds);
        json.putPOJO("env", env);
        json.putPOJO("jvm_options", jvmOptions);
        report.json(json);
        Files.createDirectories(results);
        Path file = results.resolve("bench-" + time + ".json");
        Files.writeString(file, Json.pretty(json));
        System.out.println("\nresults: " + file + (profileDir != null ? "\nprofile: " + profileDir : ""));
        return 0;
    }

    static List<LocalStack.Mode> modes(String services) {
        if (services.equals("both")) {
            return List.of(LocalStack.Mode.STANDALONE, LocalStack.Mode.SEPARATE);
        }
        try {
            return List.of(LocalStack.Mode.parse(services));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--services " + services + ": standalone, separate or both");
        }
    }

    private List<Graphs> graphs() {
        List<Graphs> out = new ArrayList<>();
        for (String shape : shapes) {
            for (int n : sizes) {
                out.add(Graphs.of(shape, Math.max(n, shape.equals("diamond") ? 3 : 1)));
            }
        }
        return out;
    }

    private static Map<String, Report.ExternalTimes> runExternal(List<Graphs> graphs, Path work, Duration timeout) throws Exception {
        External tools = new External(work, timeout);
        boolean snakemake = External.snakemakeAvailable();
        if (!snakemake) {
            System.out.println("snakemake: not installed and could not be installed here (apt-get install snakemake); column n/a");
        }
        Map<String, Report.ExternalTimes> out = new LinkedHashMap<>();
        for (Graphs g : graphs) {
            double make = tools.make(g);
            Double snake = snakemake ? tools.snakemake(g) : null;
            Progress.say("make -j2 %-13s %8.3f s; snakemake %s", g.name(), make, snake == null ? "n/a" : String.format("%.2f s", snake));
            out.put(g.name(), new Report.ExternalTimes(make, snake));
        }
        return out;
    }
}
