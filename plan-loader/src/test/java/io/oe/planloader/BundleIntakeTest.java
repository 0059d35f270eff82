package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.core.plan.Violation;
import io.oe.events.PlanLoaded;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleIntakeTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo",
             "tiers": [{"name": "all", "mode": "sequential", "phases": [1, 2]}],
             "phases": [
               {"id": 1, "name": "Plan", "agent": "@plan", "status": "completed", "outputs": [{"artifact": "req.json"}]},
               {"id": 2, "name": "Docs", "agent": "@doc", "inputs": [{"artifact": "req.json", "from": 1}]}]}
            """;
    private static final Map<String, String> AGENTS = Map.of("plan", "# plan", "doc", "# doc");

    @TempDir
    Path root;

    private BundleIntake intake() {
        return new BundleIntake(new PlanValidator(EngineSchemas.load()), root,
                Clock.fixed(Instant.parse("2026-01-13T12:00:00Z"), ZoneOffset.UTC));
    }

    private Submission submission(Path projectDir, JsonNode plan) {
        return new Submission("sub-1", projectDir.toString(), plan, PlanJson.parse("{\"project_name\": \"Demo\"}"),
                null, Map.of(), AGENTS, true, "tester", null, null);
    }

    @Test
    void aValidBundleBecomesAPlanLoadedEventWithItsExistingArtifactsChecksummed() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Path store = Files.createDirectories(project.resolve("tee-output/artifacts"));
        Files.writeString(store.resolve("req.json"), "{\"a\": 1}");
        PlanLoaded event = intake().accept(submission(project, PlanJson.parse(PLAN)));
        assertThat(event.getExecutionId()).isEqualTo(BundleIntake.executionIdFor("sub-1")).matches("exec_s[0-9a-f]{16}");
        assertThat(event.getSubmissionId()).isEqualTo("sub-1");
        assertThat(event.getProjectDir()).isEqualTo(project.toString());
        assertThat(event.getAutostart()).isTrue();
        assertThat(PlanJson.parse(event.getConfigJson()).get("max_concurrent_phases").asInt()).isEqualTo(3);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("{\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(event.getCompletedArtifacts()).singleElement().satisfies(a -> {
            assertThat(a.getLocation()).isEqualTo("tee-output/artifacts/req.json");
            assertThat(a.getSha256()).isEqualTo(sha);
            assertThat(a.getSize()).isEqualTo(8);
        });
    }

    @Test
    void theDocumentsAProjectPlanNamesMustBeRegularFilesOfTheProjectWhenItIsSubmitted() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        Path specs = Files.createDirectories(project.resolve("Spec"));
        Files.writeString(specs.resolve("vision.md"), "# Vision");
        Files.createSymbolicLink(specs.resolve("linked.md"), Path.of("/etc/passwd"));
        JsonNode projectPlan = PlanJson.parse("{\"project_name\": \"Demo\", \"documents\": [\"vision.md\", \"typo.md\","
                + " \"linked.md\"]}");
        JsonNode config = PlanJson.parse("{\"project_plan_path\": \"Spec/plan.json\"}");
        var bundle = new Submission("sub-1", project.toString(), PlanJson.parse(PLAN), projectPlan, config, Map.of(), AGENTS,
                false, "tester", null, null);
        assertThatThrownBy(() -> intake().accept(bundle)).isInstanceOfSatisfying(Rejection.class, r ->
                assertThat(r.violations()).extracting(Violation::toString).containsExactly(
                        "ProjectPlan/project-plan.json /documents/1: Spec/typo.md is not in the project ("
                                + specs.resolve("typo.md") + ")",
                        "ProjectPlan/project-plan.json /documents/2: " + specs.resolve("linked.md")
                                + " is a symbolic link (to /etc/passwd), not a regular file; nothing is read or written "
                                + "through a link"));

        JsonNode outside = PlanJson.parse("{\"project_name\": \"Demo\", \"documents\": [\"../../etc/passwd\"]}");
        assertThatThrownBy(() -> intake().accept(new Submission("sub-2", project.toString(), PlanJson.parse(PLAN), outside,
                null, Map.of(), AGENTS, false, "tester", null, null))).isInstanceOfSatisfying(Rejection.class, r ->
                assertThat(r.violations()).extracting(Violation::toString).containsExactly("ProjectPlan/project-plan.json "
                        + "/documents/0: path '../../etc/passwd' leads outside the project plan's directory"));
    }

    @Test
    void aPhaseFlowFileThatDisagreesWithThePlanIsRejectedAndOneThatAgreesIsNot() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        Path flow = Files.createDirectories(project.resolve(".github")).resolve("phase-flow.gv");
        Files.writeString(flow, "digraph {\n  p2 -> p1;\n}\n");
        assertThatThrownBy(() -> intake().accept(submission(project, PlanJson.parse(PLAN))))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.violations()).extracting(Violation::toString)
                        .containsExactly(".github/phase-flow.gv line 2: edge p2 -> p1: the plan does not make phase 1 wait for phase 2",
                                ".github/phase-flow.gv: the plan makes phase 2 wait for phase 1, but the file has no path from p1"
                                        + " to p2 (`oe graph` writes the plan's flow)"));
        Files.writeString(flow, "digraph { phase_1 -> phase_2 }");
        assertThat(intake().accept(submission(project, PlanJson.parse(PLAN))).getPlanId()).isEqualTo("p1");
    }

    @Test
    void aCompletedPhaseWithoutItsArtifactIsRejected() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        assertThatThrownBy(() -> intake().accept(submission(project, PlanJson.parse(PLAN))))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.violations()).extracting(Violation::toString)
                        .containsExactly("orchestration-plan.json phase 1 (Plan): is marked completed but its output req.json"
                                + " is not in the artifact store (tee-output/artifacts/req.json missing or not a regular file)"));
    }

    @Test
    void aProjectOutsideTheRootIsRejected(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> intake().accept(submission(elsewhere, PlanJson.parse(PLAN))))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.violations().get(0).toString())
                        .startsWith("project_dir: '" + elsewhere + "' is outside this engine's project root"));
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        JsonNode plan = PlanJson.parse(PLAN.replace("\"@doc\"", "\"@ghost\"").replace("\"from\": 1", "\"from\": 7"));
        assertThatThrownBy(() -> intake().accept(submission(project, plan)))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.violations()).extracting(Violation::message)
                        .anySatisfy(m -> assertThat(m).contains("agent @ghost has no definition"))
                        .anySatisfy(m -> assertThat(m).contains("input req.json comes from phase 7, which the plan does not define")));
    }

    @Test
    void theSameSubmissionIdAlwaysNamesTheSameExecutionAndWithoutOneEachIsNew() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        PlanLoaded a = intake().accept(submission(project, PlanJson.parse(PLAN)));
        PlanLoaded b = intake().accept(submission(project, PlanJson.parse(PLAN)));
        assertThat(a.getExecutionId()).isEqualTo(b.getExecutionId());
        Submission anonymous = new Submission(null, project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester", null, null);
        PlanLoaded c = intake().accept(anonymous);
        PlanLoaded d = intake().accept(anonymous);
        assertThat(c.getExecutionId()).startsWith("exec_20260113_").isNotEqualTo(d.getExecutionId());
        Submission hostile = new Submission("sub 1; rm -rf /", project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester", null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> intake().accept(hostile)).isInstanceOf(Rejection.class)
                .satisfies(e -> assertThat(((Rejection) e).violations()).extracting(io.oe.core.plan.Violation::where)
                        .containsExactly("submission_id"));
    }

    @Test
    void aDryRunFlagIsCarriedOnThePlanLoadedEventAndAbsentMeansARealRun() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        assertThat(intake().accept(submission(project, PlanJson.parse(PLAN))).getDryRun()).isFalse();
        PlanLoaded dry = intake().accept(new Submission("sub-dry", project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester",
                PlanJson.parse("true"), null));
        assertThat(dry.getDryRun()).isTrue();
    }

    @Test
    void aDryRunFlagThatIsNotABooleanIsRefusedNamingTheKeyAndTheValue() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        Submission bad = new Submission("sub-dry", project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester",
                PlanJson.parse("\"yes\""), null);
        assertThatThrownBy(() -> intake().accept(bad)).isInstanceOfSatisfying(Rejection.class, r ->
                assertThat(r.violations()).extracting(Violation::toString)
                        .containsExactly("dry_run: must be true or false, not \"yes\""));
    }

    @Test
    void aReuseFromThatIsNotAnExecutionIdOrThatGoesWithADryRunIsRefusedNamingTheKey() throws Exception {
        Path project = Files.createDirectories(root.resolve("demo"));
        Files.writeString(Files.createDirectories(project.resolve("tee-output/artifacts")).resolve("req.json"), "{}");
        Submission malformed = new Submission("sub-r", project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester", null, "exec 1; ls");
        assertThatThrownBy(() -> intake().accept(malformed)).isInstanceOfSatisfying(Rejection.class, r ->
                assertThat(r.violations()).extracting(Violation::toString)
                        .containsExactly("reuse_from: 'exec 1; ls' is not an execution id"));
        Submission dryAndReuse = new Submission("sub-r", project.toString(), PlanJson.parse(PLAN),
                PlanJson.parse("{\"project_name\": \"Demo\"}"), null, Map.of(), AGENTS, true, "tester",
                PlanJson.parse("true"), "exec_20260101_abcdef12");
        assertThatThrownBy(() -> intake().accept(dryAndReuse)).isInstanceOfSatisfying(Rejection.class, r ->
                assertThat(r.violations()).extracting(Violation::toString).containsExactly("reuse_from: a dry run reuses"
                        + " nothing (its outputs would be samples either way): drop reuse_from or dry_run"));
    }
}
