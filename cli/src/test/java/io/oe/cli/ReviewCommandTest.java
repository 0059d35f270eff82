package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.scheduler.Feedback;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oe review: one decision, its own options, and what it sends, against a local server that records the commands. */
class ReviewCommandTest {
    @TempDir
    Path project;
    private FakeEngineApi api;
    private List<JsonNode> sent;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        api = new FakeEngineApi("REVIEW", Json.MAPPER.createObjectNode().put("execution_id", "e1").put("status", "in_progress")
                .put("project_dir", project.toString()).toString());
        sent = api.sent();
        url = api.url();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Console.Run review(String... args) {
        List<String> all = new ArrayList<>(List.of("review", "--plan-loader-url", url, "--monitor-url", url,
                "--execution-id", "e1", "--phase", "2"));
        all.addAll(List.of(args));
        return Console.oe(all.toArray(String[]::new));
    }

    @Test
    void anApprovalSendsTheReviewCommandWithItsDecision() {
        Console.Run run = review("--approve");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("review accepted for execution e1 phase 2");
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.path("command").asText()).isEqualTo("REVIEW");
            assertThat(c.path("phase_id").asInt()).isEqualTo(2);
            assertThat(c.path("decision").asText()).isEqualTo("approve");
            assertThat(c.has("feedback")).isFalse();
        });
    }

    @Test
    void aRejectionSendsItsFeedbackFromTheOptionOrAFile() throws Exception {
        assertThat(review("--reject", "--feedback", "Shorter.").code()).isZero();
        Path file = Files.writeString(project.resolve("notes.md"), "Use a table.\n");
        assertThat(review("--reject", "--feedback-file", file.toString()).code()).isZero();
        assertThat(sent).extracting(c -> c.path("decision").asText() + ": " + c.path("feedback").asText())
                .containsExactly("reject: Shorter.", "reject: Use a table.\n");
    }

    @Test
    void aReplacementSendsTheOutputAndTheFileRelativeToTheProject() throws Exception {
        Files.createDirectories(project.resolve("edits"));
        Path file = Files.writeString(project.resolve("edits/two.json"), "{}");
        assertThat(review("--replace", "two.json=" + file).code()).isZero();
        assertThat(sent).singleElement().satisfies(c -> {
            assertThat(c.path("decision").asText()).isEqualTo("replace");
            assertThat(c.path("output").asText()).isEqualTo("two.json");
            assertThat(c.path("path").asText()).isEqualTo("edits/two.json");
        });
    }

    @Test
    void noDecisionOrTwoAreUsageErrors() {
        Console.Run none = review();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--approve", "--reject", "--replace");
        Console.Run two = review("--approve", "--reject");
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("mutually exclusive");
        assertThat(sent).isEmpty();
    }

    @Test
    void aRejectionWithoutFeedbackFeedbackOnAnApprovalAndTooMuchFeedbackAreRefusedAndNothingIsSent() {
        Console.Run bare = review("--reject");
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("--reject needs --feedback TEXT or --feedback-file FILE", "nothing was sent");
        Console.Run approve = review("--approve", "--feedback", "why not");
        assertThat(approve.code()).isEqualTo(2);
        assertThat(approve.err()).contains("only --reject takes feedback");
        Console.Run large = review("--reject", "--feedback", "x".repeat(Feedback.MAX_BYTES + 1));
        assertThat(large.code()).isEqualTo(2);
        assertThat(large.err()).contains("the feedback is", "nothing was sent");
        assertThat(sent).isEmpty();
    }

    @Test
    void aReplacementWithoutOutputNameOrWithAFileOutsideTheProjectIsRefusedAndNothingIsSent() throws Exception {
        Console.Run malformed = review("--replace", "two.json");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("--replace takes OUTPUT=FILE, not 'two.json'");
        Path outside = Files.createTempFile("outside", ".json");
        try {
            Console.Run escape = review("--replace", "two.json=" + outside);
            assertThat(escape.code()).isEqualTo(2);
            assertThat(escape.err()).contains("is not a file inside the execution's project directory " + project);
        } finally {
            Files.delete(outside);
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void aFileIsTakenRelativeToTheProjectOnlyWhenItIsInsideIt() {
        Path p = Path.of("/srv/projects/app");
        assertThat(Intervention.Review.relativeTo(p, Path.of("/srv/projects/app/edits/../edits/a.json"))).isEqualTo("edits/a.json");
        assertThatThrownBy(() -> Intervention.Review.relativeTo(p, Path.of("/srv/projects/app-other/a.json")))
                .isInstanceOf(CliException.class);
        assertThatThrownBy(() -> Intervention.Review.relativeTo(p, p)).isInstanceOf(CliException.class);
    }
}
