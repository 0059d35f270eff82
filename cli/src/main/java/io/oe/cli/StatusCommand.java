package io.oe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show an execution's state (status, per-tier counts, per-phase status).")
public class StatusCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Override
    public Integer call() {
        Api.Response r = ctx.api().state(executionId);
        if (r.status() == 404) {
            throw new CliException("no execution " + executionId + " (monitor-service has no state for it)");
        }
        if (!r.ok() || r.json() == null) {
            throw new CliException(Api.errorOf("monitor-service GET state", r));
        }
        System.out.print(ctx.json ? Json.pretty(r.json()) + System.lineSeparator() : StatusFormatter.format(r.json()));
        warnAboutTheStack();
        return 0;
    }

    /**
     * An execution's state is only as fresh as the services that fold it: when one of the local stack's services is
     * not ready or not live (a stopped stream thread, a rebalance), say so on stderr, so a state that stopped moving
     * is not taken for a stuck plan.
     */
    private void warnAboutTheStack() {
        ctx.localStack().ifPresent(stack -> StackHealth.of(stack).stream().filter(s -> !s.ready())
                .forEach(s -> System.err.println("oe status: warning: " + s.name() + " is " + s.state()
                        + (s.detail().isEmpty() ? "" : ": " + s.detail()) + " (see `./oe ps`)")));
    }
}
