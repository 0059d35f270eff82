package io.oe.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A test's trusted runner configuration: profiles run the demo agent, differing only in its OE_DEMO_* environment
 * (delay, deliberate failures), or a plain command; agents map to profiles by name.
 */
final class TestRunners {
    private final ObjectNode root = Json.MAPPER.createObjectNode();

    TestRunners profile(String name, Map<String, String> env) {
        ObjectNode p = root.with("runners").putObject(name);
        p.putArray("argv").add("java").add("-XX:TieredStopAtLevel=1").add("-jar")
                .add("{oe_home}/demo-agent/target/demo-agent.jar").add("{phase_file}");
        ObjectNode e = p.putObject("env");
        env.forEach(e::put);
        p.putArray("env_passthrough").add("PATH").add("HOME").add("JAVA_HOME");
        return this;
    }

    /** A profile that runs a plain command (no demo agent, no environment): {@code /bin/true} for a no-op agent. */
    TestRunners command(String name, String... argv) {
        var a = root.with("runners").putObject(name).putArray("argv");
        for (String arg : argv) {
            a.add(arg);
        }
        return this;
    }

    /**
     * A profile that runs a shell script the test writes (executable, under {@code file}), with {@code PATH} passed
     * through and the given arguments after it ({@code {phase_file}} and the like).
     */
    TestRunners script(String name, Path file, String body, String... args) {
        try {
            Files.writeString(file, body);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode p = root.with("runners").putObject(name);
        var argv = p.putArray("argv").add(file.toString());
        for (String arg : args) {
            argv.add(arg);
        }
        p.putArray("env_passthrough").add("PATH");
        return this;
    }

    /** One more environment variable of a profile (a secret, say: the gateway redacts it from the agent's output). */
    TestRunners env(String profile, String name, String value) {
        root.with("runners").with(profile).with("env").put(name, value);
        return this;
    }

    /** The price of a model in US dollars per million tokens (input, output, cached). */
    TestRunners price(String model, double input, double output, double cached) {
        root.with("prices").putObject(model).put("input_per_million", input).put("output_per_million", output)
                .put("cached_per_million", cached);
        return this;
    }

    /** The operator's budget_ceiling: the most tokens a plan's budget may give an execution and each phase. */
    TestRunners budgetCeiling(long executionTokens, long phaseTokens) {
        ObjectNode c = root.putObject("budget_ceiling");
        c.putObject("execution").put("tokens", executionTokens);
        c.putObject("phase").put("tokens", phaseTokens);
        return this;
    }

    TestRunners agent(String agent, String profile) {
        root.with("agents").put(agent, profile);
        return this;
    }

    Path write(Path file) {
        try {
            return Files.writeString(file, Json.pretty(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
