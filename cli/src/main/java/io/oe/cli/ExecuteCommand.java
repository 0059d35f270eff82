package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--wait", description = "Wait until the execution completes, is cancelled, or waits for a person.")
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
        if (!r.ok()) {
            throw new CliException(Api.errorOf("START " + executionId, r),
                    r.status() == 422 || r.status() == 404 ? CliException.REJECTED : CliException.FAILED);
        }
        if (!await) {
            System.out.println(ctx.json ? Json.pretty(r.json() != null ? r.json() : Json.MAPPER.createObjectNode())
                    : "execution " + executionId + " started");
            return 0;
        }
        long t0 = System.nanoTime();
        JsonNode state = Progress.await(api, executionId, Duration.ofSeconds(timeoutSeconds),
                ctx.json ? null : System.out);
        String status = state.path("status").asText();
        if (ctx.json) {
            System.out.println(Json.pretty(state));
        } else {
            System.out.printf("execution %s %s after %.1f s%n", executionId, status, (System.nanoTime() - t0) / 1e9);
        }
        return "completed".equals(status) ? 0 : CliException.FAILED;
    }
}
