package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the figures were measured on, and what the stack's processes cost: CPU and memory from /proc. */
final class Machine {
    /** The broker's process in the separate stack (in the standalone stack the broker is inside the one process). */
    static final String BROKER = "kafka-broker";

    private Machine() {
    }

    static String describe() {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        String mem = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> l.replaceAll("\\D+", "")).map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GiB").orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }

    /**
     * The stack's processes by name → pid: in the separate stack the broker and each service (and extra instances);
     * in the standalone stack the one process, named {@link LocalStack#STANDALONE}, that holds the broker and all six.
     */
    static Map<String, Long> processes(LocalStack stack) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (stack.info().broker != null) {
            out.put(BROKER, stack.info().broker.pid);
        }
        stack.info().services.forEach((name, p) -> out.put(name, p.pid));
        return out;
    }

    /** How a process is shown in tables: the standalone process says what it holds. */
    static String label(String process) {
        return process.equals(LocalStack.STANDALONE) ? "standalone (broker + 6 services, one process)" : process;
    }

    /** Resident memory of the stack's processes (and their children: agents that still run), from /proc. */
    static long rssBytes(LocalStack stack) {
        long total = 0;
        for (long pid : processes(stack).values()) {
            total += rss(pid);
            total += ProcessHandle.of(pid).map(h -> h.descendants().mapToLong(d -> rss(d.pid())).sum()).orElse(0L);
        }
        return total;
    }

    /** CPU seconds (user + system) used so far by each process of the stack, by name, from /proc/&lt;pid&gt;/stat. */
    static Map<String, Double> cpuSeconds(LocalStack stack) {
        Map<String, Double> out = new TreeMap<>();
        processes(stack).forEach((name, pid) -> out.put(name, cpu(pid)));
        return out;
    }

    /**
     * CPU seconds used so far by each process's JIT compiler threads (C1 and C2), from /proc/&lt;pid&gt;/task: a young
     * process compiles for minutes (a third of a step's CPU after a 400-step warm-up, 2026-12-02), which a long-running
     * engine pays once. Part of {@link #cpuSeconds}, printed beside it.
     */
    static Map<String, Double> jitSeconds(LocalStack stack) {
        Map<String, Double> out = new TreeMap<>();
        processes(stack).forEach((name, pid) -> out.put(name, compilerThreadsCpu(pid)));
        return out;
    }

    private static double compilerThreadsCpu(long pid) {
        double seconds = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = read(task.resolve("comm").toString());
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) { // cut at 15 chars
                    seconds += cpuOfStat(read(task.resolve("stat").toString()));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return seconds; // the process or a thread ended while read
        }
        return seconds;
    }

    /** What each process used between two readings of {@link #cpuSeconds}. */
    static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((name, s) -> out.put(name, s - before.getOrDefault(name, 0.0)));
        return out;
    }

    static double total(Map<String, Double> seconds) {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double cpu(long pid) {
        return cpuOfStat(read("/proc/" + pid + "/stat"));
    }

    private static double cpuOfStat(String stat) {
        if (stat.isEmpty()) {
            return 0;
        }
        // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15; the agents'
        // CPU (cutime, cstime) is not the engine's: make and Snakemake run the same /bin/true
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ is 100 on Linux
    }

    private static long rss(long pid) {
        return read("/proc/" + pid + "/status").lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", "")) * 1024).orElse(0L);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
