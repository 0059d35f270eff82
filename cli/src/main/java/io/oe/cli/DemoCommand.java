package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Run the MyApp example plan end to end on the local stack (starts it if needed).")
public class DemoCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--timeout-seconds", defaultValue = "600", description = "Execution timeout (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        Path home = ctx.home();
        Path example = home.resolve("examples/myapp");
        if (!Files.isDirectory(example)) {
            throw new CliException("the example project " + example + " is missing");
        }
        Path copy = home.resolve(".oe/demo/myapp-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // a running stack whose project root holds the copy is used as it is; otherwise its root becomes the repository
        Path root = ctx.stack().map(s -> s.root).filter(r -> r != null && copy.startsWith(Path.of(r))).isPresent() ? null : home;
        LocalStack.Up up = StackControl.ensureUp(ctx, root, null, null, Duration.ofSeconds(240), System.out);
        StackInfo stack = up.stack().info();
        if (up.started().isEmpty() && up.restarted().isEmpty()) {
            System.out.println("using the running stack (" + stack.url("plan-loader") + ")");
        }
        copyTree(example, copy);
        System.out.println("project copied to " + copy);

        // as a user would: the config names the plan and the project plan
        BundlePacker.Packed packed = BundlePacker.pack(null, null, copy.resolve("engine.config.json"), true);
        packed.missing().forEach(m -> System.err.println("warning: " + m));
        Api api = ctx.api();
        long tSubmit = System.nanoTime();
        JsonNode created = Executions.create(api, packed);
        String id = created.path("execution_id").asText();
        System.out.println("execution " + id + " started (" + created.path("project_name").asText() + ")");
        String dashboard = StackControl.dashboard(stack, id);
        if (dashboard != null) {
            System.out.println("watch it live: " + dashboard);
        }
        JsonNode state = Progress.await(api, id, Duration.ofSeconds(timeoutSeconds), System.out);
        long tDone = System.nanoTime();
        String status = state.path("status").asText();

        Api.Response report = api.report(id, "md");
        System.out.println();
        System.out.println(report.ok() ? report.body().stripTrailing() : Api.errorOf("report", report));
        System.out.println();

        Path stateFile = copy.resolve(stateFilePath(copy));
        awaitFile(stateFile, status, Duration.ofSeconds(15));
        System.out.println("engine state:  " + stateFile + (Files.isRegularFile(stateFile) ? "" : " (not written!)"));
        System.out.printf("execution %s %s: %.1f s from submit to end, %.1f s wall time in all%n", id, status,
                (tDone - tSubmit) / 1e9, (System.nanoTime() - t0) / 1e9);
        System.out.println("the stack is still running; `./oe down` stops it.");
        boolean completed = ExecutionStatus.find(status).orElse(null) == ExecutionStatus.COMPLETED;
        return completed && Files.isRegularFile(stateFile) ? 0 : CliException.FAILED;
    }

    private static String stateFilePath(Path project) {
        Path cfg = project.resolve("engine.config.json");
        if (Files.isRegularFile(cfg)) {
            JsonNode c = Json.readFile(cfg, "engine config");
            if (c.hasNonNull("state_file_path")) {
                return c.get("state_file_path").asText();
            }
        }
        return "tee-output/engine-state.json";
    }

    /** The monitor writes the file shortly after the state changes: wait until it shows the final status. */
    private static void awaitFile(Path file, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                try {
                    JsonNode j = Json.MAPPER.readTree(file.toFile());
                    if (j != null && status.equals(j.path("status").asText())) {
                        return;
                    }
                } catch (IOException ignored) {
                    // being written
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("tee-output/workspaces")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
