package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Starting and stopping the local stack for {@code up}, {@code down}, {@code restart} and {@code demo}. */
final class StackControl {
    private StackControl() {
    }

    /**
     * The stack as asked, started where it does not run (detached: it outlives this JVM): what runs as asked is left
     * alone. {@code root}, {@code runners}, {@code mode} null: as the stack recorded them (else the defaults).
     */
    static LocalStack.Up ensureUp(Context ctx, Path root, Path runners, LocalStack.Mode mode, Duration timeout, PrintStream out) {
        Path home = ctx.home();
        Optional<StackInfo> recorded = ctx.stack();
        LocalStack.Mode wanted = mode != null ? mode
                : recorded.map(s -> LocalStack.Mode.parse(s.standalone() ? "standalone" : "separate")).orElse(LocalStack.Mode.STANDALONE);
        Path wantedRoot = root != null ? root : recorded.map(s -> s.root).filter(r -> r != null).map(Path::of).orElse(home);
        Path wantedRunners = runners != null ? runners : recorded.map(s -> s.runnersFile).filter(r -> r != null).map(Path::of).orElse(null);
        if (recorded.isEmpty() || !recorded.get().allAlive()) {
            out.println("starting the local stack (" + (wanted == LocalStack.Mode.STANDALONE
                    ? "standalone: the Kafka broker and " + LocalStack.SERVICES.size() + " services in one process"
                    : "separate: a Kafka broker and " + LocalStack.SERVICES.size() + " service processes")
                    + "; data and logs in " + ctx.stackDir() + ") ...");
        }
        long t0 = System.nanoTime();
        try {
            LocalStack.Up up = LocalStack.up(LocalStack.options().home(home).stackDir(ctx.stackDir()).mode(wanted)
                    .projectRoot(wantedRoot).runnersFile(wantedRunners).detached(true).readyTimeout(timeout));
            up.restarted().forEach((name, why) -> out.println("restarted " + name + ": " + why));
            if (!up.started().isEmpty()) {
                out.printf("started %s; ready in %.1f s%n", String.join(", ", up.started()), (System.nanoTime() - t0) / 1e9);
            }
            return up;
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            throw new CliException("cannot start the stack: " + e.getMessage());
        }
    }

    static void printUrls(StackInfo s, PrintStream out) {
        out.println("  mode             " + (s.standalone() ? "standalone (one process)" : "separate (one process per service)"));
        out.println("  kafka            " + s.bootstrapServers);
        s.services.forEach((name, p) -> out.printf("  %-16s %s%n", name, p.url));
        out.println("  project root     " + s.root);
        out.println("  data             " + s.stackDir);
        String dashboard = dashboard(s, null);
        if (dashboard != null) {
            out.println("  dashboard        " + dashboard);
        }
    }

    /** The monitor's live page, opened on one execution when {@code executionId} is given; null without a monitor. */
    static String dashboard(StackInfo s, String executionId) {
        String monitor = s.url("monitor-service");
        return monitor == null ? null : monitor + "/" + (executionId == null ? "" : "#" + executionId);
    }
}
