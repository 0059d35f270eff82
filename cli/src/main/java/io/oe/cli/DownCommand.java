package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "down", description = "Stop exactly what `oe up` started; remove its stack.json, broker data and state.")
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
        List<String> stopped = LocalStack.stop(s.get(), Duration.ofSeconds(20));
        Path dir = ctx.stackDir();
        delete(dir.resolve("kafka"));
        delete(dir.resolve("state"));
        if (ctx.json) {
            System.out.println("{\"stopped\": " + Json.pretty(Json.MAPPER.valueToTree(stopped)) + "}");
        } else {
            System.out.println(stopped.isEmpty() ? "nothing was running any more; cleaned up"
                    : "stopped " + String.join(", ", stopped) + " (logs kept in " + dir.resolve("logs") + ")");
        }
        return 0;
    }

    private static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            w.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
