package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void theMarkdownReportHasEverySection() {
        String md = Report.markdown(Fixtures.state("e1", "/p", "completed", 9, "{}"));
        assertThat(md).startsWith("# Execution report: Demo\n");
        assertThat(md).contains("| Status | **completed** |", "| Wall time | 120.0 s |",
                "| Phases | 3 completed, 1 skipped, 4 in all |", "| Tasks | 2 of 2 completed |");
        assertThat(md).contains("## Tiers", "| prep | sequential | 1, 2 | 2 | 0 | 0 | 0 | 0 | 30.0 s |",
                "| impl | parallel | 11, 12 | 1 | 1 | 0 | 0 | 0 | 30.0 s |");
        assertThat(md).contains("## Phases", "| 2 Docs \\| index | @doc | prep | completed | 2 | 2026-01-13T12:00:20Z | "
                + "2026-01-13T12:00:50Z | 30.0 s |");
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
        assertThat(r.path("tiers").get(0).path("duration_seconds").asDouble()).isEqualTo(30.0);
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
    }
}
