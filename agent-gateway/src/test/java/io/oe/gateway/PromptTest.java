package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.ArtifactRef;
import io.oe.events.Feedback;
import io.oe.events.PhaseReady;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTest {
    private static final Path DIR = Path.of("/p/tee-output/workspaces/e1/3/2");
    private static final Workspace WS = new Workspace(DIR, DIR.resolve("phase.json"), DIR.resolve("prompt.md"),
            DIR.resolve("inputs"), DIR.resolve("outputs"), DIR.resolve("contracts"), DIR.resolve("agent.log"));

    private static PhaseReady.Builder ready() {
        return PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName("Design").setAgent("@architect")
                .setAttempt(2).setProjectDir("/p").setReadyAt(Instant.parse("2026-12-01T05:00:00Z")).setTimeoutMs(60_000);
    }

    @Test
    void aRerunsPromptCarriesWhoGaveTheFeedbackWhenAndWhatAndThePreviousOutputs() {
        PhaseReady r = ready()
                .setFeedback(new Feedback("cli:alice", Instant.parse("2026-12-01T04:59:00Z"), "Use tables.\n```\nnot this```"))
                .setPreviousOutputs(List.of(new ArtifactRef("design.md", 3, "tee-output/artifacts/sha256/ab", "ab", 10L,
                        true, null)))
                .build();
        String prompt = Prompt.render(r, WS, List.of());
        assertThat(prompt).contains("## Feedback on the previous attempt\n\ncli:alice at 2026-12-01T04:59:00Z asked for"
                + " this attempt; follow it:\n\n````\nUse tables.\n```\nnot this```\n````\n");
        assertThat(prompt).contains("## Your previous outputs (in `previous/`)", "- `previous/design.md` (sha256 ab)");
        assertThat(prompt).doesNotContain("The previous attempt failed");
    }

    @Test
    void aFirstAttemptsPromptHasNeitherFeedbackNorPreviousOutputs() {
        String prompt = Prompt.render(ready().setAttempt(1).build(), WS, List.of());
        assertThat(prompt).doesNotContain("Feedback", "previous/");
    }
}
