package io.oe.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.deploy.LocalStack;
import io.oe.deploy.OeHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: the same graphs of no-op steps on the engine (local stack, agent {@code /bin/true}), GNU make -j2 and
 * Snakemake, in one run; prints a table and writes bench/results/&lt;time&gt;.json. Figures come from the engine's own
 * events (agent started / agent result, both stamped by the gateway), never from timed tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Engine overhead and throughput beside make and Snakemake.")
public class Bench implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000", description = "Graph sizes (default ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--shapes", split = ",", defaultValue = "chain,wide,diamond")
    String[] shapes;

    @Option(names = "--concurrent", defaultValue = "20", description = "Executions of chain-10 submitted at once (0: skip).")
    int concurrent;

    @Option(names = "--instances", defaultValue = "1", description = "Instances of every service but the monitor (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--out", description = "Results directory (default bench/results).")
    Path out;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Extra environment for every service (e.g. OE_STREAMS_COMMIT_MS=10).")
    Map<String, String> env = new java.util.LinkedHashMap<>();

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = OeHome.resolve();
        Path work = home.resolve("bench/target/work-" + System.currentTimeMillis());
        Files.createDirectories(work);
        ObjectNode report = Json.MAPPER.createObjectNode();
        report.put("at", Instant.now().toString()).put("machine", Machine.describe());
        ArrayNode rows = report.putArray("rows");

        Path runners = Files.writeString(work.resolve("runners.json"), """
                {"runners": {"noop": {"description": "no-op agent", "argv": ["/bin/true"]}}, "agents": {"*": "noop"}}
                """);
        long t0 = System.nanoTime();
        LocalStack.Options options = LocalStack.options().home(home).stackDir(work.resolve("stack")).projectRoot(work)
                .runnersFile(runners).freePorts(true).readyTimeout(Duration.ofMinutes(4));
        env.forEach(options::env);
        report.putPOJO("env", env);
        LocalStack stack = LocalStack.start(options);
        double readySeconds = (System.nanoTime() - t0) / 1e9;
        report.put("stack_ready_seconds", readySeconds).put("instances", instances);
        for (int i = 2; i <= instances; i++) {
            // the monitor stays single: its interactive queries are not routed between instances yet
            for (String service : List.of("plan-loader", "phase-scheduler", "agent-gateway", "handoff-service", "state-projector")) {
                stack.startInstance(service, service + "-" + i);
            }
        }
        try {
            String token = Files.readString(Path.of(stack.info().apiTokenFile)).strip();
            Api api = new Api(stack.url("plan-loader"), stack.url("monitor-service"), token);
            EngineRun engine = new EngineRun(api, stack.bootstrapServers(), work);
            // warm-up: the first execution pays class loading and JIT in every service
            engine.await(engine.submit(Graphs.of("chain", 5), "-warmup"), Duration.ofMinutes(2));

            Map<String, Double> cpuBefore = Machine.cpuSeconds(stack);
            long measuredSteps = 0;
            List<Object[]> runs = new ArrayList<>();
            for (String shape : shapes) {
                for (int n : sizes) {
                    Graphs g = Graphs.of(shape, Math.max(n, shape.equals("diamond") ? 3 : 1));
                    long s0 = System.nanoTime();
                    String id = engine.submit(g, "");
                    try {
                        engine.await(id, Duration.ofMinutes(30));
                    } catch (IllegalStateException e) {
                        // a graph the engine cannot finish is a result too: recorded, and the run goes on
                        System.out.printf("engine %-13s FAILED: %s%n", g.name(), e.getMessage());
                        rows.addObject().put("graph", g.name()).put("steps", g.n()).put("engine_failed", e.getMessage());
                        continue;
                    }
                    double wall = (System.nanoTime() - s0) / 1e9;
                    runs.add(new Object[] {g, id, wall});
                    measuredSteps += g.n();
                    System.out.printf("engine %-13s %8.2f s%n", g.name(), wall);
                }
            }
            double concurrentWall = 0;
            List<String> concurrentIds = new ArrayList<>();
            if (concurrent > 0) {
                long s0 = System.nanoTime();
                for (int i = 0; i < concurrent; i++) {
                    concurrentIds.add(engine.submit(Graphs.of("chain", 10), "-c" + i));
                }
                for (String id : concurrentIds) {
                    engine.await(id, Duration.ofMinutes(10));
                }
                concurrentWall = (System.nanoTime() - s0) / 1e9;
                measuredSteps += concurrent * 10L;
            }
            Map<String, Double> cpuAfter = Machine.cpuSeconds(stack);
            long rss = Machine.rssBytes(stack);
            Map<String, EngineRun.Timings> timings = engine.timings();
            Map<String, Integer> byWorker = new java.util.TreeMap<>();
            timings.values().forEach(t -> t.startsByWorker().forEach((w, c) -> byWorker.merge(w, c, Integer::sum)));
            Map<String, List<Integer>> split = engine.partitionsPerMember(List.of("oe-phase-scheduler", "oe-agent-gateway",
                    "oe-handoff-service", "oe-state-projector"));
            report.putPOJO("agents_started_by_gateway", byWorker).putPOJO("partitions_per_member", split);

            System.out.printf("%nstack ready in %.1f s; RSS of broker + 6 services %.0f MiB%n%n", readySeconds, rss / 1048576.0);
            System.out.printf("%-14s %12s %12s %12s %12s %14s %14s%n", "graph", "engine s", "p50 ms/step", "p99 ms/step",
                    "steps/s", "make -j2 s", "snakemake s");
            boolean snakemake = External.snakemakeAvailable();
            List<String> profiles = new ArrayList<>();
            for (Object[] r : runs) {
                Graphs g = (Graphs) r[0];
                EngineRun.Timings t = timings.get((String) r[1]);
                // per-step overhead only where a step waits for nothing but its predecessor: on a fan-out the time
                // queued behind the agent slots would count as overhead
                double[] overhead = g.shape().equals("chain") ? Stats.overheads(g, t) : new double[0];
                double span = Stats.spanSeconds(t);
                double make = External.make(g, work);
                Double snake = snakemake ? External.snakemake(g, work) : null;
                System.out.printf("%-14s %12.2f %12s %12s %12.1f %14s %14s%n", g.name(), (double) r[2],
                        fmt(Stats.percentile(overhead, 50)), fmt(Stats.percentile(overhead, 99)), g.n() / span, seconds(make, "%.3f"),
                        snake == null ? "n/a" : seconds(snake, "%.2f"));
                ObjectNode row = rows.addObject().put("graph", g.name()).put("steps", g.n()).put("engine_wall_seconds", (double) r[2])
                        .put("engine_span_seconds", span).put("steps_per_second", g.n() / span);
                if (Double.isInfinite(make)) {
                    row.put("make_j2_not_finished_after_seconds", externalTimeout.toSeconds());
                } else {
                    row.put("make_j2_seconds", make);
                }
                if (overhead.length > 0) {
                    row.put("overhead_p50_ms", Stats.percentile(overhead, 50)).put("overhead_p99_ms", Stats.percentile(overhead, 99))
                            .put("overhead_mean_ms", Arrays.stream(overhead).average().orElse(0));
                }
                if (snake != null && Double.isInfinite(snake)) {
                    row.put("snakemake_not_finished_after_seconds", externalTimeout.toSeconds());
                } else if (snake != null) {
                    row.put("snakemake_seconds", snake);
                }
                if (g.shape().equals("chain") && overhead.length > 0) {
                    profiles.add(String.format("%-14s agent end -> handoff %5.0f | handoff -> dispatch %5.0f | dispatch -> agent start %5.0f ms (p50)",
                            g.name(), Stats.hopP50(g, t, Hop.HANDOFF), Stats.hopP50(g, t, Hop.DISPATCH), Stats.hopP50(g, t, Hop.START)));
                    row.putObject("profile_p50_ms").put("agent_end_to_handoff", Stats.hopP50(g, t, Hop.HANDOFF))
                            .put("handoff_to_dispatch", Stats.hopP50(g, t, Hop.DISPATCH))
                            .put("dispatch_to_agent_start", Stats.hopP50(g, t, Hop.START));
                }
            }
            if (!profiles.isEmpty()) {
                System.out.println("\nwhere a chain step's overhead goes (each service's own clock on its event):");
                profiles.forEach(System.out::println);
            }
            if (concurrent > 0) {
                double steps = concurrent * 10.0;
                System.out.printf("%n%d executions of chain-10 at once: %.0f steps in %.2f s = %.1f steps/s%n", concurrent, steps,
                        concurrentWall, steps / concurrentWall);
                report.putObject("concurrent").put("executions", concurrent).put("steps", steps)
                        .put("wall_seconds", concurrentWall).put("steps_per_second", steps / concurrentWall);
            }
            // where the CPU went: on 2 cores, a service that burns CPU per step slows every hop of the others
            ObjectNode cpu = report.putObject("cpu_ms_per_step");
            StringBuilder line = new StringBuilder();
            for (var e : cpuAfter.entrySet()) {
                double perStep = (e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0.0)) * 1000 / Math.max(1, measuredSteps);
                cpu.put(e.getKey(), perStep);
                line.append(String.format(" %s %.1f;", e.getKey(), perStep));
            }
            System.out.println("\nCPU ms per step:" + line);
            System.out.println("work split: agents started per gateway " + byWorker + "; partitions per member " + split);
            if (!snakemake) {
                System.out.println("snakemake: not installed and could not be installed here (apt-get install snakemake); column n/a");
            }
            report.put("stack_rss_bytes", rss).put("snakemake_available", snakemake);
            Path dir = out != null ? out : home.resolve("bench/results");
            Files.createDirectories(dir);
            Path file = dir.resolve("bench-" + Instant.now().toString().replace(':', '-') + ".json");
            Files.writeString(file, Json.pretty(report));
            System.out.println("\nresults: " + file);
            return 0;
        } finally {
            stack.stop();
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "—" : String.format("%.1f", v);
    }

    /** A tool's time, or that it did not finish within {@link #externalTimeout}. */
    private static String seconds(double v, String format) {
        return Double.isInfinite(v) ? "> " + externalTimeout.toSeconds() + " (unfinished)" : String.format(format, v);
    }

    /** Percentiles and per-step overheads, from the engine's event times. */
    static final class Stats {
        private Stats() {
        }

        /**
         * Per dependency edge: the successor's agent start minus the latest predecessor's agent end. For a chain that
         * is the engine's whole per-step overhead (result published → next agent started).
         */
        static double[] overheads(Graphs g, EngineRun.Timings t) {
            List<Double> out = new ArrayList<>();
            g.dependsOn().forEach((step, deps) -> {
                if (deps.isEmpty() || !t.started().containsKey(step)) {
                    return;
                }
                long ready = deps.stream().mapToLong(d -> t.ended().getOrDefault(d, Long.MIN_VALUE)).max().orElse(Long.MIN_VALUE);
                if (ready != Long.MIN_VALUE) {
                    out.add((double) (t.started().get(step) - ready));
                }
            });
            return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        /** The median of one hop of the chain's steps: gateway → handoff → scheduler → gateway. */
        static double hopP50(Graphs g, EngineRun.Timings t, Hop hop) {
            List<Double> out = new ArrayList<>();
            g.dependsOn().forEach((step, deps) -> {
                if (deps.size() != 1) {
                    return;
                }
                int prev = deps.get(0);
                Long from = switch (hop) {
                    case HANDOFF -> t.ended().get(prev);
                    case DISPATCH -> t.handedOff().get(prev);
                    case START -> t.ready().get(step);
                };
                Long to = switch (hop) {
                    case HANDOFF -> t.handedOff().get(prev);
                    case DISPATCH -> t.ready().get(step);
                    case START -> t.started().get(step);
                };
                if (from != null && to != null) {
                    out.add((double) (to - from));
                }
            });
            return percentile(out.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 50);
        }

        static double percentile(double[] sorted, int p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        /** First agent start to last agent end. */
        static double spanSeconds(EngineRun.Timings t) {
            long first = t.started().values().stream().mapToLong(Long::longValue).min().orElse(0);
            long last = t.ended().values().stream().mapToLong(Long::longValue).max().orElse(first);
            return Math.max(0.001, (last - first) / 1000.0);
        }
    }

    enum Hop { HANDOFF, DISPATCH, START }

    /** How long make or Snakemake may take on one graph before it counts as not finished. */
    static java.time.Duration externalTimeout = java.time.Duration.ofMinutes(5);

    @Option(names = "--external-timeout", defaultValue = "300", description = "Seconds make or Snakemake may take on one graph (default ${DEFAULT-VALUE}); slower is reported as not finished.")
    void externalTimeout(int seconds) {
        externalTimeout = java.time.Duration.ofSeconds(seconds);
    }

    /** The same graphs on make and Snakemake. */
    static final class External {
        private External() {
        }

        static double make(Graphs g, Path work) throws IOException, InterruptedException {
            Path dir = Files.createDirectories(work.resolve("make-" + g.name()));
            Files.writeString(dir.resolve("Makefile"), g.makefile());
            return time(dir, List.of("make", "-j2", "-s", "all"));
        }

        static double snakemake(Graphs g, Path work) throws IOException, InterruptedException {
            Path dir = Files.createDirectories(work.resolve("snakemake-" + g.name()));
            Files.writeString(dir.resolve("Snakefile"), g.snakefile());
            return time(dir, List.of("snakemake", "-j2", "--quiet", "all", "-s", "Snakefile"));
        }

        static boolean snakemakeAvailable() {
            // Debian's package (PyPI is often out of reach here)
            return io.oe.deploy.DebianPackages.ensure(List.of("snakemake", "--version"), "snakemake");
        }

        private static double time(Path dir, List<String> cmd) throws IOException, InterruptedException {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("output.log").toFile()).start();
            if (!p.waitFor(externalTimeout.toSeconds(), TimeUnit.SECONDS)) {
                // the yardstick: Snakemake does not finish 10,000 parallel no-op steps in 150 s
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return Double.POSITIVE_INFINITY;
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed in " + dir + " (see output.log)");
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
