package io.oe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Process helpers: find a recorded process again, stop whole process trees, read log tails. */
public final class Processes {
    private Processes() {
    }

    /**
     * The live process with this pid, if it is still the one that was started at {@code startMillis}
     * (a recycled pid is never touched). {@code startMillis <= 0} skips that check.
     */
    public static Optional<ProcessHandle> find(long pid, long startMillis) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
            if (startMillis <= 0) {
                return true;
            }
            Optional<Instant> start = h.info().startInstant();
            // start instants from /proc have clock-tick resolution: allow a small difference.
            return start.isEmpty() || Math.abs(start.get().toEpochMilli() - startMillis) < 2_000;
        });
    }

    public static long startMillis(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * SIGTERM the process, as an operator, Kubernetes or systemd does, so that it stops what it started itself (the
     * gateway stops its agents and reports their attempts as interrupted); wait up to {@code grace}; then SIGKILL
     * whatever is left of its tree, the descendants it had when asked included.
     */
    public static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        all.addAll(root.descendants().collect(Collectors.toList()));
        root.destroy();
        try {
            root.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            // still running after the grace period: killed below
        }
        killTree(all);
    }

    /** SIGKILL the process and all its descendants, and wait until they are gone. */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        all.addAll(root.descendants().collect(Collectors.toList()));
        killTree(all);
    }

    private static void killTree(List<ProcessHandle> all) {
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** The last {@code lines} lines of a log file ("" if it does not exist). */
    public static String tail(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (Stream<String> s = Files.lines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            List<String> all = s.collect(Collectors.toList());
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** A launcher prefix that puts the child in its own session (survives the launching terminal), if available. */
    static List<String> detachPrefix() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(p))) {
                return List.of(p);
            }
        }
        return List.of();
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
