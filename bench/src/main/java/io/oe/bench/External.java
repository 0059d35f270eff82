package io.oe.bench;

import io.oe.deploy.DebianPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The same graphs on GNU make -j2 and Snakemake -j2: wall seconds, or infinity when a tool did not finish in time. */
final class External {
    private final Path work;
    private final Duration timeout;

    External(Path work, Duration timeout) {
        this.work = work;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    double make(Graphs g) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("make-" + g.name()));
        Files.writeString(dir.resolve("Makefile"), g.makefile());
        return time(dir, List.of("make", "-j2", "-s", "all"));
    }

    double snakemake(Graphs g) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("snakemake-" + g.name()));
        Files.writeString(dir.resolve("Snakefile"), g.snakefile());
        return time(dir, List.of("snakemake", "-j2", "--quiet", "all", "-s", "Snakefile"));
    }

    static boolean snakemakeAvailable() {
        // Debian's package (PyPI is often out of reach here)
        return DebianPackages.ensure(List.of("snakemake", "--version"), "snakemake");
    }

    private double time(Path dir, List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
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
