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
        return 0;
    }
}
