package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePackerTest {

    @TempDir
    Path dir;

    private void write(String rel, String text) throws Exception {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private void project() throws Exception {
        write("orchestration-plan.json", """
                {"plan_id": "p1", "project_name": "X",
                 "tiers": [{"name": "t", "mode": "sequential", "phases": [1, 2, 3]}],
                 "phases": [
                   {"id": 1, "name": "Plan", "agent": "@plan", "status": "completed",
                    "outputs": [{"artifact": "req.json", "contract": "contracts/req.schema.json"}]},
                   {"id": 2, "name": "Doc", "agent": "@doc",
                    "outputs": [{"artifact": "docs.json", "contract": "contracts/docs.schema.json"},
                                {"artifact": "notes.md"},
                                {"artifact": "evil.json", "contract": "../outside.schema.json"}]},
                   {"id": 3, "name": "Again", "agent": "@doc",
                    "outputs": [{"artifact": "missing.json", "contract": "contracts/missing.schema.json"}]}
                 ]}""");
        write("ProjectPlan/project-plan.json", "{\"project\": {\"name\": \"X\"}}");
        write("contracts/req.schema.json", "{\"type\": \"object\"}");
        write("contracts/docs.schema.json", "{\"type\": \"array\"}");
        write(".github/agents/doc.agent.md", "---\nname: doc\n---\nWrite docs.\n");
        Files.writeString(dir.getParent().resolve("outside.schema.json"), "{}");
    }

    @Test
    void packsPlanProjectPlanContractsAndAgentsFromThePlanDirectory() throws Exception {
        project();
        BundlePacker.Packed p = BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, true);
        JsonNode b = p.bundle();

        assertThat(b.path("project_dir").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        assertThat(b.path("plan").path("plan_id").asText()).isEqualTo("p1");
        assertThat(b.path("project_plan").path("project").path("name").asText()).isEqualTo("X");
        assertThat(b.has("config")).isFalse();
        assertThat(b.path("autostart").asBoolean()).isTrue();
        assertThat(b.path("contracts").fieldNames()).toIterable()
                .containsExactly("contracts/docs.schema.json", "contracts/req.schema.json");
        assertThat(b.path("contracts").path("contracts/req.schema.json").asText()).isEqualTo("{\"type\": \"object\"}");
        assertThat(b.path("agents").fieldNames()).toIterable().containsExactly("doc");
        assertThat(b.path("agents").path("doc").asText()).contains("Write docs.");
        assertThat(p.missing()).containsExactlyInAnyOrder(
                "phase 1: agent @plan has no definition .github/agents/plan.agent.md",
                "phase 2: contract ../outside.schema.json not found in " + p.projectDir(),
                "phase 3: contract contracts/missing.schema.json not found in " + p.projectDir());
    }

    @Test
    void everyAgentAlternativesDefinitionIsPackedAndAMissingOneNamed() throws Exception {
        write("orchestration-plan.json", """
                {"plan_id": "p1", "project_name": "X", "tiers": [{"name": "t", "mode": "parallel", "phases": [13]}],
                 "phases": [{"id": 13, "name": "Backend", "alternatives": [
                   {"agent": "@nodejs", "condition": "project.backend == 'nodejs'"}, {"agent": "@dotnet"}]}]}""");
        write("ProjectPlan/project-plan.json", "{\"backend\": \"nodejs\"}");
        write(".github/agents/nodejs.agent.md", "---\nname: nodejs\n---\nBuild it in Node.\n");
        BundlePacker.Packed p = BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, true);
        assertThat(p.bundle().path("agents").fieldNames()).toIterable().containsExactly("nodejs");
        assertThat(p.missing()).containsExactly("phase 13: agent @dotnet has no definition .github/agents/dotnet.agent.md");
    }

    @Test
    void takesTheEngineConfigBesideThePlanAndExplicitFiles() throws Exception {
        project();
        write("engine.config.json", "{\"max_concurrent_phases\": 2}");
        write("other/pp.json", "{\"alt\": true}");
        BundlePacker.Packed p = BundlePacker.pack(dir.resolve("orchestration-plan.json"),
                dir.resolve("other/pp.json"), null, false);
        assertThat(p.bundle().path("config").path("max_concurrent_phases").asInt()).isEqualTo(2);
        assertThat(p.bundle().path("project_plan").path("alt").asBoolean()).isTrue();
        assertThat(p.bundle().path("autostart").asBoolean()).isFalse();
    }

    /** The seed's layout: the plan under tee-output/, named by the config, everything else relative to the project. */
    private Path seedLayout() throws Exception {
        project();
        Files.createDirectories(dir.resolve("tee-output"));
        Files.move(dir.resolve("orchestration-plan.json"), dir.resolve("tee-output/orchestration-plan.json"));
        Files.move(dir.resolve("ProjectPlan"), dir.resolve("Spec"));
        write("engine.config.json", """
                {"orchestration_plan_path": "tee-output/orchestration-plan.json",
                 "project_plan_path": "Spec/project-plan.json", "max_concurrent_phases": 2}""");
        return dir.resolve("engine.config.json");
    }

    @Test
    void theConfigAloneNamesThePlanAndTheProjectPlanRelativeToItsDirectory() throws Exception {
        Path config = seedLayout();
        BundlePacker.Packed p = BundlePacker.pack(null, null, config, false);
        JsonNode b = p.bundle();
        assertThat(b.path("project_dir").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        assertThat(b.path("plan").path("plan_id").asText()).isEqualTo("p1");
        assertThat(b.path("project_plan").path("project").path("name").asText()).isEqualTo("X");
        assertThat(b.path("config").path("max_concurrent_phases").asInt()).isEqualTo(2);
        // contracts and agents are the project's, not the plan directory's
        assertThat(b.path("contracts").fieldNames()).toIterable()
                .containsExactly("contracts/docs.schema.json", "contracts/req.schema.json");
        assertThat(b.path("agents").fieldNames()).toIterable().containsExactly("doc");
    }

    @Test
    void anExplicitPlanOrProjectPlanOverridesTheConfigsKey() throws Exception {
        Path config = seedLayout();
        write("other/plan.json", "{\"plan_id\": \"explicit\", \"phases\": []}");
        write("other/pp.json", "{\"alt\": true}");
        BundlePacker.Packed p = BundlePacker.pack(dir.resolve("other/plan.json"), dir.resolve("other/pp.json"), config, false);
        assertThat(p.bundle().path("plan").path("plan_id").asText()).isEqualTo("explicit");
        assertThat(p.bundle().path("project_plan").path("alt").asBoolean()).isTrue();
        assertThat(p.bundle().path("project_dir").asText()).as("still the config's directory")
                .isEqualTo(dir.toAbsolutePath().normalize().toString());
    }

    @Test
    void aPlanTheConfigNamesButThatIsMissingIsNamedWithTheKeyAndTheFile() throws Exception {
        Path config = seedLayout();
        Files.delete(dir.resolve("tee-output/orchestration-plan.json"));
        assertThatThrownBy(() -> BundlePacker.pack(null, null, config, false))
                .isInstanceOf(CliException.class)
                .hasMessage("orchestration plan not found: " + dir.resolve("tee-output/orchestration-plan.json")
                        + " (orchestration_plan_path in " + config + ")")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(CliException.REJECTED);
        write("engine.config.json", "{}");
        assertThatThrownBy(() -> BundlePacker.pack(null, null, config, false)).hasMessage("orchestration plan not found: "
                + dir.resolve("tee-output/orchestration-plan.json") + " (the default orchestration_plan_path; " + config
                + " does not set it)");
    }

    @Test
    void aConfigPathThatLeadsOutOfTheProjectOrIsNotTextIsRefusedNamingTheKey() throws Exception {
        project();
        Path config = dir.resolve("engine.config.json");
        write("engine.config.json", "{\"orchestration_plan_path\": \"../outside.schema.json\"}");
        assertThatThrownBy(() -> BundlePacker.pack(null, null, config, false)).isInstanceOf(CliException.class)
                .hasMessage(config + ": orchestration_plan_path: path '../outside.schema.json' leads outside " + dir);
        write("engine.config.json", "{\"orchestration_plan_path\": \"orchestration-plan.json\", \"project_plan_path\": 7}");
        assertThatThrownBy(() -> BundlePacker.pack(null, null, config, false))
                .hasMessage(config + ": project_plan_path must be a path relative to the project directory, not 7");
        assertThatThrownBy(() -> BundlePacker.pack(null, null, null, false))
                .hasMessage("no plan: give --orchestration-plan FILE, or --config FILE whose orchestration_plan_path names it");
    }

    @Test
    void malformedPlanIsAClearErrorWithLineAndColumn() throws Exception {
        project();
        write("orchestration-plan.json", "{\"plan_id\": \"p1\",\n  \"phases\": [}");
        assertThatThrownBy(() -> BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, false))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("is not valid JSON (line 2")
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(CliException.REJECTED);
    }

    @Test
    void missingProjectPlanIsAClearError() throws Exception {
        write("orchestration-plan.json", "{\"phases\": []}");
        assertThatThrownBy(() -> BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, false))
                .hasMessageContaining("project plan not found: " + dir.resolve("ProjectPlan/project-plan.json"));
    }

    @Test
    void aBundleOverThePlanLoadersLimitIsRefusedBeforeSendingInItsWords() throws Exception {
        project();
        String agent = "---\nname: doc\n---\n" + "x".repeat(17_000_000) + "\n";
        write(".github/agents/doc.agent.md", agent.substring(0, 9_000_000));
        write(".github/agents/plan.agent.md", agent.substring(0, 8_000_000));
        assertThatThrownBy(() -> BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, true))
                .isInstanceOf(CliException.class)
                .hasMessageMatching("the plan bundle is 16\\.2 MB \\([0-9,]+ bytes\\); the limit is 16 MB \\(16,777,216 bytes\\)"
                        + " \\(the plan-loader's limit for a whole plan bundle\\): split the plan, .*")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.REJECTED));
    }

    @Test
    void aPlanFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        project();
        write("orchestration-plan.json", "{\"plan_id\": \"" + "p".repeat(22_548_563) + "\"}");
        Path plan = dir.resolve("orchestration-plan.json");
        assertThatThrownBy(() -> BundlePacker.pack(plan, null, null, true)).isInstanceOf(CliException.class)
                .hasMessageStartingWith("the orchestration plan " + plan.toAbsolutePath().normalize()
                        + " is 21.5 MB (22,548,578 bytes); the limit is 16 MB (16,777,216 bytes)");
    }

    @Test
    void jsonTooDeepForTheParserIsSaidAsASizeNotAsInvalidJson() throws Exception {
        project();
        write("ProjectPlan/project-plan.json", "[".repeat(2_000) + "]".repeat(2_000));
        assertThatThrownBy(() -> BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, true))
                .isInstanceOf(CliException.class).hasMessageStartingWith("the nesting depth of project plan ")
                .hasMessageEndingWith("is at least 1,001 levels; the limit is 1,000 levels");
    }
}
