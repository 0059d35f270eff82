package io.oe.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's graphs, each as an orchestration plan and as plain dependencies (for make and Snakemake), so every
 * tool runs exactly the same work: N no-op steps.
 *
 * <ul>
 * <li>{@code chain}: N steps, each after the one before (one sequential tier): the per-step overhead.</li>
 * <li>{@code wide}: N independent steps (one parallel tier): throughput.</li>
 * <li>{@code diamond}: one step, N-2 in parallel after it, one after all of them: fan-out and fan-in.</li>
 * </ul>
 */
record Graphs(String shape, int n, Map<Integer, List<Integer>> dependsOn, ObjectNode plan) {

    static Graphs of(String shape, int n) {
        Map<Integer, List<Integer>> deps = new TreeMap<>();
        ObjectNode plan = Json.MAPPER.createObjectNode().put("plan_id", "bench_" + shape + "_" + n)
                .put("project_name", "bench-" + shape + "-" + n);
        ArrayNode tiers = plan.putArray("tiers");
        switch (shape) {
            case "chain" -> {
                tier(tiers, "chain", "sequential", 1, n);
                for (int i = 1; i <= n; i++) {
                    deps.put(i, i == 1 ? List.of() : List.of(i - 1));
                }
            }
            case "wide" -> {
                tier(tiers, "wide", "parallel", 1, n);
                for (int i = 1; i <= n; i++) {
                    deps.put(i, List.of());
                }
            }
            case "diamond" -> {
                if (n < 3) {
                    throw new IllegalArgumentException("a diamond needs at least 3 steps");
                }
                tier(tiers, "top", "sequential", 1, 1);
                tier(tiers, "middle", "parallel", 2, n - 1);
                tier(tiers, "bottom", "sequential", n, n);
                deps.put(1, List.of());
                List<Integer> middle = new ArrayList<>();
                for (int i = 2; i < n; i++) {
                    deps.put(i, List.of(1));
                    middle.add(i);
                }
                deps.put(n, middle);
            }
            default -> throw new IllegalArgumentException("unknown shape " + shape + " (chain, wide, diamond)");
        }
        ArrayNode phases = plan.putArray("phases");
        for (int i = 1; i <= n; i++) {
            phases.addObject().put("id", i).put("name", "step " + i).put("agent", "@noop");
        }
        return new Graphs(shape, n, deps, plan);
    }

    private static void tier(ArrayNode tiers, String name, String mode, int from, int to) {
        ArrayNode ids = tiers.addObject().put("name", name).put("mode", mode).putArray("phases");
        for (int i = from; i <= to; i++) {
            ids.add(i);
        }
    }

    String name() {
        return shape + "-" + n;
    }

    /** The same graph for GNU make: one phony target per step, recipe {@code true}. */
    String makefile() {
        StringBuilder m = new StringBuilder(".PHONY: all");
        dependsOn.keySet().forEach(i -> m.append(" s").append(i));
        m.append("\nall:");
        dependsOn.keySet().forEach(i -> m.append(" s").append(i));
        m.append('\n');
        dependsOn.forEach((i, deps) -> {
            m.append('s').append(i).append(':');
            deps.forEach(d -> m.append(" s").append(d));
            m.append("\n\t@true\n");
        });
        return m.toString();
    }

    /** The same graph for Snakemake: one rule per step writing a marker file, shell {@code true}. */
    String snakefile() {
        StringBuilder s = new StringBuilder("rule all:\n    input: [");
        dependsOn.keySet().forEach(i -> s.append("\"out/s").append(i).append("\","));
        s.append("]\n");
        dependsOn.forEach((i, deps) -> {
            s.append("rule s").append(i).append(":\n");
            if (!deps.isEmpty()) {
                s.append("    input: [");
                deps.forEach(d -> s.append("\"out/s").append(d).append("\","));
                s.append("]\n");
            }
            s.append("    output: touch(\"out/s").append(i).append("\")\n    shell: \"true\"\n");
        });
        return s.toString();
    }
}
