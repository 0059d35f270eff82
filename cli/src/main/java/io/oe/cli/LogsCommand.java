package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What a phase attempt's agent printed, from the monitor's view of agent-output (docs/agents.md, "Live output"). */
@Command(name = "logs", description = "Print what a phase's agent printed (its latest attempt, or --attempt K): stdout"
        + " to stdout, stderr to stderr, secrets redacted; with --follow, as it prints, until the attempt ends. Exit code 2:"
        + " no such execution, phase or attempt.")
public class LogsCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Spec
    CommandSpec spec;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--phase", required = true, paramLabel = "N")
    int phase;

    @Option(names = "--attempt", paramLabel = "K", description = "The attempt (default: the phase's latest).")
    Integer attempt;

    @Option(names = {"-f", "--follow"}, description = "Keep printing as the agent prints, until the attempt ends.")
    boolean follow;

    @Override
    public Integer call() {
        if (phase < 1 || attempt != null && attempt < 1) {
            throw new CliException("--phase and --attempt are numbers from 1", CliException.REJECTED);
        }
        Api api = ctx.api();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (follow) {
            Api.Response r = api.followOutput(executionId, phase, attempt, 0, data -> print(Json.parse(data), out, err));
            refusal(r);
            return 0;
        }
        long from = 0;
        while (true) {
            Api.Response r = api.output(executionId, phase, attempt, from);
            refusal(r);
            JsonNode page = r.json();
            page.path("chunks").forEach(c -> print(c, out, err));
            if (page.path("complete").asBoolean() || page.path("chunks").isEmpty()) {
                return 0;
            }
            from = page.path("next").asLong();
            attempt = page.path("attempt").asInt(); // the latest when the first page was read: the same one throughout
        }
    }

    private void refusal(Api.Response r) {
        if (r.status() == 404 || r.status() == 400) {
            throw new CliException(Api.errorOf("logs " + executionId + " phase " + phase, r), CliException.REJECTED);
        }
        if (!r.ok()) {
            throw new CliException(Api.errorOf("logs " + executionId + " phase " + phase, r));
        }
    }

    /** One chunk: its text to stdout or stderr (in --json mode, the chunk as one JSON line), markers to stderr. */
    private void print(JsonNode chunk, PrintWriter out, PrintWriter err) {
        if (chunk == null) {
            return;
        }
        if (ctx.json) {
            out.println(new String(Json.compact(chunk), java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        long dropped = chunk.path("dropped_bytes").asLong();
        if (dropped > 0) {
            err.println("[" + dropped + " bytes of output dropped here: the gateway could not publish them fast enough]");
        }
        String text = terminalSafe(chunk.path("text").asText());
        PrintWriter to = chunk.path("stream").asText().equals("stdout") ? out : err;
        to.print(text);
        out.flush();
        err.flush();
    }

    /** The gateway already neutralised control characters; this holds for a record written by anyone else too. */
    static String terminalSafe(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c == '\n' || c == '\t' || !Character.isISOControl(c) ? c : 0xFFFD));
        return b.toString();
    }
}
