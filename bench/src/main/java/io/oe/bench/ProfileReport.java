package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The readable summary of one stack's profile, {@code bench/results/profile-<time>/<mode>.md}: a table of the
 * processes, for the standalone process a table of the services inside it (by thread names), then per process and
 * per service the top frames by CPU and by wall clock and the top allocation sites. Small enough to commit; the raw
 * recordings beside it ({@code raw/}) stay git-ignored.
 */
final class ProfileReport {
    private ProfileReport() {
    }

    static Path write(Path dir, StackResult stack, Map<String, Path> recordings, Profiler.Kind kind) throws IOException {
        boolean standalone = stack.mode() == LocalStack.Mode.STANDALONE;
        Map<String, ProfileSummary.Recording> read = new LinkedHashMap<>();
        for (var r : recordings.entrySet()) {
            read.put(r.getKey(), ProfileSummary.read(r.getValue(), kind, standalone));
        }
        long steps = stack.measuredSteps();
        StringBuilder md = new StringBuilder();
        md.append("# Profile of the ").append(stack.label()).append("\n\n");
        md.append(Instant.now()).append(". ").append(kind.description).append(", attached to each process for the measured runs only (")
                .append(stack.graphs().stream().map(GraphResult::name).collect(Collectors.joining(", ")))
                .append(stack.concurrent() > 0 ? "; " + stack.concurrent() + " × chain-10 at once" : "").append("): ")
                .append(steps).append(" steps. Raw recordings (git-ignored): ")
                .append(recordings.values().stream().map(p -> "`raw/" + p.getFileName() + "`").collect(Collectors.joining(", ")))
                .append(".\n\n");
        md.append("CPU per step is the process's user + system time from /proc over the same runs, split by each part's share "
                + "of the process's CPU samples; allocation per step is the profiler's sampled estimate ÷ steps.\n\n");

        md.append("## Processes\n\n| process | CPU ms/step (/proc) | CPU samples | ")
                .append(kind == Profiler.Kind.ASYNC_PROFILER ? "wall samples" : "native-code samples").append(" | allocated per step |\n")
                .append("|---|---:|---:|---:|---:|\n");
        read.forEach((process, r) -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %,d | %,d | %s |%n", Machine.label(process),
                stack.cpuMsPerStep(process), r.process().cpuSamples, r.process().wallSamples,
                ProfileSummary.bytes(r.process().allocBytes / Math.max(1, steps)))));
        md.append('\n');

        for (var e : read.entrySet()) {
            ProfileSummary.Recording r = e.getValue();
            double cpuMs = stack.cpuMsPerStep(e.getKey());
            if (!r.byOwner().isEmpty()) {
                md.append("## Inside ").append(Machine.label(e.getKey())).append(", by service (thread names)\n\n")
                        .append("| part | CPU % | ≈ CPU ms/step | allocated per step |\n|---|---:|---:|---:|\n");
                r.byOwner().values().stream().sorted((a, b) -> Long.compare(b.cpuSamples, a.cpuSamples))
                        .forEach(s -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", s.name,
                                share(s, r.process()) * 100, share(s, r.process()) * cpuMs,
                                ProfileSummary.bytes(s.allocBytes / Math.max(1, steps)))));
                md.append('\n');
            }
            md.append("## ").append(Machine.label(e.getKey())).append("\n\n");
            md.append(ProfileSummary.markdown("the whole process", r.process(), r.process(), cpuMs, steps, kind));
            // the services and the broker in detail; the shared and the JVM's threads are in the table above
            r.byOwner().values().stream().filter(s -> ThreadOwners.isPartOfTheStack(s.name) && s.cpuSamples + s.wallSamples > 0)
                    .sorted((a, b) -> Long.compare(b.cpuSamples, a.cpuSamples))
                    .forEach(s -> md.append(ProfileSummary.markdown(s.name, s, r.process(), cpuMs, steps, kind)));
        }
        Path file = dir.resolve(stack.mode().label() + ".md");
        Files.createDirectories(dir);
        Files.writeString(file, md);
        return file;
    }

    private static double share(ProfileSummary.Section s, ProfileSummary.Section process) {
        return process.cpuSamples == 0 ? 0 : (double) s.cpuSamples / process.cpuSamples;
    }
}
