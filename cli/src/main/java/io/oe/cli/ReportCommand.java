package io.oe.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Print an execution's report: Markdown (default), JSON or a self-contained HTML page.")
public class ReportCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|json|html", description = "md (default), json or html")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here (atomically) instead of standard output.")
    Path out;

    @Override
    public Integer call() {
        String f = ctx.json ? "json" : format;
        if (!f.equals("md") && !f.equals("json") && !f.equals("html")) {
            throw new CliException("--format must be md, json or html, not " + format, CliException.REJECTED);
        }
        Api.Response r = ctx.api().report(executionId, f);
        if (r.status() == 404) {
            throw new CliException("no execution " + executionId + " (monitor-service has no report for it)");
        }
        if (!r.ok()) {
            throw new CliException(Api.errorOf("monitor-service GET report", r));
        }
        String body = f.equals("json") && r.json() != null ? Json.pretty(r.json()) : r.body();
        if (out == null) {
            System.out.println(body.stripTrailing());
            return 0;
        }
        OutputFile.write(out, body);
        System.out.println(f + " report of " + executionId + " written to " + out);
        return 0;
    }
}
