package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.agent.RunnerConfig;
import io.oe.events.AgentProgress;
import io.oe.events.PhaseReady;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "ProjectPlan/ — project specification" as an input: every agent finds it in its workspace, and its prompt lists it. */
class SpecificationTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;
    Path project;
    final List<AgentProgress> events = new CopyOnWriteArrayList<>();
    AttemptRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        Files.createDirectories(project.resolve("ProjectPlan/api"));
        Files.writeString(project.resolve("ProjectPlan/project-plan.json"), "{\"project_name\": \"P\", \"documents\": "
                + "[\"vision.md\", \"api/guide.md\"]}");
        Files.writeString(project.resolve("ProjectPlan/vision.md"), "# Vision\n");
        Files.writeString(project.resolve("ProjectPlan/api/guide.md"), "# API guide\n");
        var config = new RunnerConfig(Map.of("true", new RunnerConfig.Profile("test", List.of("/bin/true"), Map.of(),
                List.of("PATH"), "{workspace}")), Map.of("*", "true"));
        runner = new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20);
    }

    private PhaseReady phase(int attempt, String... specification) {
        return PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName("Docs").setAgent("@doc")
                .setAttempt(attempt).setProjectDir(project.toString()).setProjectName("P").setReadyAt(Instant.now())
                .setTasks(List.of()).setInputs(List.of()).setOutputs(List.of()).setTimeoutMs(10_000)
                .setHeartbeatIntervalMs(100).setSpecification(List.of(specification)).build();
    }

    @Test
    void theProjectPlanAndItsDocumentsAreInTheWorkspaceUnderTheirPathsAndThePromptListsThem() throws Exception {
        var result = runner.run(phase(1, "ProjectPlan/project-plan.json", "ProjectPlan/vision.md", "ProjectPlan/api/guide.md"),
                events::add, events::add);
        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        Path ws = Path.of(result.getWorkspaceDir());
        assertThat(ws.resolve("specification/ProjectPlan/project-plan.json"))
                .hasSameTextualContentAs(project.resolve("ProjectPlan/project-plan.json"));
        assertThat(ws.resolve("specification/ProjectPlan/vision.md")).hasContent("# Vision");
        assertThat(ws.resolve("specification/ProjectPlan/api/guide.md")).hasContent("# API guide");
        assertThat(Files.readString(ws.resolve("prompt.md"))).contains("## Project specification (in `specification/`)\n\n"
                + "- `specification/ProjectPlan/project-plan.json`\n- `specification/ProjectPlan/vision.md`\n"
                + "- `specification/ProjectPlan/api/guide.md`\n");
        JsonNode phaseJson = new ObjectMapper().readTree(ws.resolve("phase.json").toFile());
        assertThat(phaseJson.path("specification").get(1).path("file").asText()).isEqualTo("ProjectPlan/vision.md");
        assertThat(phaseJson.path("specification").get(1).path("path").asText())
                .isEqualTo(ws.resolve("specification/ProjectPlan/vision.md").toString());
    }

    @Test
    void aFileThatIsNotInTheProjectIsLeftOutAndTheRestIsGiven() throws Exception {
        var result = runner.run(phase(1, "ProjectPlan/project-plan.json", "ProjectPlan/gone.md", "Elsewhere/x.md"),
                events::add, events::add);
        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        Path ws = Path.of(result.getWorkspaceDir());
        assertThat(Files.readString(ws.resolve("prompt.md"))).contains("specification/ProjectPlan/project-plan.json")
                .doesNotContain("gone.md", "x.md");
    }

    @Test
    void aDocumentReplacedByALinkFailsTheAttemptNamingItAndNothingOutsideIsCopied() throws Exception {
        Files.writeString(outside.resolve("secret"), "CANARY");
        Files.delete(project.resolve("ProjectPlan/vision.md"));
        Files.createSymbolicLink(project.resolve("ProjectPlan/vision.md"), outside.resolve("secret"));
        var result = runner.run(phase(1, "ProjectPlan/project-plan.json", "ProjectPlan/vision.md"), events::add, events::add);
        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).startsWith("workspace not prepared, agent not started: ")
                .contains(project.resolve("ProjectPlan/vision.md") + " is a symbolic link");
        assertThat(events).isEmpty();
        try (var files = Files.walk(project.resolve("tee-output"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(f).as("copied from outside").content().doesNotContain("CANARY");
            }
        }
    }
}
