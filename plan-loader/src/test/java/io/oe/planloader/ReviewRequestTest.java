package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanGraph;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.Review;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A REVIEW's fields, and a replacement file checked before anything is published. */
class ReviewRequestTest {
    private static final String CONTRACT = """
            {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}""";
    private static final Plan PLAN = PlanJson.plan(PlanJson.parse("""
            {"plan_id": "p", "project_name": "X", "tiers": [{"name": "t", "mode": "sequential", "phases": [1]}],
             "phases": [{"id": 1, "name": "Design", "agent": "@a", "review": true,
                         "outputs": [{"artifact": "design.json", "contract": "contracts/design.schema.json"}]}]}"""));

    @TempDir
    Path root;
    Path project;
    ExecutionDirectory.Known execution;

    @BeforeEach
    void project() throws Exception {
        project = Files.createDirectories(root.resolve("app"));
        Files.createDirectories(project.resolve("edits"));
        execution = new ExecutionDirectory.Known(ExecutionStatus.IN_PROGRESS, Map.of(), PlanGraph.of(PLAN), PLAN,
                Map.of("contracts/design.schema.json", CONTRACT), new ExecutionDirectory.Origin("plan", new java.util.TreeSet<>(),
                        project.toString(), false), Map.of());
    }

    private java.util.List<Violation> problems(String path) {
        return new ReviewRequest().replacementProblems(root, execution, PLAN.phase(1).orElseThrow(),
                Review.replace("design.json", path), 1024);
    }

    @Test
    void theDecisionIsReadWhateverItsCaseAndAnUnknownOneIsNamed() {
        assertThat(ReviewRequest.read(PlanJson.parse("{\"decision\": \"Approve\"}")))
                .isEqualTo(new ReviewRequest.Read.Ok(Review.approve()));
        assertThat(ReviewRequest.read(PlanJson.parse("{\"decision\": \"replace\", \"output\": \"a\", \"path\": \"b\"}")))
                .isEqualTo(new ReviewRequest.Read.Ok(Review.replace("a", "b")));
        assertThat(ReviewRequest.read(PlanJson.parse("{\"decision\": \"maybe\"}"))).isEqualTo(new ReviewRequest.Read.Wrong(
                new Violation("decision", "'maybe' is not one of approve, reject, replace")));
        assertThat(ReviewRequest.read(PlanJson.parse("{\"decision\": \"approve\", \"path\": \"b\"}"))).isEqualTo(
                new ReviewRequest.Read.Wrong(new Violation("path", "only a replacement takes path")));
    }

    @Test
    void aReplacementThatPassesTheOutputsContractHasNoProblem() throws Exception {
        Files.writeString(project.resolve("edits/design.json"), "{\"title\": \"edited\"}");
        assertThat(problems("edits/design.json")).isEmpty();
    }

    @Test
    void aReplacementThatBreaksTheContractIsRefusedWithEachViolationAndItsPlace() throws Exception {
        Files.writeString(project.resolve("edits/design.json"), "{\"title\": 7}");
        assertThat(problems("edits/design.json")).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo("edits/design.json /title");
            assertThat(v.message()).contains("type");
        });
    }

    @Test
    void aReplacementOutsideTheProjectThroughALinkOrMissingIsRefusedNamingThePath() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.json"), "{\"title\": \"host\"}");
        Files.createSymbolicLink(project.resolve("edits/link.json"), secret);
        assertThat(problems("../secret.json")).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo("path");
            assertThat(v.message()).contains("leads outside the project directory");
        });
        assertThat(problems("edits/link.json")).singleElement().satisfies(v -> assertThat(v.message())
                .contains("not a regular file"));
        assertThat(problems("edits/none.json")).singleElement().satisfies(v -> assertThat(v.message())
                .contains("edits/none.json does not exist"));
    }
}
