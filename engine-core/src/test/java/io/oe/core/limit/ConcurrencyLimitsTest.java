package io.oe.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.core.agent.RunnerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caps in the trusted runner configuration: which limits an agent takes seats of, and the caps refused at load. */
class ConcurrencyLimitsTest {
    private static final RunnerConfig.Profile BIN_TRUE = new RunnerConfig.Profile(null, List.of("/bin/true"), null, null,
            null);

    private static RunnerConfig config(ConcurrencyLimits limits) {
        return new RunnerConfig(Map.of("claude", BIN_TRUE, "script", BIN_TRUE), Map.of("@dev", "claude", "*", "script"),
                null, null, limits);
    }

    @Test
    void anAgentTakesSeatsOfItsOwnCapThenItsProfilesInThatOrder() {
        var c = config(new ConcurrencyLimits(Map.of("@dev", 2), Map.of("claude", 3, "script", 1)));
        assertThat(c.problems()).isEmpty();
        assertThat(c.limitsFor("@dev", null)).containsExactly("agent:@dev", "profile:claude");
        assertThat(c.limitsFor("@qa", null)).containsExactly("profile:script");
        assertThat(c.limitsFor("@qa", "claude")).as("a definition's runner: is its profile").containsExactly("profile:claude");
        assertThat(c.limits().capOf("agent:@dev")).contains(2);
        assertThat(c.limits().capOf("profile:nope")).isEmpty();
    }

    @Test
    void noCapsMeansNoLimits() {
        assertThat(config(null).limitsFor("@dev", null)).isEmpty();
    }

    @Test
    void aZeroNegativeOrAbsurdCapIsRefusedNamingItsPlace() {
        Map<String, Integer> profiles = new HashMap<>();
        profiles.put("claude", 0);
        profiles.put("script", 10_001);
        var c = config(new ConcurrencyLimits(Map.of("@dev", -1), profiles));
        assertThat(c.problems()).containsExactlyInAnyOrder(
                "limits.agents['@dev']: cap -1 is out of range (a whole number from 1 to 10000; to stop an agent, remove it from the plan)",
                "limits.profiles['claude']: cap 0 is out of range (a whole number from 1 to 10000; to stop an agent, remove it from the plan)",
                "limits.profiles['script']: cap 10001 is out of range (a whole number from 1 to 10000; to stop an agent, remove it from the plan)");
    }

    @Test
    void anUnknownAgentOrProfileIsRefusedNamingItsPlace() {
        var c = config(new ConcurrencyLimits(Map.of("@deb", 1, "*", 1), Map.of("cluade", 1)));
        assertThat(c.problems()).containsExactlyInAnyOrder(
                "limits.agents['@deb']: unknown agent (the agents mapping names [@dev]; map the agent to its profile there to cap it)",
                "limits.agents['*']: unknown agent (the agents mapping names [@dev]; map the agent to its profile there to cap it)",
                "limits.profiles['cluade']: unknown runner profile (defined: [claude, script])");
    }

    @Test
    void aFileWithABadCapIsRefusedAtLoadNamingTheFileAndThePlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runners.json");
        Files.writeString(file, """
                {"runners": {"claude": {"argv": ["/bin/true"]}}, "agents": {"@dev": "claude"},
                 "limits": {"agents": {"@dev": 0}, "profiles": {"claude": "three"}}}
                """);
        assertThatThrownBy(() -> RunnerConfig.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("limits");
        Files.writeString(file, """
                {"runners": {"claude": {"argv": ["/bin/true"]}}, "agents": {"@dev": "claude"},
                 "limits": {"agents": {"@dev": 0}}}
                """);
        assertThatThrownBy(() -> RunnerConfig.read(file)).hasMessage("runner configuration " + file
                + ": limits.agents['@dev']: cap 0 is out of range (a whole number from 1 to 10000; to stop an agent, remove"
                + " it from the plan)");
    }

    @Test
    void aGoodFileIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runners.json");
        Files.writeString(file, """
                {"runners": {"claude": {"argv": ["/bin/true"]}}, "agents": {"@dev": "claude", "*": "claude"},
                 "limits": {"agents": {"@dev": 1}, "profiles": {"claude": 4}}}
                """);
        var c = RunnerConfig.read(file);
        assertThat(c.limitsFor("@dev", null)).containsExactly("agent:@dev", "profile:claude");
    }
}
