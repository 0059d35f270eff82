package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.agent.RunnerConfig;
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
                "codex", "exec", "--skip-git-repo-check", "--sandbox", "workspace-write", "--model", "claude-sonnet-4",
                "--cd", "/p/ws", "Read /p/ws/prompt.md and do exactly what it says.");
        assertThat(RunnerConfig.render(c.profileFor("@react-specialist").orElseThrow().argv(), SAMPLE)).containsExactly(
                "copilot", "-p", "Read /p/ws/prompt.md and do exactly what it says. Work only inside /p/ws.",
                "--allow-all-tools", "--model", "claude-sonnet-4");
        assertThat(RunnerConfig.render(c.profileFor("@anyone").orElseThrow().argv(), SAMPLE))
                .containsExactly("/opt/agents/run-agent", "/p/ws/phase.json", "code-architect");
        RunnerConfig.Profile api = c.profileFor("@security-reviewer", null);
        assertThat(api.http().url()).isEqualTo("https://agents.example.internal/v1/run");
        assertThat(api.timeoutMs(7_200_000)).isEqualTo(3_600_000); // the profile caps a plan's two hours at one
        assertThat(c.profileFor("@anyone", null).limits().logBytes()).isEqualTo(4_194_304);
        // an agent definition may choose a configured profile by name, never more; the operator's mapping wins
        assertThat(c.profileFor("@new-agent", "codex").argv().get(0)).isEqualTo("codex");
        assertThat(c.profileFor("@react-specialist", "codex").argv().get(0)).isEqualTo("copilot");
        assertThatThrownBy(() -> c.profileFor("@new-agent", "bash"))
                .hasMessage("agent @new-agent asks for runner profile 'bash', which the gateway's runner configuration "
                        + "does not define (defined: [agent-api, claude, codex, copilot, script])");
        // secrets reach an agent only through its profile's allow-list
        assertThat(c.profileFor("@code-architect").orElseThrow().envPassthrough()).contains("ANTHROPIC_API_KEY")
                .doesNotContain("OPENAI_API_KEY");
        // where a CLI is absent, loading the file says so, naming the program (a clear error at start, not at run time)
        assertThat(c.problems()).as("the file as written").isEmpty();
        if (RunnerConfig.findExecutable("claude").isEmpty()) {
            assertThat(c.hostProblems()).contains("profile 'claude': program 'claude' not found or not executable");
        }
        if (System.getenv("AGENT_API_AUTHORIZATION") == null) {
            assertThat(c.hostProblems()).contains("profile 'agent-api': header Authorization takes its value from "
                    + "AGENT_API_AUTHORIZATION, which is not set in the gateway's environment");
        }
    }

    @Test
    void eachCliProfilePassesOnlyModelsItsCliRunsInItsCliSpelling() throws Exception {
        RunnerConfig c = shipped("agent-clis.json");
        assertThat(c.modelFor("@code-architect", null, "claude-sonnet-4.5")).isEqualTo("claude-sonnet-4-5");
        assertThat(c.modelFor("@code-architect", null, null)).isEqualTo("sonnet");
        assertThat(c.modelFor("@nodejs-specialist", null, "gpt-4.1")).isEqualTo("gpt-4.1");
        assertThat(c.modelFor("@react-specialist", null, "claude-sonnet-4.5")).isEqualTo("claude-sonnet-4.5");
        assertThatThrownBy(() -> c.modelFor("@code-architect", null, "gpt-4.1")).hasMessage("agent @code-architect asks for "
                + "model 'gpt-4.1', which runner profile 'claude' cannot run (it runs: claude-haiku-4.5, claude-opus-4.1, "
                + "claude-sonnet-4, claude-sonnet-4.5, haiku, opus, sonnet)");
        assertThat(c.modelFor("@anyone", null, "whatever-model")).as("a profile without a model map passes it as written")
                .isEqualTo("whatever-model");
    }

    @Test
    void theDefaultProfileIsValid() throws Exception {
        assertThat(shipped("default.json").problems()).isEmpty();
    }
}
