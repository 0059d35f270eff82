package io.oe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "execute", description = "Start an initialized execution; with --wait, follow it to the end.")
public class ExecuteCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", required = true, paramLabel = "ID")
    String executionId;

    @Option(names = "--config", paramLabel = "FILE", description = "engine.config.json replacing the one given at init")
    Path config;

    @Option(names = "--wait", description = "Wait until the execution completes, is cancelled, or waits for a person"
            + " (exit code as `oe wait`); an execution started before is followed as it is.")
    boolean await;

    @Option(names = "--timeout-seconds", defaultValue = "3600", description = "With --wait (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        ObjectNode cmd = Json.MAPPER.createObjectNode();
        cmd.put("command", "START");
        cmd.put("actor", "cli:" + System.getProperty("user.name", "unknown"));
        if (config != null) {
            cmd.set("config", Json.readFile(config.toAbsolutePath(), "engine config"));
        }
        Api api = ctx.api();
        Api.Response r = api.command(executionId, cmd);
        if (r.status() == 409 && await) {
            // already started (or ended): --wait follows it in whatever state it is
            System.err.println("oe execute: " + Api.errorOf("START " + executionId, r) + "; following the execution");
        } else if (!r.ok()) {
            throw new CliException(Api.errorOf("START " + executionId, r),
                    r.status() == 422 || r.status() == 404 ? CliException.REJECTED : CliException.FAILED);
        }
        if (!await) {
            System.out.println(ctx.json ? Json.pretty(r.json() != null ? r.json() : Json.MAPPER.createObjectNode())
                    : "execution " + executionId + " started");
            return 0;
        }
        return Progress.follow(ctx, api, executionId, Duration.ofSeconds(timeoutSeconds), Instant.EPOCH);
    }
}
