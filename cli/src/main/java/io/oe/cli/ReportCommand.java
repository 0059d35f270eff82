package io.oe.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Print an execution's report (markdown or JSON).")
public class ReportCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|json", description = "md (default) or json")
    String format;

    @Override
    public Integer call() {
        String f = ctx.json ? "json" : format;
        if (!f.equals("md") && !f.equals("json")) {
            throw new CliException("--format must be md or json, not " + format, CliException.REJECTED);
        }
        Api.Response r = ctx.api().report(executionId, f);
        if (r.status() == 404) {
            throw new CliException("no execution " + executionId + " (monitor-service has no report for it)");
        }
        if (!r.ok()) {
            throw new CliException(Api.errorOf("monitor-service GET report", r));
        }
        String body = f.equals("json") && r.json() != null ? Json.pretty(r.json()) : r.body();
        System.out.println(body.stripTrailing());
        return 0;
    }
}
