package io.oe.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The run's output: per stack, the graphs on the engine beside make and Snakemake with the floor and the ratios to
 * it, the floor's parts, where a chain step's time goes, CPU and the work split; with both stacks, a table comparing
 * them; and the same figures as JSON.
 */
final class Report {
    /** make's and Snakemake's seconds on one graph (infinite: not finished in time; snakemake null: not installed). */
    record ExternalTimes(double make, Double snakemake) {
    }

    private final List<StackResult> stacks;
    private final Map<String, ExternalTimes> external;
    private final Duration externalTimeout;
    private final AgentRunner runner;

    Report(List<StackResult> stacks, Map<String, ExternalTimes> external, Duration externalTimeout, AgentRunner runner) {
        this.stacks = stacks;
        this.external = external;
        this.externalTimeout = externalTimeout;
        this.runner = runner;
    }

    void print(PrintStream out) {
        for (StackResult s : stacks) {
            printStack(out, s);
        }
        if (stacks.size() > 1) {
            printComparison(out);
        }
        if (!runner.startsProcesses()) {
            out.println("\nagents: in-process no-op runner (no process per step); make and Snakemake still run /bin/true");
        }
    }

    private void printStack(PrintStream out, StackResult s) {
        out.printf(Locale.ROOT, "%n== %s ==%nready %.1f s%s; RSS after the runs %.0f MiB; idle %.3f cores at rest"
                + " (windows of %d s after the warm-up: %s); CPU %.1f ms per step (all processes)%n%n", s.label(), s.readySeconds(),
                s.classDataRecorded().isEmpty() ? "" : " (first start of this build, recording class-data archives)",
                s.rssBytes() / 1048576.0, s.idle().settled(), s.idle().windowSeconds(), s.idle().series(), s.cpuMsPerStep());
        String row = "%-16s %9s %9s %9s %9s %9s %8s %8s %8s %12s %13s%n";
        out.printf(Locale.ROOT, row, "graph", "engine s", "ovh p50", "ovh p99", "step p50", "step p99", "÷floor50", "÷floor99",
                "steps/s", "make -j2 s", "snakemake s");
        double[] floor = s.floor().step();
        out.printf(Locale.ROOT, row, "floor of a step", "", "", "", ms(Stats.percentile(floor, 50)), ms(Stats.percentile(floor, 99)),
                "1.00", "1.00", "", "", "");
        for (GraphResult g : s.graphs()) {
            ExternalTimes ext = external.get(g.name());
            String make = ext == null ? "" : seconds(ext.make(), "%.3f");
            String snake = ext == null ? "" : ext.snakemake() == null ? "n/a" : seconds(ext.snakemake(), "%.2f");
            if (!g.completed()) {
                out.printf(Locale.ROOT, "%-16s FAILED: %s%n", g.name(), g.failure());
                continue;
            }
            out.printf(Locale.ROOT, row, g.name(), String.format(Locale.ROOT, "%.2f", g.wallSeconds()), ms(g.overhead(50)),
                    ms(g.overhead(99)), ms(g.step(50)), ms(g.step(99)), times(Stats.ratio(g.step(50), Stats.percentile(floor, 50))),
                    times(Stats.ratio(g.step(99), Stats.percentile(floor, 99))), String.format(Locale.ROOT, "%.1f", g.stepsPerSecond()),
                    make, snake);
        }
        out.println("ovh = overhead per step: the previous agent's end -> the next agent started (the engine alone);");
        out.println("step = one agent's start -> the next agent's start (its run and the overhead): what the floor is the floor of.");
        printFloor(out, s.floor());

        List<String> hops = new ArrayList<>();
        for (GraphResult g : s.graphs()) {
            if (!g.hopP50().isEmpty() && g.overheadMs().length > 0) {
                hops.add(String.format(Locale.ROOT, "%-14s agent end -> handoff %5.0f | handoff -> dispatch %5.0f | dispatch -> agent start %5.0f",
                        g.name(), g.hopP50().get(Stats.Hop.HANDOFF), g.hopP50().get(Stats.Hop.DISPATCH), g.hopP50().get(Stats.Hop.START)));
            }
        }
        if (!hops.isEmpty()) {
            out.println("\nwhere a chain step's overhead goes (p50 ms, each service's own clock on its event):");
            hops.forEach(out::println);
        }
        printWrites(out, s);
        printRequests(out, s);
        if (s.concurrent() > 0) {
            out.printf(Locale.ROOT, "%n%d executions of chain-10 at once: %d steps in %.2f s = %.1f steps/s%n", s.concurrent(),
                    s.concurrent() * 10, s.concurrentSeconds(), s.concurrentStepsPerSecond());
        }
        StringBuilder cpu = new StringBuilder();
        s.cpuSecondsUsed().keySet().forEach(p -> cpu.append(String.format(Locale.ROOT, " %s %.1f;", Machine.label(p), s.cpuMsPerStep(p))));
        out.println("\nCPU ms per step:" + cpu + String.format(Locale.ROOT, " all %.1f", s.cpuMsPerStep())
                + (s.profile() != null ? " (the profiler's own cost included: compare runs without --profile)" : ""));
        out.printf(Locale.ROOT, "  of which the JIT compiler threads %.1f (a young process's cost); the rest %.1f%n",
                s.jitMsPerStep(), s.cpuMsPerStep() - s.jitMsPerStep());
        out.println("work split: agents started per gateway " + s.startsByWorker() + "; partitions per member " + s.partitionsPerMember());
        if (s.profile() != null) {
            out.println("profile: " + s.profile());
        }
    }

    /** Records the broker wrote per step, by topic, a column per graph (the busiest topics of the first graph first). */
    private static void printWrites(PrintStream out, StackResult s) {
        List<GraphResult> graphs = s.graphs().stream().filter(g -> !g.writesPerStep().isEmpty()).toList();
        if (graphs.isEmpty()) {
            return;
        }
        out.println("\nrecords the broker wrote per step, by topic (end offsets before and after each graph; a transaction marker"
                + " counts in every partition it closes):");
        table(out, "topic", 58, "all topics", graphs, GraphResult::writesPerStep);
    }

    /**
     * Requests the broker handled per step, by type, and its request handlers' milliseconds on them, a column per graph
     * (the busiest types of the first graph first).
     */
    private static void printRequests(PrintStream out, StackResult s) {
        List<GraphResult> graphs = s.graphs().stream().filter(g -> !g.requestsPerStep().requests().isEmpty()).toList();
        if (graphs.isEmpty()) {
            return;
        }
        out.println("\nrequests the broker handled per step, by type (its RequestsPerSec counts before and after each graph), and"
                + " its request handlers' ms per step on them (LocalTimeMs):");
        table(out, "requests", 30, "all", graphs, g -> g.requestsPerStep().requests());
        table(out, "handler ms", 30, "all", graphs, g -> g.requestsPerStep().handlerMs());
    }

    /** A row per name (in the order the graphs first name them), a column per graph, and their sums. */
    private static void table(PrintStream out, String what, int width, String totalLabel, List<GraphResult> graphs,
            Function<GraphResult, Map<String, Double>> column) {
        String name = "  %-" + width + "s";
        Set<String> rows = new LinkedHashSet<>();
        graphs.forEach(g -> rows.addAll(column.apply(g).keySet()));
        StringBuilder header = new StringBuilder(String.format(name, what));
        graphs.forEach(g -> header.append(String.format("%13s", g.name())));
        out.println(header);
        for (String row : rows) {
            StringBuilder line = new StringBuilder(String.format(name, row));
            graphs.forEach(g -> line.append(String.format(Locale.ROOT, "%13.2f", column.apply(g).getOrDefault(row, 0.0))));
            out.println(line);
        }
        StringBuilder total = new StringBuilder(String.format(name, totalLabel));
        graphs.forEach(g -> total.append(String.format(Locale.ROOT, "%13.2f", Stats.sum(column.apply(g)))));
        out.println(total);
    }

    private static void printFloor(PrintStream out, Floor f) {
        out.printf("%nthe floor, measured on this stack's broker with the engine's settings (%s), %d round trips each:%n",
                f.clientSettings(), f.eosHop().length);
        String row = "  %-17s %-84s p50 %7s  p99 %7s ms%n";
        out.printf(row, "plain hop", "producer (acks=all, idempotent, linger 0) -> read_committed consumer", ms(p(f.plainHop(), 50)),
                ms(p(f.plainHop(), 99)));
        out.printf(row, "exactly-once hop", "producer -> Kafka Streams read -> write, one processor -> read_committed consumer",
                ms(p(f.eosHop(), 50)), ms(p(f.eosHop(), 99)));
        out.printf(row, "two EOS hops", "producer -> EOS app -> EOS app -> read_committed consumer (a step's three legs)",
                ms(p(f.twoEosPath(), 50)), ms(p(f.twoEosPath(), 99)));
        if (f.withProcess()) {
            out.printf(row, "process start", "/bin/true as the gateway starts it: ProcessBuilder, output drained, exit awaited",
                    ms(p(f.processStart(), 50)), ms(p(f.processStart(), 99)));
        }
        out.printf(row, "floor of a step", "= " + (f.withProcess() ? "two EOS hops + process start" : "two EOS hops (in-process runner)"),
                ms(p(f.step(), 50)), ms(p(f.step(), 99)));
        out.printf(row, "cross-check", "2 x EOS hop + plain hop" + (f.withProcess() ? " + process start" : "")
                + " (counts the legs between hops twice)", ms(p(f.sumOfParts(), 50)), ms(p(f.sumOfParts(), 99)));
        out.println("  (a step: agent-result -> handoff-service (EOS) -> handoff-validated -> phase-scheduler (EOS) -> phase-ready"
                + " -> agent-gateway, then a process; sums drawn from the measured parts independently)");
    }

    /** One line per figure, a column per stack. */
    private void printComparison(PrintStream out) {
        Map<String, Function<StackResult, String>> rows = new LinkedHashMap<>();
        rows.put("stack ready, s", s -> String.format(Locale.ROOT, "%.1f", s.readySeconds()));
        rows.put("RSS after the runs, MiB", s -> String.format(Locale.ROOT, "%.0f", s.rssBytes() / 1048576.0));
        rows.put("idle CPU at rest / right after work, cores", s -> pair(s.idle().settled(), s.idle().afterWork(), "%.3f"));
        rows.put("CPU ms per step, all processes", s -> String.format(Locale.ROOT, "%.1f", s.cpuMsPerStep()));
        rows.put("  of which JIT compiler threads", s -> String.format(Locale.ROOT, "%.1f", s.jitMsPerStep()));
        rows.put("floor of a step p50 / p99, ms", s -> pair(p(s.floor().step(), 50), p(s.floor().step(), 99), "%.1f"));
        for (GraphResult g : stacks.get(0).graphs()) {
            if (g.graph().shape().equals("chain")) {
                rows.put(g.name() + " step p50 / p99, ms", s -> graph(s, g.name()).map(r -> pair(r.step(50), r.step(99), "%.1f")).orElse(""));
                rows.put(g.name() + " step ÷ floor p50 / p99", s -> graph(s, g.name()).map(r -> pair(
                        Stats.ratio(r.step(50), p(s.floor().step(), 50)), Stats.ratio(r.step(99), p(s.floor().step(), 99)), "%.2f"))
                        .orElse(""));
                rows.put(g.name() + " records written per step", s -> graph(s, g.name())
                        .map(r -> String.format(Locale.ROOT, "%.1f", BrokerWrites.total(r.writesPerStep()))).orElse(""));
                rows.put(g.name() + " overhead p50 / p99, ms", s -> graph(s, g.name()).map(r -> pair(r.overhead(50), r.overhead(99), "%.1f"))
                        .orElse(""));
            } else {
                rows.put(g.name() + " steps/s", s -> graph(s, g.name()).map(r -> String.format(Locale.ROOT, "%.1f", r.stepsPerSecond()))
                        .orElse(""));
            }
        }
        if (stacks.get(0).concurrent() > 0) {
            rows.put(stacks.get(0).concurrent() + " x chain-10 at once, steps/s",
                    s -> String.format(Locale.ROOT, "%.1f", s.concurrentStepsPerSecond()));
        }
        out.println("\n== the stacks side by side ==");
        StringBuilder header = new StringBuilder(String.format("%-34s", ""));
        stacks.forEach(s -> header.append(String.format("%16s", s.mode().label())));
        out.println(header);
        rows.forEach((name, value) -> {
            StringBuilder line = new StringBuilder(String.format("%-34s", name));
            stacks.forEach(s -> line.append(String.format("%16s", value.apply(s))));
            out.println(line);
        });
    }

    private static Optional<GraphResult> graph(StackResult s, String name) {
        return s.graphs().stream().filter(g -> g.name().equals(name) && g.completed()).findFirst();
    }

    // ---- JSON ----

    void json(ObjectNode report) {
        ArrayNode stackNodes = report.putArray("stacks");
        for (StackResult s : stacks) {
            ObjectNode n = stackNodes.addObject().put("mode", s.mode().label()).put("stack_ready_seconds", s.readySeconds())
                    .put("stack_rss_bytes", s.rssBytes()).put("measured_steps", s.measuredSteps())
                    .put("cpu_ms_per_step_total", s.cpuMsPerStep()).put("jit_ms_per_step_total", s.jitMsPerStep());
            n.putPOJO("class_data_archives_recorded", s.classDataRecorded());
            ObjectNode idle = n.putObject("idle").put("window_seconds", s.idle().windowSeconds())
                    .put("cores_settled", s.idle().settled()).put("cores_after_work", s.idle().afterWork());
            idle.putPOJO("cores_by_window", s.idle().coresByWindow());
            idle.putPOJO("cpu_seconds_by_process", s.idle().settledByProcess()); // the last window's
            floorJson(n.putObject("floor"), s.floor());
            ArrayNode rows = n.putArray("rows");
            for (GraphResult g : s.graphs()) {
                graphJson(rows.addObject(), g, s.floor());
            }
            if (s.concurrent() > 0) {
                n.putObject("concurrent").put("executions", s.concurrent()).put("steps", s.concurrent() * 10)
                        .put("wall_seconds", s.concurrentSeconds()).put("steps_per_second", s.concurrentStepsPerSecond());
            }
            ObjectNode cpu = n.putObject("cpu_ms_per_step");
            s.cpuSecondsUsed().keySet().forEach(p -> cpu.put(p, s.cpuMsPerStep(p)));
            n.putPOJO("agents_started_by_gateway", s.startsByWorker()).putPOJO("partitions_per_member", s.partitionsPerMember());
            if (s.profile() != null) {
                n.put("profile", s.profile().toString());
            }
        }
        ArrayNode ext = report.putArray("external");
        external.forEach((graph, t) -> {
            ObjectNode e = ext.addObject().put("graph", graph);
            putSeconds(e, "make_j2", t.make());
            if (t.snakemake() != null) {
                putSeconds(e, "snakemake", t.snakemake());
            }
        });
    }

    private void putSeconds(ObjectNode n, String tool, double seconds) {
        if (Double.isInfinite(seconds)) {
            n.put(tool + "_not_finished_after_seconds", externalTimeout.toSeconds());
        } else {
            n.put(tool + "_seconds", seconds);
        }
    }

    private static void floorJson(ObjectNode n, Floor f) {
        n.put("composition", f.composition()).put("client_settings", f.clientSettings()).put("round_trips", f.eosHop().length);
        percentiles(n.putObject("plain_hop_ms"), f.plainHop());
        percentiles(n.putObject("eos_hop_ms"), f.eosHop());
        percentiles(n.putObject("two_eos_hops_ms"), f.twoEosPath());
        if (f.withProcess()) {
            percentiles(n.putObject("process_start_ms"), f.processStart());
        }
        percentiles(n.putObject("step_ms"), f.step());
        percentiles(n.putObject("sum_of_parts_ms"), f.sumOfParts());
    }

    private static void graphJson(ObjectNode row, GraphResult g, Floor floor) {
        row.put("graph", g.name()).put("steps", g.graph().n());
        if (!g.completed()) {
            row.put("engine_failed", g.failure());
            return;
        }
        row.put("engine_wall_seconds", g.wallSeconds()).put("engine_span_seconds", g.spanSeconds())
                .put("steps_per_second", g.stepsPerSecond()).put("records_written_per_step", BrokerWrites.total(g.writesPerStep()));
        row.putPOJO("records_written_per_step_by_topic", g.writesPerStep());
        if (!g.requestsPerStep().requests().isEmpty()) {
            row.put("broker_requests_per_step", g.requestsPerStep().totalRequests())
                    .put("broker_handler_ms_per_step", g.requestsPerStep().totalHandlerMs());
            row.putPOJO("broker_requests_per_step_by_type", g.requestsPerStep().requests());
            row.putPOJO("broker_handler_ms_per_step_by_type", g.requestsPerStep().handlerMs());
        }
        if (g.overheadMs().length > 0) {
            double f50 = p(floor.step(), 50);
            double f99 = p(floor.step(), 99);
            row.put("overhead_p50_ms", g.overhead(50)).put("overhead_p99_ms", g.overhead(99))
                    .put("overhead_mean_ms", Stats.mean(g.overheadMs())).put("step_p50_ms", g.step(50)).put("step_p99_ms", g.step(99))
                    .put("step_to_floor_p50", Stats.ratio(g.step(50), f50)).put("step_to_floor_p99", Stats.ratio(g.step(99), f99))
                    .put("overhead_to_floor_p50", Stats.ratio(g.overhead(50), f50))
                    .put("overhead_to_floor_p99", Stats.ratio(g.overhead(99), f99));
            row.putObject("profile_p50_ms").put("agent_end_to_handoff", g.hopP50().get(Stats.Hop.HANDOFF))
                    .put("handoff_to_dispatch", g.hopP50().get(Stats.Hop.DISPATCH))
                    .put("dispatch_to_agent_start", g.hopP50().get(Stats.Hop.START));
        }
    }

    private static void percentiles(ObjectNode n, double[] sorted) {
        n.put("p50", p(sorted, 50)).put("p99", p(sorted, 99)).put("samples", sorted.length);
    }

    // ---- formatting ----

    private static double p(double[] sorted, int percentile) {
        return Stats.percentile(sorted, percentile);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String times(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pair(double a, double b, String format) {
        return (Double.isNaN(a) ? "—" : String.format(Locale.ROOT, format, a)) + " / "
                + (Double.isNaN(b) ? "—" : String.format(Locale.ROOT, format, b));
    }

    /** A tool's time, or that it did not finish within the timeout. */
    private String seconds(double v, String format) {
        return Double.isInfinite(v) ? "> " + externalTimeout.toSeconds() + " (unfinished)" : String.format(Locale.ROOT, format, v);
    }
}
