package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart",
        description = "Restart one service of the local stack (separate mode), or the whole stack when none is named; "
                + "the data stays and running executions continue.")
public class RestartCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "plan-loader, phase-scheduler, agent-gateway, "
            + "handoff-service, state-projector, monitor-service (or none: every process)")
    String service;

    @Option(names = "--timeout-seconds", defaultValue = "240", description = "Start-up timeout (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        StackInfo recorded = ctx.stack().orElseThrow(() -> new CliException("no stack (no " + ctx.stackDir().resolve(StackInfo.FILE)
                + "); `oe up` starts one"));
        if (service != null && !LocalStack.SERVICES.containsKey(service) && !service.equals(LocalStack.STANDALONE)) {
            throw new CliException("unknown service '" + service + "': one of " + LocalStack.SERVICES.keySet(), CliException.REJECTED);
        }
        if (service != null && recorded.standalone() && !service.equals(LocalStack.STANDALONE)) {
            throw new CliException("the standalone stack runs every service in one process: `oe restart` restarts it "
                    + "(`oe up --services separate` runs each service in its own process)", CliException.REJECTED);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        long t0 = System.nanoTime();
        if (service == null) {
            LocalStack.stop(recorded, Duration.ofSeconds(30));
            StackControl.ensureUp(ctx, null, null, null, timeout, System.out);
        } else {
            LocalStack.Up up = StackControl.ensureUp(ctx, null, null, null, timeout, System.out);
            if (up.started().contains(service) || up.restarted().containsKey(service)) {
                System.out.println(service + " was not running: started");
                return 0;
            }
            try {
                up.stack().restart(service);
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new CliException("cannot restart " + service + ": " + e.getMessage());
            }
        }
        System.out.printf("restarted %s in %.1f s%n", service == null ? "the stack" : service, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
