package io.oe.monitor;

import static io.oe.monitor.MarkdownText.code;
import static io.oe.monitor.MarkdownText.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanGraph;
import io.oe.core.progress.TaskStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.ArtifactRef;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import io.oe.events.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The execution report: summary and wall time, each tier and each phase with its outcome, duration and attempts,
 * which agent alternative ran a phase and why, failed attempts with their errors, skipped phases with their reasons, handoffs with their checksums, alerts, tasks.
 * Markdown for people, JSON (the same facts) for programs. Pure: the state in, the text out.
 */
final class Report {
    /** Contract violations listed per handoff in the Markdown report; the JSON report has them all. */
    static final int VIOLATIONS_SHOWN = 20;

    private Report() {
    }

    static String markdown(EngineState s) {
        StringBuilder r = new StringBuilder();
        r.append("# Execution report").append(s.getDryRun() ? " (dry run)" : "").append(": ").append(text(s.getProjectName()))
                .append("\n\n");
        if (s.getDryRun()) {
            r.append("> **").append(text(DryRunReport.BANNER)).append("**\n\n");
        }
        r.append("| | |\n|---|---|\n");
        r.append("| Execution | ").append(code(s.getExecutionId())).append(" |\n");
        r.append("| Plan | ").append(code(s.getOrchestrationPlanId())).append(" |\n");
        r.append("| Status | **").append(text(s.getStatus())).append("** |\n");
        r.append("| Started | ").append(orDash(s.getStartTime())).append(" |\n");
        r.append("| Ended | ").append(orDash(s.getEndTime())).append(" |\n");
        wallTime(s).ifPresent(d -> r.append("| Wall time | ").append(seconds(d))
                .append(s.getEndTime() == null ? " (so far)" : "").append(" |\n"));
        long completed = count(s, st -> st == PhaseStatus.COMPLETED);
        long skipped = count(s, st -> st == PhaseStatus.SKIPPED);
        long failed = count(s, PhaseStatus::countsAsFailed);
        r.append("| Phases | ").append(completed).append(" completed, ").append(skipped).append(" skipped, ");
        if (failed > 0) {
            r.append(failed).append(" failed or waiting, ");
        }
        r.append(s.getPhases().size()).append(" in all |\n");
        r.append("| Tasks | ").append(taskCount(s, TaskStatus.COMPLETED)).append(" of ").append(s.getTasks().size())
                .append(" completed");
        long tasksFailed = taskCount(s, TaskStatus.FAILED);
        long notReported = taskCount(s, TaskStatus.NOT_REPORTED);
        if (tasksFailed > 0) {
            r.append(", ").append(tasksFailed).append(" failed");
        }
        if (notReported > 0) {
            r.append(", ").append(notReported).append(" not reported by their agent");
        }
        r.append(" |\n");
        r.append("| Usage | ").append(text(UsageMarkdown.summary(s))).append(" |\n");
        UsageMarkdown.budgetSummary(r, s);
        r.append('\n');

        r.append("## Tiers\n\n| tier | mode | phases | completed | skipped | running | failed | pending | duration |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (TierProgress t : s.getTiers()) {
            r.append("| ").append(text(t.getName())).append(" | ").append(text(t.getMode())).append(" | ")
                    .append(t.getPhases().stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""))
                    .append(" | ").append(t.getCompleted()).append(" | ").append(t.getSkipped()).append(" | ")
                    .append(t.getRunning()).append(" | ").append(t.getFailed()).append(" | ").append(t.getPending())
                    .append(" | ").append(tierDuration(s, t).map(Report::seconds).orElse("—")).append(" |\n");
        }
        List<SyncPoint> syncPoints = syncPoints(s);
        if (!syncPoints.isEmpty()) {
            r.append('\n');
            syncPoints.forEach(sp -> r.append("- sync point: ").append(sp.markdown()).append('\n'));
        }

        r.append("\n## Phases\n\n| phase | agent | tier | status | attempts | started | completed | duration | note |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (PhaseState p : phases(s)) {
            r.append("| ").append(p.getId()).append(' ').append(text(p.getName())).append(" | ").append(text(p.getAgent()))
                    .append(" | ").append(text(p.getTier())).append(" | ").append(text(p.getStatus())).append(" | ")
                    .append(p.getAttempts()).append(" | ").append(orDash(Attempts.firstStartedAt(p))).append(" | ")
                    .append(orDash(p.getCompletedAt())).append(" | ")
                    .append(Attempts.elapsed(p).map(Report::seconds).orElse("—")).append(" | ")
                    .append(text(Attempts.note(p))).append(" |\n");
        }

        if (s.getDryRun()) {
            DryRunReport.markdown(r, s);
        }
        ReuseReport.markdown(r, s);
        UsageMarkdown.section(r, s);
        UsageMarkdown.budgetSection(r, s);

        List<PhaseState> chosen = phases(s).stream().filter(p -> p.getAlternative() != null).toList();
        if (!chosen.isEmpty()) {
            r.append("\n## Agent alternatives\n\n");
            chosen.forEach(p -> r.append("- phase ").append(p.getId()).append(' ').append(text(p.getName())).append(": ")
                    .append(text(p.getAlternative().getReason())).append('\n'));
        }

        List<PhaseState> skippedPhases = phases(s).stream().filter(p -> status(p) == PhaseStatus.SKIPPED).toList();
        if (!skippedPhases.isEmpty()) {
            r.append("\n## Skipped phases\n\n");
            skippedPhases.forEach(p -> r.append("- phase ").append(p.getId()).append(' ').append(text(p.getName())).append(" (")
                    .append(text(p.getAgent())).append("): ")
                    .append(p.getReason() == null ? "no reason recorded" : text(firstLine(p.getReason()))).append('\n'));
        }

        boolean anyFailed = s.getPhases().values().stream().anyMatch(p -> !failedAttempts(p).isEmpty()
                || p.getLastError() != null && status(p) != PhaseStatus.COMPLETED);
        if (anyFailed) {
            r.append("\n## Errors\n\n");
            for (PhaseState p : phases(s)) {
                for (AttemptRecord a : failedAttempts(p)) {
                    r.append("- phase ").append(p.getId()).append(' ').append(text(p.getAgent())).append(" attempt ")
                            .append(a.getNumber()).append(": ").append(text(firstLine(a.getError()))).append('\n');
                }
                if (failedAttempts(p).isEmpty() && p.getLastError() != null && status(p) != PhaseStatus.COMPLETED) {
                    r.append("- phase ").append(p.getId()).append(' ').append(text(p.getAgent())).append(": ")
                            .append(text(firstLine(p.getLastError()))).append('\n');
                }
            }
        }

        r.append("\n## Handoffs\n\n");
        if (s.getHandoffs().isEmpty()) {
            r.append("None.\n");
        }
        for (HandoffValidated h : s.getHandoffs()) {
            r.append("- ").append(code(h.getHandoffId())).append(" phase ").append(h.getPhaseId()).append(" attempt ")
                    .append(h.getAttempt()).append(' ').append(text(h.getFromAgent())).append(" → ")
                    .append(h.getToAgents().isEmpty() ? "(final)" : text(String.join(", ", h.getToAgents()))).append(": **")
                    .append(h.getStatus() == HandoffStatus.SUCCESS ? "validated" : "failed").append("**\n");
            for (ArtifactRef a : h.getArtifacts()) {
                r.append("  - ").append(text(a.getName())).append(" (").append(a.getSize()).append(" bytes, sha256 ")
                        .append(code(a.getSha256())).append(")\n");
            }
            if (h.getError() != null) {
                r.append("  - ").append(text(firstLine(h.getError()))).append('\n');
            }
            violations(r, h.getViolations());
        }
        if (!s.getAlerts().isEmpty()) {
            r.append("\n## Alerts\n\n");
            s.getAlerts().forEach(a -> r.append("- ").append(a.getAt()).append(' ').append(a.getSeverity()).append(' ')
                    .append(text(a.getKind())).append(": ").append(text(a.getMessage())).append('\n'));
        }
        r.append("\n## Tasks\n\n");
        if (s.getTasks().isEmpty()) {
            r.append("None.\n");
        } else {
            r.append("| task | phase | title | status | progress | duration |\n|---|---|---|---|---|---|\n");
            for (TaskState t : tasks(s)) {
                r.append("| ").append(text(t.getId())).append(" | ").append(t.getPhaseId()).append(" | ").append(text(t.getTitle()))
                        .append(" | ").append(text(t.getStatus())).append(" | ").append(t.getProgress()).append("% | ")
                        .append(taskDuration(t).map(Report::seconds).orElse("—")).append(" |\n");
            }
        }
        return r.toString();
    }

    /** Every contract violation of a handoff, up to {@link #VIOLATIONS_SHOWN}, then how many more the JSON report has. */
    private static void violations(StringBuilder r, List<Violation> violations) {
        violations.stream().limit(VIOLATIONS_SHOWN).forEach(v -> r.append("  - violation: ").append(text(v.getArtifact()))
                .append(' ').append(text(v.getPointer().isEmpty() ? "/" : v.getPointer()))
                .append(v.getRule().isEmpty() ? "" : " (" + text(v.getRule()) + ")").append(": ")
                .append(text(v.getMessage())).append('\n'));
        if (violations.size() > VIOLATIONS_SHOWN) {
            r.append("  - … and ").append(violations.size() - VIOLATIONS_SHOWN)
                    .append(" more violations (the JSON report lists them all)\n");
        }
    }

    private static final List<Extension> MARKDOWN_EXTENSIONS = List.of(TablesExtension.create());
    // both are immutable and thread-safe: built once, not per request
    private static final Parser MARKDOWN = Parser.builder().extensions(MARKDOWN_EXTENSIONS).build();
    /**
     * The report makes no link or image of its own, so one in the rendered Markdown could only come from plan text
     * that escaped {@link MarkdownText}: it is rendered as its text, never as something that loads or leads elsewhere.
     */
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(MARKDOWN_EXTENSIONS).escapeHtml(true)
            .sanitizeUrls(true).nodeRendererFactory(TextOnly::new).build();

    /** Renders links and images as their text. */
    private static final class TextOnly implements NodeRenderer {
        private final HtmlNodeRendererContext context;

        TextOnly(HtmlNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class);
        }

        @Override
        public void render(Node node) {
            for (Node child = node.getFirstChild(); child != null; ) {
                Node next = child.getNext();
                context.render(child);
                child = next;
            }
        }
    }

    /**
     * The Markdown report as one self-contained HTML page: no script, no external resource (the content security
     * policy forbids both), every bit of plan or agent text escaped, so a phase named {@code <script>} is text.
     */
    static String html(EngineState s) {
        String body = HTML.render(MARKDOWN.parse(markdown(s)));
        String title = MarkdownText.oneLine((s.getDryRun() ? "Dry run report: " : "Report: ") + s.getProjectName() + " ("
                + s.getExecutionId() + ")");
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }
                h1 { border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
                table { border-collapse: collapse; margin: 1rem 0; }
                th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
                th { background: #f6f8fa; }
                tr:nth-child(even) td { background: #fbfcfd; }
                code, pre { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; }
                pre { padding: .6rem; overflow-x: auto; }
                </style>
                </head>
                <body>
                %s</body>
                </html>
                """.formatted(escape(title), body);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The report as JSON: the same sections as the Markdown, as data. */
    static ObjectNode json(EngineState s) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        ObjectNode summary = o.putObject("summary");
        summary.setAll(StateJson.summary(s));
        wallTime(s).ifPresentOrElse(d -> summary.put("wall_time_seconds", d.toMillis() / 1000.0),
                () -> summary.putNull("wall_time_seconds"));
        ArrayNode tiers = o.putArray("tiers");
        for (TierProgress t : s.getTiers()) {
            ObjectNode n = tiers.addObject().put("name", t.getName()).put("mode", t.getMode());
            ArrayNode ids = n.putArray("phases");
            t.getPhases().forEach(ids::add);
            n.put("completed", t.getCompleted()).put("skipped", t.getSkipped()).put("running", t.getRunning())
                    .put("failed", t.getFailed()).put("pending", t.getPending());
            tierDuration(s, t).ifPresentOrElse(d -> n.put("duration_seconds", d.toMillis() / 1000.0),
                    () -> n.putNull("duration_seconds"));
        }
        ArrayNode syncPoints = o.putArray("sync_points");
        for (SyncPoint sp : syncPoints(s)) {
            ObjectNode n = syncPoints.addObject();
            sp.phases().forEach(n.putArray("phases")::add);
            sp.waitsFor().forEach(n.putArray("waits_for")::add);
            n.put("tier", sp.tier());
            n.put("text", sp.text());
        }
        ArrayNode phases = o.putArray("phases");
        io.oe.core.plan.Budget budget = BudgetJson.budget(s);
        ArrayNode alternatives = o.putArray("alternatives");
        ArrayNode skipped = o.putArray("skipped");
        ArrayNode errors = o.putArray("errors");
        for (PhaseState p : phases(s)) {
            ObjectNode n = phases.addObject().put("id", p.getId()).put("name", p.getName()).put("agent", p.getAgent())
                    .put("tier", p.getTier()).put("status", p.getStatus()).put("attempts", p.getAttempts())
                    .put("started_at", str(p.getStartedAt())).put("completed_at", str(p.getCompletedAt()))
                    .put("reason", p.getReason()).put("last_error", p.getLastError());
            phaseDuration(p).ifPresentOrElse(d -> n.put("duration_seconds", d.toMillis() / 1000.0),
                    () -> n.putNull("duration_seconds"));
            n.set("usage", UsageJson.of(p.getUsage()));
            n.set("budget_use", BudgetJson.phase(budget, p)); // null: no limit
            StateJson.attempts(n, p);
            if (p.getAlternative() != null) {
                alternatives.addObject().put("phase_id", p.getId()).put("name", p.getName())
                        .setAll(StateJson.alternative(p.getAlternative()));
            }
            if (status(p) == PhaseStatus.SKIPPED) {
                skipped.addObject().put("phase_id", p.getId()).put("name", p.getName()).put("reason", p.getReason());
            }
            for (AttemptRecord a : failedAttempts(p)) {
                errors.addObject().put("phase_id", p.getId()).put("agent", p.getAgent()).put("attempt", a.getNumber())
                        .put("at", str(a.getEndedAt())).put("error", a.getError());
            }
        }
        if (s.getDryRun()) {
            DryRunReport.json(o, s);
        }
        ReuseReport.json(o, s);
        o.set("usage", UsageJson.execution(s.getUsage()));
        o.set("budget", budget == null ? null : io.oe.core.plan.PlanJson.MAPPER.valueToTree(budget));
        o.set("budget_use", BudgetJson.execution(budget, s));
        StateJson.handoffs(o.putArray("handoffs"), s.getHandoffs());
        ArrayNode tasks = o.putArray("tasks");
        for (TaskState t : tasks(s)) {
            ObjectNode n = tasks.addObject().put("id", t.getId()).put("phase_id", t.getPhaseId()).put("title", t.getTitle())
                    .put("status", t.getStatus()).put("progress", t.getProgress());
            taskDuration(t).ifPresent(d -> n.put("duration_minutes", d.toMillis() / 60_000.0));
        }
        ArrayNode alerts = o.putArray("alerts");
        s.getAlerts().forEach(a -> alerts.addObject().put("alert_id", a.getAlertId()).put("severity", a.getSeverity().name())
                .put("kind", a.getKind()).put("message", a.getMessage()).put("at", str(a.getAt())));
        return o;
    }

    static Optional<Duration> wallTime(EngineState s) {
        if (s.getStartTime() == null) {
            return Optional.empty();
        }
        Instant end = s.getEndTime() != null ? s.getEndTime() : s.getUpdatedAt();
        return Optional.of(Duration.between(s.getStartTime(), end));
    }

    /** From the first start to the last completion of the tier's phases that ran; empty if none ran. */
    static Optional<Duration> tierDuration(EngineState s, TierProgress t) {
        List<PhaseState> ran = t.getPhases().stream().map(id -> s.getPhases().get(String.valueOf(id))).filter(Objects::nonNull)
                .filter(p -> p.getStartedAt() != null).toList();
        if (ran.isEmpty() || ran.stream().anyMatch(p -> p.getCompletedAt() == null)) {
            return Optional.empty();
        }
        Instant start = ran.stream().map(Attempts::firstStartedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant end = ran.stream().map(PhaseState::getCompletedAt).max(Comparator.naturalOrder()).orElseThrow();
        return Optional.of(Duration.between(start, end));
    }

    static Optional<Duration> phaseDuration(PhaseState p) {
        return p.getStartedAt() != null && p.getCompletedAt() != null
                ? Optional.of(Duration.between(p.getStartedAt(), p.getCompletedAt())) : Optional.empty();
    }

    private static Optional<Duration> taskDuration(TaskState t) {
        return t.getStartedAt() != null && t.getCompletedAt() != null
                ? Optional.of(Duration.between(t.getStartedAt(), t.getCompletedAt())) : Optional.empty();
    }

    private static List<AttemptRecord> failedAttempts(PhaseState p) {
        return p.getAttemptHistory().stream().filter(a -> a.getError() != null
                || a.getOutcome() != null && PhaseStatus.parse(a.getOutcome()) == PhaseStatus.FAILED).toList();
    }

    private static List<PhaseState> phases(EngineState s) {
        return s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).toList();
    }

    private static List<TaskState> tasks(EngineState s) {
        return s.getTasks().values().stream().sorted(Comparator.comparing(TaskState::getId)).toList();
    }

    private static PhaseStatus status(PhaseState p) {
        return PhaseStatus.parse(p.getStatus());
    }

    private static long count(EngineState s, Predicate<PhaseStatus> which) {
        return s.getPhases().values().stream().filter(p -> which.test(status(p))).count();
    }

    private static long taskCount(EngineState s, TaskStatus status) {
        return s.getTasks().values().stream().filter(t -> TaskStatus.parse(t.getStatus()) == status).count();
    }

    /**
     * Where branches join (engine-core's {@link PlanGraph#syncPoints}, from the prerequisites the state keeps), each
     * named by the tier it waits for when that is a whole tier.
     */
    static List<SyncPoint> syncPoints(EngineState s) {
        Map<Integer, List<Integer>> prerequisites = new HashMap<>();
        s.getPhases().values().forEach(p -> prerequisites.put(p.getId(), p.getPrerequisites()));
        return PlanGraph.ofPrerequisites(prerequisites).syncPoints().stream().map(sp -> new SyncPoint(sp.phases(),
                sp.waitsFor(), s.getTiers().stream().filter(t -> t.getPhases().size() == sp.waitsFor().size()
                        && Set.copyOf(t.getPhases()).equals(Set.copyOf(sp.waitsFor()))).map(TierProgress::getName)
                        .findFirst().orElse(null))).toList();
    }

    /** {@code phases} wait for every one of {@code waitsFor}: the whole tier {@code tier}, when it is one (else null). */
    record SyncPoint(List<Integer> phases, List<Integer> waitsFor, String tier) {
        /** "phase 15 waits for tier 'implementation' (phases 12, 13, 14)". */
        String text() {
            return sentence(tier);
        }

        String markdown() {
            return sentence(tier == null ? null : MarkdownText.text(tier));
        }

        private String sentence(String tierName) {
            String who = phases.size() == 1 ? "phase " + phases.get(0) + " waits for " : "phases " + ids(phases) + " wait for ";
            return who + (tierName == null ? "phases " + ids(waitsFor) : "tier '" + tierName + "' (phases " + ids(waitsFor) + ")");
        }
    }

    /** "12, 13, 14"; a run of four or more as "2–1499", so that a wide tier stays one line. */
    static String ids(List<Integer> ids) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ids.size(); ) {
            int j = i;
            while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                j++;
            }
            b.append(b.isEmpty() ? "" : ", ");
            if (j - i >= 3) {
                b.append(ids.get(i)).append('–').append(ids.get(j));
            } else {
                for (int k = i; k <= j; k++) {
                    b.append(k > i ? ", " : "").append(ids.get(k));
                }
            }
            i = j + 1;
        }
        return b.toString();
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String orDash(Instant at) {
        return at == null ? "—" : at.toString();
    }

    private static String str(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
