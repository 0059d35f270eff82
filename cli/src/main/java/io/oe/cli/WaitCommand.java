package io.oe.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Follows an execution in any state, so that a script can command it and then wait for the outcome. */
@Command(name = "wait", description = "Follow an execution until it ends or waits for a person. Exit code: 0 completed,"
        + " 1 cancelled, 3 waits for a person (oe retry, oe skip, oe rerun, oe approve, oe review), 2 no such execution.")
public class WaitCommand implements Callable<Integer> {
    /** How long an execution may be unknown to the monitor: one just created may not be folded yet. */
    static final Duration UNKNOWN_PATIENCE = Duration.ofSeconds(10);

    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--timeout-seconds", defaultValue = "3600", description = "Give up after (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Api api = ctx.api();
        long until = System.nanoTime() + UNKNOWN_PATIENCE.toNanos();
        while (api.state(executionId).status() == 404) {
            if (System.nanoTime() > until) {
                throw new CliException("no execution " + executionId + " (monitor-service has no state for it)",
                        CliException.REJECTED);
            }
            Thread.sleep(300);
        }
        return Progress.follow(ctx, api, executionId, Duration.ofSeconds(timeoutSeconds), Instant.EPOCH);
    }
}
