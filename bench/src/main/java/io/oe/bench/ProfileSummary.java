package io.oe.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one process did while it was recorded, from its JFR file (async-profiler's or the JDK's): CPU samples, wall
 * samples and sampled allocations, by frame, by thread, and, for the standalone process, by the service each thread
 * works for ({@link ThreadOwners}). Rendered as a short Markdown section ({@link #TOP} frames of each kind).
 */
final class ProfileSummary {
    static final int TOP = 25;
    static final String ENGINE_PACKAGE = "io.oe.";

    /** One stack frame, as far as a summary cares: its name and whether it is Java code (else C++, kernel, a library). */
    record Frame(String name, boolean java) {
    }

    /** Samples and allocations of one part of a process (the whole process, or one service's threads). */
    static final class Section {
        final String name;
        long cpuSamples;
        long wallSamples;
        long allocBytes;
        final Map<String, Long> cpuSelf = new HashMap<>();
        final Map<String, Long> cpuEngine = new HashMap<>();
        final Map<String, Long> cpuByThread = new HashMap<>();
        final Map<String, Long> wallSelf = new HashMap<>();
        final Map<String, Long> wallByThread = new HashMap<>();
        final Map<String, Long> allocBySite = new HashMap<>();

        Section(String name) {
            this.name = name;
        }

        /** A CPU sample: its leaf frame (self), each engine frame on its stack once (inclusive), its thread. */
        void cpu(String thread, List<Frame> frames, long weight) {
            cpuSamples += weight;
            cpuSelf.merge(frames.isEmpty() ? "(no stack)" : frames.get(0).name(), weight, Long::sum);
            Set<String> engine = new HashSet<>();
            for (Frame f : frames) {
                if (f.name().startsWith(ENGINE_PACKAGE) && engine.add(f.name())) {
                    cpuEngine.merge(f.name(), weight, Long::sum);
                }
            }
            cpuByThread.merge(ThreadOwners.group(thread), weight, Long::sum);
        }

        /**
         * A wall-clock sample: the topmost frame outside the JDK (where the thread waits or works: a Kafka client's
         * poll, an engine method) rather than the park or epoll under it, which is the same for every wait.
         */
        void wall(String thread, List<Frame> frames, long weight) {
            wallSamples += weight;
            wallSelf.merge(where(frames), weight, Long::sum);
            wallByThread.merge(ThreadOwners.group(thread), weight, Long::sum);
        }

        /**
         * A sampled allocation standing for {@code bytes}: by class and the topmost frame outside the JDK (the code
         * that asked for it, rather than the HashMap or array copy that did it).
         */
        void alloc(String objectClass, List<Frame> frames, long bytes) {
            allocBytes += bytes;
            allocBySite.merge(objectClass + " in " + where(frames), bytes, Long::sum);
        }
    }

    /** The topmost frame outside the JDK, else the topmost Java frame, else the top frame. */
    static String where(List<Frame> frames) {
        return frames.stream().filter(f -> f.java() && !inJdk(f.name())).findFirst()
                .or(() -> frames.stream().filter(Frame::java).findFirst()).or(() -> frames.stream().findFirst())
                .map(Frame::name).orElse("(no stack)");
    }

    static boolean inJdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("javax.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                || frame.startsWith("com.sun.");
    }

    private static final Pattern GENERATED = Pattern.compile("\\$\\$Lambda\\$\\d+[./]0x\\p{XDigit}+|\\.0x\\p{XDigit}+");

    /**
     * A frame's name without what differs between runs: a lambda's class is {@code Foo$$Lambda$1341.0x00007f35...},
     * a method handle's {@code LambdaForm$DMH.0x00007f35...}; both are folded so that the same code adds up.
     */
    static String fold(String frame) {
        return GENERATED.matcher(frame).replaceAll(m -> m.group().startsWith("$") ? "\\$\\$Lambda" : "");
    }

    /** What the recording of one process holds: the process as a whole and, when split, each owner's part. */
    record Recording(Section process, Map<String, Section> byOwner) {
    }

    /**
     * Reads a recording. {@code splitByOwner}: also a section per service (the standalone process). The event types:
     * CPU from {@code jdk.ExecutionSample}; wall from async-profiler's {@code profiler.WallClockSample} (the JDK's
     * recorder has no wall-clock sampler: its {@code jdk.NativeMethodSample}, threads in native code, stands in);
     * allocations from async-profiler's TLAB events or the JDK's {@code jdk.ObjectAllocationSample}.
     */
    static Recording read(Path file, Profiler.Kind kind, boolean splitByOwner) throws IOException {
        Section process = new Section("process");
        Map<String, Section> byOwner = new LinkedHashMap<>();
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String type = e.getEventType().getName();
                boolean cpu = type.equals("jdk.ExecutionSample");
                boolean wall = type.equals(kind == Profiler.Kind.ASYNC_PROFILER ? "profiler.WallClockSample" : "jdk.NativeMethodSample");
                long allocBytes = allocationBytes(e, kind);
                if (!cpu && !wall && allocBytes <= 0) {
                    continue;
                }
                String thread = threadName(e.getThread(cpu || wall ? "sampledThread" : "eventThread"));
                List<Frame> frames = frames(e.getStackTrace());
                long weight = e.hasField("samples") ? Math.max(1, e.getLong("samples")) : 1;
                List<Section> targets = new ArrayList<>(List.of(process));
                if (splitByOwner) {
                    targets.add(byOwner.computeIfAbsent(ThreadOwners.of(thread), Section::new));
                }
                for (Section s : targets) {
                    if (cpu) {
                        s.cpu(thread, frames, weight);
                    } else if (wall) {
                        if (thread != null && isJavaThread(e)) { // a GC or compiler thread's sleep is no one's wait
                            s.wall(thread, frames, weight);
                        }
                    } else {
                        s.alloc(className(e), frames, allocBytes);
                    }
                }
            }
        }
        return new Recording(process, byOwner);
    }

    /**
     * The bytes a sampled allocation event stands for. async-profiler samples every N bytes and writes the sampling
     * weight as {@code tlabSize} ({@code allocationSize} outside a TLAB); the JDK's sampler writes {@code weight}.
     */
    private static long allocationBytes(RecordedEvent e, Profiler.Kind kind) {
        String type = e.getEventType().getName();
        if (kind == Profiler.Kind.JFR) {
            return type.equals("jdk.ObjectAllocationSample") ? e.getLong("weight") : 0;
        }
        if (type.equals("jdk.ObjectAllocationInNewTLAB")) {
            long tlab = e.getLong("tlabSize");
            return tlab > 0 ? tlab : e.getLong("allocationSize");
        }
        return type.equals("jdk.ObjectAllocationOutsideTLAB") ? e.getLong("allocationSize") : 0;
    }

    private static boolean isJavaThread(RecordedEvent e) {
        RecordedThread t = e.getThread("sampledThread");
        return t != null && t.getJavaName() != null;
    }

    private static String threadName(RecordedThread t) {
        if (t == null) {
            return null;
        }
        return t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    }

    private static String className(RecordedEvent e) {
        var c = e.getClass("objectClass");
        return c == null ? "?" : c.getName();
    }

    static List<Frame> frames(RecordedStackTrace trace) {
        if (trace == null) {
            return List.of();
        }
        List<Frame> out = new ArrayList<>(trace.getFrames().size());
        for (RecordedFrame f : trace.getFrames()) {
            String type = f.getMethod().getType() == null ? "" : f.getMethod().getType().getName();
            String name = type.isEmpty() ? f.getMethod().getName() : type + "." + f.getMethod().getName();
            out.add(new Frame(fold(name), isJava(f.getType(), type)));
        }
        return out;
    }

    /**
     * async-profiler marks every frame a Java frame ({@link RecordedFrame#isJavaFrame()}), so the frame's type says:
     * interpreted, compiled or inlined code is Java; "Native" is Java only for a class's native method (a library's
     * frame is named after the library, {@code libc.so.6}); "C++" and "Kernel" never are.
     */
    static boolean isJava(String frameType, String className) {
        if (frameType == null) {
            return true;
        }
        return switch (frameType) {
            case "Interpreted", "JIT compiled", "Inlined" -> true;
            case "Native" -> className.contains(".") && !className.contains(".so") && !className.startsWith("[");
            default -> false;
        };
    }

    // ---- rendering ----

    /**
     * A Markdown section for one part of a stack. {@code cpuMsPerStep}: the process's CPU per step from /proc (exact),
     * split by this part's share of the process's CPU samples.
     */
    static String markdown(String title, Section s, Section process, double cpuMsPerStep, long steps, Profiler.Kind kind) {
        StringBuilder out = new StringBuilder();
        double share = process.cpuSamples == 0 ? 0 : (double) s.cpuSamples / process.cpuSamples;
        out.append("### ").append(title).append("\n\n");
        out.append(String.format(Locale.ROOT, "CPU: %,d samples (%.0f %% of the process's), about %.1f ms per step; "
                + "wall: %,d samples; allocated: about %s per step.%n%n", s.cpuSamples, 100 * share, share * cpuMsPerStep,
                s.wallSamples, bytes(steps == 0 ? 0 : s.allocBytes / steps)));
        table(out, "CPU, top frames (self)", "samples", s.cpuSelf, s.cpuSamples, false);
        table(out, "CPU in engine code (io.oe.*, inclusive: the frame or what it called)", "samples", s.cpuEngine,
                s.cpuSamples, false);
        table(out, kind == Profiler.Kind.ASYNC_PROFILER ? "Wall clock, Java threads (topmost frame outside the JDK: where each waits or works)"
                : "Threads in native code (JDK recorder: no wall-clock sampler; async-profiler gives wall time)",
                "samples", s.wallSelf, s.wallSamples, false);
        table(out, "Allocation sites (class in frame), per step", "bytes/step", perStep(s.allocBySite, steps),
                steps == 0 ? 0 : s.allocBytes / steps, true);
        threads(out, s);
        return out.toString();
    }

    private static Map<String, Long> perStep(Map<String, Long> values, long steps) {
        Map<String, Long> out = new HashMap<>();
        values.forEach((k, v) -> out.put(k, steps == 0 ? 0 : v / steps));
        return out;
    }

    private static void table(StringBuilder out, String title, String unit, Map<String, Long> values, long total, boolean inBytes) {
        out.append("**").append(title).append("**\n\n");
        if (values.isEmpty() || total == 0) {
            out.append("(none recorded)\n\n");
            return;
        }
        out.append("| ").append(unit).append(" | % | frame |\n|---:|---:|---|\n");
        for (var e : top(values, TOP)) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f | `%s` |%n", inBytes ? bytes(e.getValue()) : String.format(Locale.ROOT,
                    "%,d", e.getValue()), 100.0 * e.getValue() / total, cell(e.getKey())));
        }
        out.append('\n');
    }

    /** CPU and wall by thread group, the ten busiest on CPU. */
    private static void threads(StringBuilder out, Section s) {
        out.append("**Threads (by CPU; numbers and ids folded)**\n\n| thread | CPU % | wall % |\n|---|---:|---:|\n");
        for (var e : top(s.cpuByThread, 10)) {
            out.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.1f |%n", cell(e.getKey()),
                    s.cpuSamples == 0 ? 0 : 100.0 * e.getValue() / s.cpuSamples,
                    s.wallSamples == 0 ? 0 : 100.0 * s.wallByThread.getOrDefault(e.getKey(), 0L) / s.wallSamples));
        }
        out.append('\n');
    }

    /** A table cell: a pipe (Kafka's network threads are named {@code kafka-producer-network-thread | <client>}) would end it. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }

    static List<Map.Entry<String, Long>> top(Map<String, Long> values, int n) {
        return values.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n).toList();
    }

    static String bytes(long b) {
        if (b >= 10L << 20) {
            return String.format(Locale.ROOT, "%.0f MiB", b / 1048576.0);
        }
        if (b >= 10L << 10) {
            return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
        }
        return b + " B";
    }
}
