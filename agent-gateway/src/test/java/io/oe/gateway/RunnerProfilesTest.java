package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped profiles render the argv each CLI expects for a sample phase (the CLIs are not installed on CI). */
class RunnerProfilesTest {
    private static final Map<String, String> SAMPLE = Map.of("phase_file", "/p/ws/phase.json", "prompt_file", "/p/ws/prompt.md",
            "workspace", "/p/ws", "agent", "code-architect", "model", "claude-sonnet-4", "oe_home", "/oe");

    private static RunnerConfig shipped(String file) throws Exception {
        return new ObjectMapper().readValue(Path.of("../deploy/runners", file).toFile(), RunnerConfig.class);
    }

    @Test
    void agentCliProfilesRenderTheirArgv() throws Exception {
        RunnerConfig c = shipped("agent-clis.json");
        assertThat(RunnerConfig.render(c.profileFor("@code-architect").orElseThrow().argv(), SAMPLE)).containsExactly(
                "claude", "-p", "Read /p/ws/prompt.md and do exactly what it says. Work only inside /p/ws.",
                "--model", "claude-sonnet-4", "--permission-mode", "acceptEdits");
        assertThat(RunnerConfig.render(c.profileFor("@nodejs-specialist").orElseThrow().argv(), SAMPLE)).containsExactly(
                "codex", "exec", "--model", "claude-sonnet-4", "--cd", "/p/ws", "Read /p/ws/prompt.md and do exactly what it says.");
        assertThat(RunnerConfig.render(c.profileFor("@react-specialist").orElseThrow().argv(), SAMPLE)).containsExactly(
                "copilot", "-p", "Read /p/ws/prompt.md and do exactly what it says. Work only inside /p/ws.",
                "--allow-all-tools", "--model", "claude-sonnet-4");
        assertThat(RunnerConfig.render(c.profileFor("@anyone").orElseThrow().argv(), SAMPLE))
                .containsExactly("/opt/agents/run-agent", "/p/ws/phase.json", "code-architect");
        // secrets reach an agent only through its profile's allow-list
        assertThat(c.profileFor("@code-architect").orElseThrow().envPassthrough()).contains("ANTHROPIC_API_KEY")
                .doesNotContain("OPENAI_API_KEY");
        // where a CLI is absent, loading the file says so, naming the program (a clear error at start, not at run time)
        if (RunnerConfig.findExecutable("claude").isEmpty()) {
            assertThat(c.problems()).contains("profile 'claude': program 'claude' not found or not executable");
        }
    }

    @Test
    void theDefaultProfileIsValid() throws Exception {
        assertThat(shipped("default.json").problems()).isEmpty();
    }
}
