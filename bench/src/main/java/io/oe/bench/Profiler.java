package io.oe.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bench/run --profile: records every process of a stack while the measured graphs run, attached to the running JVMs
 * (nothing changes how the stack is started, and the recording covers exactly the measured runs, not the start-up or
 * the warm-up). async-profiler when its native library loads (CPU, wall clock and allocation samples in one JFR file
 * per process; the library comes from the {@code tools.profiler:async-profiler} jar on the bench's class path), else
 * the JDK's Flight Recorder through {@code jcmd} (CPU and allocation samples; no wall clock).
 */
final class Profiler {
    enum Kind {
        ASYNC_PROFILER("async-profiler (cpu every 10 ms, wall clock every 50 ms, allocations every 512 KiB)"),
        JFR("JDK Flight Recorder, settings=profile (cpu every 10 ms, sampled allocations; no wall clock)");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private static final String ASYNC_START = "start,event=cpu,interval=10ms,wall=50ms,alloc=512k,jfr,file=";
    private static final String RECORDING = "oe-bench";

    private final Kind kind;
    private final Path library;
    private final Map<String, Long> recording = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();

    private Profiler(Kind kind, Path library) {
        this.kind = kind;
        this.library = library;
    }

    /** {@code wanted}: auto (async-profiler if it loads here, else JFR), async or jfr. */
    static Profiler choose(String wanted, Path work) throws IOException {
        if (wanted.equals("jfr")) {
            return new Profiler(Kind.JFR, null);
        }
        Path library = asyncProfilerLibrary(work);
        if (library == null) {
            if (wanted.equals("async")) {
                throw new IllegalStateException("async-profiler has no native library for " + platform()
                        + " in the tools.profiler:async-profiler jar; use --profiler jfr");
            }
            Progress.say("profile: async-profiler has no library for %s; using JDK Flight Recorder", platform());
            return new Profiler(Kind.JFR, null);
        }
        return new Profiler(Kind.ASYNC_PROFILER, library);
    }

    Kind kind() {
        return kind;
    }

    /** Starts recording each process (name → pid); the raw files go to {@code rawDir} as {@code <prefix><name>.jfr}. */
    void start(Map<String, Long> processes, Path rawDir, String prefix) throws IOException {
        Files.createDirectories(rawDir);
        for (var p : processes.entrySet()) {
            Path file = rawDir.resolve(prefix + p.getKey() + ".jfr").toAbsolutePath();
            try {
                if (kind == Kind.ASYNC_PROFILER) {
                    attach(p.getValue(), ASYNC_START + file);
                } else {
                    jcmd(p.getValue(), "JFR.start", "name=" + RECORDING, "settings=profile", "filename=" + file);
                }
                recording.put(p.getKey(), p.getValue());
                files.put(p.getKey(), file);
            } catch (Exception e) {
                // a process that cannot be recorded leaves a gap in the profile, not a failed benchmark
                Progress.say("profile: %s (pid %d) not recorded: %s", p.getKey(), p.getValue(), e.getMessage());
            }
        }
    }

    /** Stops every recording; returns the files written (name → file). */
    Map<String, Path> stop() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (var p : recording.entrySet()) {
            Path file = files.get(p.getKey());
            try {
                if (kind == Kind.ASYNC_PROFILER) {
                    attach(p.getValue(), "stop,file=" + file);
                } else {
                    jcmd(p.getValue(), "JFR.stop", "name=" + RECORDING);
                }
                if (Files.size(file) > 0) {
                    out.put(p.getKey(), file);
                }
            } catch (Exception e) {
                Progress.say("profile: %s recording not written: %s", p.getKey(), e.getMessage());
            }
        }
        recording.clear();
        return out;
    }

    private void attach(long pid, String command) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            vm.loadAgentPath(library.toString(), command);
        } finally {
            vm.detach();
        }
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + output.strip());
        }
    }

    /** The library for this machine, copied out of the jar on the class path; null when there is none. */
    static Path asyncProfilerLibrary(Path work) throws IOException {
        String resource = "/" + platform() + "/libasyncProfiler.so";
        try (InputStream in = Profiler.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Path lib = Files.createDirectories(work.resolve("async-profiler")).resolve("libasyncProfiler.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            return lib.toAbsolutePath();
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "arm64" : arch;
        return (os.contains("linux") ? "linux" : os.replace(' ', '-')) + "-" + cpu;
    }
}
