package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan-loader reads the gateway's runner configuration (oe.runners-file) and refuses what the gateway could not run. */
class PlanIntakeRunnersTest {
    @TempDir
    Path root;

    private PlanIntake intake(String runnersJson) throws Exception {
        Files.writeString(root.resolve("runners.json"), runnersJson);
        return new PlanIntake(null, new ExecutionDirectory(), root.toString(), 8 << 20, root.toString(), "runners.json",
                io.oe.service.traces.Tracing.of(io.opentelemetry.api.OpenTelemetry.noop(), false));
    }

    private String bundle(String developerModel) throws Exception {
        ObjectNode bundle = (ObjectNode) PlanJson.parse(Submission.EXAMPLE);
        bundle.put("project_dir", Files.createDirectories(root.resolve("myapp")).toString());
        ((ObjectNode) bundle.get("agents")).put("developer", "---\nname: developer\nmodel: " + developerModel
                + "\n---\nRead inputs/requirements.json.\n");
        return bundle.toString();
    }

    @Test
    void aPlanWhoseAgentAsksForAModelItsProfileCannotRunIsRefusedNamingTheDefinition() throws Exception {
        PlanIntake intake = intake("""
                {"runners": {"claude": {"argv": ["claude", "--model", "{model}"], "models": {"claude-sonnet-4.5": "claude-sonnet-4-5"}},
                             "script": {"argv": ["/opt/run-agent"]}},
                 "agents": {"@developer": "claude", "*": "script"}}""");
        var outcome = intake.submit(bundle("gpt-4.1"), null, null);
        assertThat(outcome).isInstanceOfSatisfying(PlanIntake.Outcome.Rejected.class, r -> assertThat(r.violations())
                .extracting(Violation::toString).containsExactly(".github/agents/developer.agent.md: agent @developer asks "
                        + "for model 'gpt-4.1', which runner profile 'claude' cannot run (it runs: claude-sonnet-4.5)"));
    }

    @Test
    void aRunnerConfigurationThatCannotBeReadStopsThePlanLoaderNamingTheFile() {
        assertThatThrownBy(() -> intake("{\"runners\": {}}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runner configuration " + root.resolve("runners.json") + ": no runner profiles ('runners')");
    }
}
