package io.oe.cli;

import io.oe.deploy.OeHome;
import io.oe.deploy.StackInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command shares: output mode and where the services are. */
public class Context {
    @Option(names = "--json", description = "Machine-readable JSON output.")
    boolean json;

    @Option(names = "--plan-loader-url", paramLabel = "URL",
            description = "plan-loader base URL (default: env OE_PLAN_LOADER_URL, then .oe/stack/stack.json).")
    String planLoaderUrl;

    @Option(names = "--monitor-url", paramLabel = "URL",
            description = "monitor-service base URL (default: env OE_MONITOR_URL, then .oe/stack/stack.json).")
    String monitorUrl;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The local stack's home: its broker log, services' state, logs and stack.json (default: env OE_DATA, then <repository>/.oe/stack).")
    Path data;

    public Path home() {
        return OeHome.find().or(Context::homeFromJar).orElseThrow(() -> new CliException(
                "cannot find the Orchestration Engine home: set OE_HOME to the repository root"));
    }

    /** cli/target/oe-cli.jar → the repository root. */
    private static Optional<Path> homeFromJar() {
        try {
            Path jar = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            while (dir != null) {
                if (OeHome.looksLikeHome(dir)) {
                    return Optional.of(dir);
                }
                dir = dir.getParent();
            }
        } catch (Exception ignored) {
            // fall through
        }
        return Optional.empty();
    }

    public Path stackDir() {
        if (data != null) {
            return data.toAbsolutePath().normalize();
        }
        String env = System.getenv("OE_DATA");
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize() : home().resolve(".oe/stack");
    }

    public Optional<StackInfo> stack() {
        try {
            return StackInfo.read(stackDir());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The local stack, when the services this command talks to are its own (no URL given by flag or environment). */
    Optional<StackInfo> localStack() {
        boolean elsewhere = monitorUrl != null && !monitorUrl.isBlank() || planLoaderUrl != null && !planLoaderUrl.isBlank()
                || !blank(System.getenv("OE_MONITOR_URL")) || !blank(System.getenv("OE_PLAN_LOADER_URL"));
        return elsewhere ? Optional.empty() : stack();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public Api api() {
        return new Api(url(planLoaderUrl, "OE_PLAN_LOADER_URL", "plan-loader", 18081),
                url(monitorUrl, "OE_MONITOR_URL", "monitor-service", 18086), token());
    }

    /** The write endpoints' bearer token: env OE_API_TOKEN, else the local stack's token file. */
    String token() {
        String env = System.getenv("OE_API_TOKEN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return stack().map(s -> s.apiTokenFile).filter(f -> f != null && Files.isReadable(Path.of(f)))
                .map(f -> {
                    try {
                        return Files.readString(Path.of(f)).strip();
                    } catch (IOException e) {
                        throw new CliException("cannot read the API token " + f + ": " + e.getMessage());
                    }
                }).orElse(null);
    }

    private String url(String flag, String env, String service, int defaultPort) {
        if (flag != null && !flag.isBlank()) {
            return flag;
        }
        String e = System.getenv(env);
        if (e != null && !e.isBlank()) {
            return e;
        }
        return stack().map(s -> s.url(service)).orElse("http://localhost:" + defaultPort);
    }
}
