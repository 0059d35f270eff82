package io.oe.cli;

import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reset",
        description = "Delete the local stack's data: every execution (the broker's log), the services' state, logs and "
                + "the API token. The only command that deletes data: it says what it deletes and asks first. "
                + "Projects' own files (tee-output/, project-plan.json) are not touched.")
public class ResetCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--yes", description = "Do not ask (for scripts).")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        Path dir = ctx.stackDir();
        Map<Path, String> data = LocalStack.dataOf(dir);
        if (data.isEmpty()) {
            System.out.println("nothing to delete: " + dir + " holds no stack data");
            return 0;
        }
        boolean running = ctx.stack().map(StackInfo::anyAlive).orElse(false);
        System.out.println("This deletes, under " + dir + ":");
        data.forEach((p, what) -> System.out.printf("  %-12s %s%n", dir.relativize(p), what));
        if (running) {
            System.out.println("The running stack is stopped first.");
        }
        if (!yes) {
            System.out.print("Delete all of it? Type 'yes' to confirm: ");
            System.out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equals("yes")) {
                System.out.println(answer == null ? "\nno answer (no terminal? use --yes): nothing deleted" : "nothing deleted");
                return CliException.REJECTED;
            }
        }
        if (running) {
            LocalStack.stop(ctx.stack().orElseThrow(), Duration.ofSeconds(30));
        }
        List<Path> deleted = LocalStack.reset(dir);
        System.out.println("deleted " + deleted.stream().map(p -> dir.relativize(p).toString()).toList()
                + "; `oe up` starts an empty stack");
        return 0;
    }
}
