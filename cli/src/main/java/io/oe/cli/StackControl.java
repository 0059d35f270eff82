package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Starting and stopping the local stack for {@code up}, {@code down} and {@code demo}. */
final class StackControl {
    private StackControl() {
    }

    /** The running stack, or a freshly started one (detached: it outlives this JVM). */
    static StackInfo ensureUp(Context ctx, Path root, Path runners, Duration timeout, PrintStream out,
                              boolean[] started) {
        Path home = ctx.home();
        Optional<StackInfo> existing = ctx.stack();
        if (existing.isPresent()) {
            StackInfo s = existing.get();
            if (s.allAlive()) {
                started[0] = false;
                return s;
            }
            if (s.anyAlive()) {
                out.println("a previous stack is partly running; stopping what is left of it");
                LocalStack.stop(s, Duration.ofSeconds(20));
            }
        }
        out.println("starting the local stack: Kafka broker + " + LocalStack.SERVICES.size()
                + " services (logs in " + ctx.stackDir().resolve("logs") + ") ...");
        long t0 = System.nanoTime();
        try {
            LocalStack stack = LocalStack.start(LocalStack.options().home(home).stackDir(ctx.stackDir())
                    .projectRoot(root != null ? root : home).runnersFile(runners)
                    .detached(true).readyTimeout(timeout));
            out.printf("stack ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            started[0] = true;
            return stack.info();
        } catch (IllegalStateException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new CliException("cannot start the stack: " + e.getMessage());
        }
    }

    static void printUrls(StackInfo s, PrintStream out) {
        out.println("  kafka            " + s.bootstrapServers);
        s.services.forEach((name, p) -> out.printf("  %-16s %s%n", name, p.url));
        out.println("  project root     " + s.root);
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
