package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the figures were measured on, and how much memory the stack holds. */
final class Machine {
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

    /** Resident memory of the broker and every service process (and their children), from /proc. */
    static long rssBytes(LocalStack stack) {
        List<Long> pids = new ArrayList<>();
        if (stack.info().broker != null) {
            pids.add(stack.info().broker.pid);
        }
        stack.info().services.values().forEach(p -> pids.add(p.pid));
        long total = 0;
        for (long pid : pids) {
            total += rss(pid);
            total += ProcessHandle.of(pid).map(h -> h.descendants().mapToLong(d -> rss(d.pid())).sum()).orElse(0L);
        }
        return total;
    }

    /** CPU seconds (user + system) used so far by the broker and each service, by name, from /proc/&lt;pid&gt;/stat. */
    static java.util.Map<String, Double> cpuSeconds(LocalStack stack) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        if (stack.info().broker != null) {
            out.put("kafka-broker", cpu(stack.info().broker.pid));
        }
        stack.info().services.forEach((name, p) -> out.put(name, cpu(p.pid)));
        return out;
    }

    private static double cpu(long pid) {
        String stat = read("/proc/" + pid + "/stat");
        if (stat.isEmpty()) {
            return 0;
        }
        // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
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
