package io.oe.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
