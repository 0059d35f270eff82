package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down",
        description = "Stop exactly what `oe up` started. The data stays (executions, logs, state): `oe up` continues "
                + "where it stopped; `oe reset` deletes it.")
public class DownCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Override
    public Integer call() {
        Optional<StackInfo> s = ctx.stack();
        if (s.isEmpty()) {
            System.out.println(ctx.json ? "{\"stopped\": []}" : "no stack running (no " + ctx.stackDir().resolve(StackInfo.FILE) + ")");
            return 0;
        }
        List<String> stopped = LocalStack.stop(s.get(), Duration.ofSeconds(30));
        if (ctx.json) {
            System.out.println("{\"stopped\": " + Json.pretty(Json.MAPPER.valueToTree(stopped)) + "}");
        } else {
            System.out.println((stopped.isEmpty() ? "nothing was running any more"
                    : "stopped " + String.join(", ", stopped)) + "; data kept in " + ctx.stackDir()
                    + " (`oe up` continues, `oe reset` deletes it)");
        }
        return 0;
    }
}
