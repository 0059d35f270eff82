package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up",
        description = {"Start the local stack, or what is missing of it: a running process is left alone (a changed "
                + "--root or --runners restarts only what reads it). Executions, logs and state are kept across "
                + "`oe down` / `oe up`; `oe reset` deletes them."})
public class UpCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Project root the services may read and write (OE_PROJECT_ROOT; default: as before, else the repository).")
    Path root;

    @Option(names = "--runners", paramLabel = "FILE",
            description = "Agent runner configuration for the gateway (default: as before, else deploy/runners/default.json).")
    Path runners;

    @Option(names = "--services", paramLabel = "MODE",
            description = "standalone: the broker and the six services in one process (default); separate: one process "
                    + "each, as deployed (a service can be stopped or restarted on its own).")
    String services;

    @Option(names = "--timeout-seconds", defaultValue = "240", description = "Start-up timeout (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        LocalStack.Mode mode;
        try {
            mode = services == null ? null : LocalStack.Mode.parse(services);
        } catch (IllegalArgumentException e) {
            throw new CliException("--services: " + e.getMessage(), CliException.REJECTED);
        }
        LocalStack.Up up = StackControl.ensureUp(ctx, root == null ? null : root.toAbsolutePath().normalize(),
                runners == null ? null : runners.toAbsolutePath().normalize(), mode,
                Duration.ofSeconds(timeoutSeconds), ctx.json ? System.err : System.out);
        StackInfo s = up.stack().info();
        if (ctx.json) {
            System.out.println(s.toJson());
        } else {
            System.out.println(up.started().isEmpty() && up.restarted().isEmpty() ? "the stack is already running:" : "the stack is up:");
            StackControl.printUrls(s, System.out);
            System.out.println("`./oe ps` shows each process; `./oe down` stops them (the data stays).");
        }
        return 0;
    }
}
