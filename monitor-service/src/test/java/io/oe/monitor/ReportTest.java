package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.PhaseState;
import io.oe.events.TransitionCause;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void theMarkdownReportHasEverySection() {
        String md = Report.markdown(Fixtures.state("e1", "/p", "completed", 9, "{}"));
        assertThat(md).startsWith("# Execution report: Demo\n");
        assertThat(md).contains("| Status | **completed** |", "| Wall time | 120.0 s |",
                "| Phases | 3 completed, 1 skipped, 4 in all |", "| Tasks | 2 of 2 completed |");
        assertThat(md).contains("## Tiers", "| prep | sequential | 1, 2 | 2 | 0 | 0 | 0 | 0 | 49.0 s |",
                "| impl | parallel | 11, 12 | 1 | 1 | 0 | 0 | 0 | 30.0 s |");
        // a phase that completed at its second attempt: started at its first, its note its attempts (not its old error)
        assertThat(md).contains("## Phases", "| 2 Docs \\| index | @doc | prep | completed | 2 | 2026-01-13T12:00:01Z | "
                + "2026-01-13T12:00:50Z | 49.0 s | 2 attempts: #1 failed after 9.0 s (exited with code 1), #2 completed in 30.0 s |");
        assertThat(md).contains("## Agent alternatives", "- phase 12 Database: @database-specialist chosen (alternative 2 of 2):"
                + " \\`project.stack.database == 'postgresql'\\` holds; before it, @mongodb-specialist's"
                + " \\`project.stack.database == 'mongodb'\\` is false\n");
        assertThat(md).contains("## Skipped phases",
                "- phase 11 Bicep (@bicep-specialist): condition \\`project.infrastructure.iac == 'bicep'\\` is false");
        assertThat(md).contains("## Errors", "- phase 2 @doc attempt 1: agent @doc failed: exited with code 1\n");
        assertThat(md).doesNotContain("stderr: boom"); // first lines only
        assertThat(md).contains("## Handoffs", "- `ho_e1_12_1` phase 12 attempt 1 @database-specialist → @devops: **validated**",
                "  - schema.sql (674 bytes, sha256 `" + Fixtures.SHA + "`)", "- `ho_e1_2_1` phase 2 attempt 1 @doc → (final): **failed**");
        assertThat(md).contains("## Alerts", "WARNING phase_failed: phase 2 attempt 1 failed");
        assertThat(md).contains("## Tasks", "| TASK_001 | 2 | Overview | completed | 100% | 90.0 s |");
        assertThat(md.indexOf("| TASK_001")).isLessThan(md.indexOf("| TASK_002"));
    }

    @Test
    void aRunningExecutionShowsItsWallTimeSoFarAndNoEndTime() {
        String md = Report.markdown(Fixtures.state("e1", "/p", "in_progress", 9, "{}"));
        assertThat(md).contains("| Ended | — |", "| Wall time | 60.0 s (so far) |");
    }

    @Test
    void theHtmlReportIsOneSelfContainedPageWherePlanTextStaysText() {
        var state = Fixtures.state("e1", "/p", "completed", 9, "{}");
        state.getPhases().get("2").setName("<script>alert(1)</script> Docs");
        String html = Report.html(state);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Report: Demo (e1)</title>", "<h2>Tiers</h2>", "<table>",
                "<td>Status</td>", "<strong>completed</strong>", "default-src 'none'");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; Docs").doesNotContain("<script");
        assertThat(html).contains("<h2>Agent alternatives</h2>", "<li>phase 12 Database: @database-specialist chosen"
                + " (alternative 2 of 2): `project.stack.database == 'postgresql'` holds; before it,");
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//"); // nothing loaded from elsewhere
    }

    @Test
    void theJsonReportHasTheSameFacts() {
        JsonNode r = Report.json(Fixtures.state("e1", "/p", "completed", 9, "{}"));
        assertThat(r.path("summary").path("wall_time_seconds").asDouble()).isEqualTo(120.0);
        assertThat(r.path("summary").path("status").asText()).isEqualTo("completed");
        assertThat(r.path("tiers").get(0).path("duration_seconds").asDouble()).isEqualTo(49.0);
        assertThat(r.path("phases")).extracting(p -> p.path("id").asInt()).containsExactly(1, 2, 11, 12);
        assertThat(r.path("alternatives")).singleElement().satisfies(a -> {
            assertThat(a.path("phase_id").asInt()).isEqualTo(12);
            assertThat(a.path("chosen").asInt()).isEqualTo(2);
            assertThat(a.path("agent").asText()).isEqualTo("@database-specialist");
            assertThat(a.path("reason").asText()).isEqualTo(Fixtures.DATABASE_CHOICE.getReason());
            assertThat(a.path("alternatives")).extracting(o -> o.path("outcome").asText()).containsExactly("false", "holds");
        });
        assertThat(r.path("skipped")).singleElement().satisfies(s -> assertThat(s.path("phase_id").asInt()).isEqualTo(11));
        assertThat(r.path("errors")).singleElement().satisfies(e -> assertThat(e.path("attempt").asInt()).isEqualTo(1));
        assertThat(r.path("handoffs").get(1).path("artifacts").path("schema.sql").path("checksum").asText()).isEqualTo(Fixtures.SHA);
        assertThat(r.path("tasks").get(0).path("duration_minutes").asDouble()).isEqualTo(1.5);
        JsonNode docs = r.path("phases").get(1);
        assertThat(docs.path("started_at").asText()).isEqualTo("2026-01-13T12:00:20Z"); // its last attempt, as before
        assertThat(docs.path("duration_seconds").asDouble()).isEqualTo(30.0);
        assertThat(docs.path("first_started_at").asText()).isEqualTo("2026-01-13T12:00:01Z");
        assertThat(docs.path("elapsed_seconds").asDouble()).isEqualTo(49.0);
        assertThat(docs.path("note").asText()).isEqualTo(docs.path("attempts_summary").asText())
                .isEqualTo("2 attempts: #1 failed after 9.0 s (exited with code 1), #2 completed in 30.0 s");
        assertThat(docs.path("attempt_history")).extracting(a -> a.path("duration_seconds").asDouble()).containsExactly(9.0, 30.0);
        assertThat(r.path("sync_points")).isEmpty(); // 1 → 2 → 11 → 12: a chain joins nothing
    }

    @Test
    void aCompletedPhaseReadsCompletedAndAFailedOrRetryingOneSaysWhy() {
        var state = Fixtures.state("e1", "/p", "completed", 9, "{}");
        var docs = state.getPhases().get("2");
        assertThat(Attempts.note(docs)).doesNotContain("boom").startsWith("2 attempts: ");
        assertThat(Attempts.note(state.getPhases().get("12"))).isNull(); // completed at once: nothing to add
        docs.setStatus("waiting_for_intervention");
        docs.setReason("retries exhausted after 2 failed attempt(s); last error: agent @doc failed: exited with code 1");
        assertThat(Attempts.note(docs)).startsWith("retries exhausted after 2");
        var running = Fixtures.state("e1", "/p", "in_progress", 9, "{}").getPhases().get("2");
        assertThat(Attempts.note(running)).isEqualTo("2 attempts: #1 failed after 9.0 s (exited with code 1), #2 running");
    }

    @Test
    void theSyncPointIsShownAsSuchInTheMarkdownHtmlAndJsonReports() {
        var state = Fixtures.state("e1", "/p", "completed", 9, "{}");
        // 11 and 12 run side by side after 2, and 13 waits for both: the whole tier impl
        state.getPhases().get("11").setPrerequisites(List.of(2, 1));
        state.getPhases().get("12").setPrerequisites(List.of(2, 1));
        state.getPhases().put("13", new PhaseState(13, "Deploy", "@devops", "final", "completed", 1, Fixtures.T0.plusSeconds(95),
                Fixtures.T0.plusSeconds(99), null, null, List.of(), List.of(1, 2, 11, 12), null, List.of(), TransitionCause.UNKNOWN, null));
        assertThat(Report.markdown(state)).contains("\n- sync point: phase 13 waits for tier 'impl' (phases 11, 12)\n");
        assertThat(Report.html(state)).contains("<li>sync point: phase 13 waits for tier 'impl' (phases 11, 12)</li>");
        assertThat(Report.json(state).path("sync_points")).singleElement().satisfies(sp -> {
            assertThat(sp.path("phases")).extracting(JsonNode::asInt).containsExactly(13);
            assertThat(sp.path("waits_for")).extracting(JsonNode::asInt).containsExactly(11, 12);
            assertThat(sp.path("tier").asText()).isEqualTo("impl");
            assertThat(sp.path("text").asText()).isEqualTo("phase 13 waits for tier 'impl' (phases 11, 12)");
        });
        // a join of part of a tier names the phases; a tier name is plan text, escaped
        state.getTiers().get(1).setName("*impl*");
        state.getPhases().get("13").setPrerequisites(List.of(11, 12, 14));
        state.getPhases().put("14", new PhaseState(14, "Docs", "@doc", "final", "completed", 1, null, null, null, null,
                List.of(), List.of(2), null, List.of(), TransitionCause.UNKNOWN, null));
        assertThat(Report.markdown(state)).contains("- sync point: phase 13 waits for phases 11, 12, 14\n");
        state.getPhases().get("13").setPrerequisites(List.of(11, 12));
        assertThat(Report.markdown(state)).contains("- sync point: phase 13 waits for tier '\\*impl\\*' (phases 11, 12)\n");
        assertThat(Report.json(state).path("sync_points").get(0).path("tier").asText()).isEqualTo("*impl*");
    }

    @Test
    void aWideTiersPhasesAreWrittenAsARange() {
        assertThat(Report.ids(List.of(12, 13, 14))).isEqualTo("12, 13, 14");
        assertThat(Report.ids(List.of(2, 3, 4, 5, 6, 9, 11, 12))).isEqualTo("2–6, 9, 11, 12");
    }

    @Test
    void theTasksLineCountsWhatFailedAndWhatTheAgentsNeverReported() {
        var state = Fixtures.state("e1", "/p", "completed", 9, "{}");
        state.getTasks().get("TASK_002").setStatus("not_reported");
        state.getTasks().put("TASK_003", new io.oe.events.TaskState("TASK_003", 2, "Index", "failed", 40, null, null, null));
        assertThat(Report.markdown(state)).contains("| Tasks | 1 of 3 completed, 1 failed, 1 not reported by their agent |",
                "| TASK_002 | 2 | Glossary | not_reported | 100% |");
    }
}
