package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.EngineState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DryRunReportTest {
    private static EngineState dryRun() {
        EngineState s = Fixtures.state("e1", "/p", "completed", 9, "{}");
        s.setDryRun(true);
        s.setApprovalGates(List.of(12));
        return s;
    }

    @Test
    void aDryRunsMarkdownReportSaysSoInItsTitleAndBannerAndWhatEachPhaseWouldDo() {
        String md = Report.markdown(dryRun());
        assertThat(md).startsWith("# Execution report (dry run): Demo\n\n> **DRY RUN: every agent was replaced by sample"
                + " outputs that satisfy their contracts (no agent process ran, no token was spent)");
        assertThat(md).contains("\n## Dry run\n",
                "- phase 11 Bicep (@bicep-specialist): would be skipped: condition \\`project.infrastructure.iac == 'bicep'\\`"
                        + " is false\n",
                "- phase 12 Database (@database-specialist): would wait for approval, then run: sample outputs passed their"
                        + " contracts\n",
                "- phase 2 Docs \\| index (@doc): would run: sample outputs passed their contracts\n");
    }

    @Test
    void aDryRunsJsonAndHtmlReportsSayItToo() {
        JsonNode json = Report.json(dryRun());
        assertThat(json.path("summary").path("dry_run").asBoolean()).isTrue();
        assertThat(json.path("dry_run").path("text").asText()).startsWith("DRY RUN: ");
        assertThat(json.path("dry_run").path("phases")).extracting(p -> p.path("phase_id").asInt() + " " + p.path("outcome").asText())
                .contains("11 would be skipped", "12 would wait for approval, then run");
        assertThat(Report.html(dryRun())).contains("<title>Dry run report: Demo (e1)</title>", "<h2>Dry run</h2>");
    }

    @Test
    void aRealRunsReportsSayNothingOfADryRun() {
        EngineState real = Fixtures.state("e1", "/p", "completed", 9, "{}");
        assertThat(Report.markdown(real)).doesNotContain("dry run", "DRY RUN");
        assertThat(Report.json(real).has("dry_run")).isFalse();
        assertThat(Report.json(real).path("summary").path("dry_run").asBoolean()).isFalse();
    }
}
