package io.oe.cli;

import io.oe.deploy.StackInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", description = "Start the local stack (Kafka broker + six services); idempotent.")
public class UpCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Project root the services may read and write (OE_PROJECT_ROOT; default: the repository).")
    Path root;

    @Option(names = "--runners", paramLabel = "FILE",
            description = "Agent runner configuration for the gateway (default: deploy/runners/default.json).")
    Path runners;

    @Option(names = "--timeout-seconds", defaultValue = "240", description = "Start-up timeout (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        boolean[] started = new boolean[1];
        StackInfo s = StackControl.ensureUp(ctx, root == null ? null : root.toAbsolutePath().normalize(),
                runners == null ? null : runners.toAbsolutePath().normalize(),
                Duration.ofSeconds(timeoutSeconds), ctx.json ? System.err : System.out, started);
        if (ctx.json) {
            System.out.println(s.toJson());
        } else {
            System.out.println(started[0] ? "the stack is up:" : "the stack is already running:");
            StackControl.printUrls(s, System.out);
            System.out.println("`./oe down` stops it.");
        }
        return 0;
    }
}
