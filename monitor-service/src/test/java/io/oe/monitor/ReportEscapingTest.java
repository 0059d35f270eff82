package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** User text in a report is text, in every format: nothing in it is interpreted, loaded or turned into structure. */
class ReportEscapingTest {
    private static final String HOSTILE = "![x](http://evil/x.png) <script>alert(1)</script> | `rm -rf /` &lt;b&gt; "
            + "[click](javascript:alert(1)) <http://evil/a> *bold* _it_\nsecond line\r\nthird\u001b[31m";

    /**
     * The fixture with hostile text in every place users write: project, plan id, phase, agent, task, reasons (an agent
     * alternative's too), errors.
     */
    private static EngineState hostile() {
        EngineState s = Fixtures.state("e1", "/p", "completed", 9, "{}");
        s.setProjectName(HOSTILE);
        s.setOrchestrationPlanId("plan`|" + HOSTILE);
        s.getPhases().values().forEach(p -> p.setName(HOSTILE));
        s.getPhases().get("2").setAgent("@doc" + HOSTILE);
        s.getPhases().get("2").getAttemptHistory().get(0).setError(HOSTILE);
        s.getPhases().get("11").setReason("# " + HOSTILE);
        s.getPhases().get("12").getAlternative().setReason("- " + HOSTILE); // a condition's text is the plan's
        s.getTasks().values().forEach(t -> t.setTitle(HOSTILE));
        s.getTiers().get(0).setName(HOSTILE);
        s.getAlerts().get(0).setMessage(HOSTILE);
        s.setHandoffs(List.of(failedHandoff(List.of(new Violation("design.json", "/title", "type", HOSTILE),
                new Violation("1. " + HOSTILE, "", "", "- " + HOSTILE)))));
        return s;
    }

    private static HandoffValidated failedHandoff(List<Violation> violations) {
        return new HandoffValidated("ho_e1_2_1", "e1", 2, 1, "@doc", List.of(), HandoffStatus.FAILED, List.of(), violations,
                "handoff failed: " + violations.size() + " contract violation(s)", 0, Fixtures.T0, Fixtures.T0, Fixtures.T0, java.util.Map.of(), null);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theHtmlReportLoadsNothingAndGetsNoElementFromPlanText() {
        String html = Report.html(hostile());
        assertThat(html).doesNotContain("<img", "<script", "<a ", "href=", "src=", "<em>", "<code>rm", "\u001b");
        assertThat(html).doesNotContainPattern("(?i)<(?!/?(html|head|meta|title|style|body|h1|h2|table|thead|tbody|tr|th|td"
                + "|ul|li|p|strong|code)\\b)[a-z]"); // only the report's own elements
        assertThat(html).contains("![x](http://evil/x.png) &lt;script&gt;alert(1)&lt;/script&gt; | `rm -rf /` "
                + "&amp;lt;b&amp;gt; [click](javascript:alert(1)) &lt;http://evil/a&gt; *bold* _it_ second line third");
    }

    @Test
    void theHtmlReportHasTheSameStructureWithHostileTextAsWithPlainText() {
        String plain = Report.html(Fixtures.state("e1", "/p", "completed", 9, "{}"));
        EngineState hostile = hostile();
        hostile.setHandoffs(Fixtures.state("e1", "/p", "completed", 9, "{}").getHandoffs());
        String html = Report.html(hostile);
        for (String element : List.of("<tr>", "<td", "<li>", "<h1>", "<h2>", "<table>", "<strong>")) {
            assertThat(count(html, element)).as(element).isEqualTo(count(plain, element));
        }
    }

    @Test
    void theMarkdownTablesKeepOneRowPerPhaseAndPerTask() {
        String md = Report.markdown(hostile());
        String phases = md.substring(md.indexOf("## Phases"), md.indexOf("## Skipped"));
        assertThat(phases.lines().filter(l -> l.startsWith("|"))).hasSize(2 + 4); // header, separator, 4 phases
        assertThat(phases.lines().filter(l -> l.startsWith("|")))
                .allSatisfy(l -> assertThat(count(l, "(?<!\\\\)\\|")).isEqualTo(10)); // 9 cells: no cell split by text
        String tasks = md.substring(md.indexOf("## Tasks"));
        assertThat(tasks.lines().filter(l -> l.startsWith("|"))).hasSize(2 + 2);
        assertThat(md).doesNotContain("\nsecond line", "\nthird", "\u001b");
        assertThat(md).contains("\\!\\[x\\](http://evil/x.png)".replace("\\!", "!"), "\\<script\\>", "\\`rm -rf /\\`",
                "\\&lt;b\\&gt;", "\\*bold\\*", "\\_it\\_");
        assertThat(md).contains("(@bicep-specialist): \\# ").contains("  - violation: 1\\. ");
        assertThat(md).contains(": \\- !\\[x\\](http://evil/x.png) \\<script\\>"); // an alternative's reason
    }

    @Test
    void theJsonReportCarriesTheTextExactly() {
        JsonNode r = Report.json(hostile());
        assertThat(r.path("phases").get(0).path("name").asText()).isEqualTo(HOSTILE);
        assertThat(r.path("tasks").get(0).path("title").asText()).isEqualTo(HOSTILE);
        assertThat(r.path("summary").path("project_name").asText()).isEqualTo(HOSTILE);
        assertThat(r.path("handoffs").get(0).path("violations").get(0).path("message").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void everyContractViolationIsShownUpToTheCapWithTheCountOfTheRest() {
        EngineState s = Fixtures.state("e1", "/p", "completed", 9, "{}");
        List<Violation> many = new ArrayList<>(IntStream.rangeClosed(1, 25)
                .mapToObj(i -> new Violation("design.json", "/items/" + i, "required", "missing field f" + i)).toList());
        s.setHandoffs(List.of(failedHandoff(many)));
        String md = Report.markdown(s);
        assertThat(md).contains("  - violation: design.json /items/1 (required): missing field f1\n",
                "  - violation: design.json /items/20 (required): missing field f20\n",
                "  - … and 5 more violations (the JSON report lists them all)\n");
        assertThat(md).doesNotContain("missing field f21");
        assertThat(count(md, "  - violation: ")).isEqualTo(Report.VIOLATIONS_SHOWN);
        assertThat(Report.json(s).path("handoffs").get(0).path("violations")).hasSize(25);
    }
}
