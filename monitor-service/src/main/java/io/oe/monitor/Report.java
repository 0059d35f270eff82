package io.oe.monitor;

import io.oe.events.ArtifactRef;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseState;
import io.oe.events.TierProgress;
import java.time.Duration;
import java.util.Comparator;

/** The execution report in Markdown: summary, tiers, phases with durations and attempts, skips, handoffs, tasks. */
final class Report {
    private Report() {
    }

    static String markdown(EngineState s) {
        StringBuilder r = new StringBuilder();
        r.append("# Execution report: ").append(s.getProjectName()).append("\n\n");
        r.append("| | |\n|---|---|\n");
        r.append("| Execution | `").append(s.getExecutionId()).append("` |\n");
        r.append("| Plan | `").append(s.getOrchestrationPlanId()).append("` |\n");
        r.append("| Status | **").append(s.getStatus()).append("** |\n");
        r.append("| Started | ").append(s.getStartTime() == null ? "—" : s.getStartTime()).append(" |\n");
        r.append("| Ended | ").append(s.getEndTime() == null ? "—" : s.getEndTime()).append(" |\n");
        if (s.getStartTime() != null && s.getEndTime() != null) {
            r.append("| Wall time | ").append(seconds(Duration.between(s.getStartTime(), s.getEndTime()))).append(" |\n");
        }
        long completed = s.getPhases().values().stream().filter(p -> p.getStatus().equals("completed")).count();
        long skipped = s.getPhases().values().stream().filter(p -> p.getStatus().equals("skipped")).count();
        r.append("| Phases | ").append(completed).append(" completed, ").append(skipped).append(" skipped, ")
                .append(s.getPhases().size()).append(" in all |\n\n");
        r.append("## Tiers\n\n| tier | mode | completed | skipped | running | failed | pending |\n|---|---|---|---|---|---|---|\n");
        for (TierProgress t : s.getTiers()) {
            r.append("| ").append(t.getName()).append(" | ").append(t.getMode()).append(" | ").append(t.getCompleted())
                    .append(" | ").append(t.getSkipped()).append(" | ").append(t.getRunning()).append(" | ")
                    .append(t.getFailed()).append(" | ").append(t.getPending()).append(" |\n");
        }
        r.append("\n## Phases\n\n| phase | agent | tier | status | attempts | started | duration | note |\n|---|---|---|---|---|---|---|---|\n");
        s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).forEach(p -> r.append("| ")
                .append(p.getId()).append(' ').append(p.getName()).append(" | ").append(p.getAgent()).append(" | ")
                .append(p.getTier()).append(" | ").append(p.getStatus()).append(" | ").append(p.getAttempts()).append(" | ")
                .append(p.getStartedAt() == null ? "—" : p.getStartedAt()).append(" | ")
                .append(p.getStartedAt() != null && p.getCompletedAt() != null
                        ? seconds(Duration.between(p.getStartedAt(), p.getCompletedAt())) : "—")
                .append(" | ").append(note(p)).append(" |\n"));
        boolean retried = s.getPhases().values().stream().anyMatch(p -> p.getAttemptHistory().size() > 1
                || p.getAttemptHistory().stream().anyMatch(a -> a.getError() != null));
        if (retried) {
            r.append("\n## Attempts that failed\n\n");
            s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).forEach(p ->
                    p.getAttemptHistory().stream().filter(a -> a.getError() != null).forEach(a -> r.append("- phase ")
                            .append(p.getId()).append(' ').append(p.getAgent()).append(" attempt ").append(a.getNumber())
                            .append(": ").append(a.getError().lines().findFirst().orElse("")).append('\n')));
        }
        r.append("\n## Handoffs\n\n");
        if (s.getHandoffs().isEmpty()) {
            r.append("None.\n");
        }
        for (HandoffValidated h : s.getHandoffs()) {
            r.append("- `").append(h.getHandoffId()).append("` ").append(h.getFromAgent()).append(" → ")
                    .append(h.getToAgents().isEmpty() ? "(final)" : String.join(", ", h.getToAgents())).append(": **")
                    .append(h.getStatus() == HandoffStatus.SUCCESS ? "validated" : "failed").append("**\n");
            for (ArtifactRef a : h.getArtifacts()) {
                r.append("  - ").append(a.getName()).append(" (").append(a.getSize()).append(" bytes, sha256 `")
                        .append(a.getSha256()).append("`)\n");
            }
            if (h.getError() != null) {
                r.append("  - ").append(h.getError().lines().findFirst().orElse("")).append('\n');
            }
        }
        if (!s.getAlerts().isEmpty()) {
            r.append("\n## Alerts\n\n");
            s.getAlerts().forEach(a -> r.append("- ").append(a.getAt()).append(' ').append(a.getSeverity()).append(' ')
                    .append(a.getKind()).append(": ").append(a.getMessage()).append('\n'));
        }
        r.append("\n## Tasks\n\n| task | phase | title | status | progress |\n|---|---|---|---|---|\n");
        s.getTasks().values().stream().sorted(Comparator.comparing(io.oe.events.TaskState::getId)).forEach(t -> r.append("| ").append(t.getId()).append(" | ").append(t.getPhaseId()).append(" | ")
                .append(t.getTitle()).append(" | ").append(t.getStatus()).append(" | ").append(t.getProgress()).append("% |\n"));
        return r.toString();
    }

    private static String note(PhaseState p) {
        String n = p.getReason() != null ? p.getReason() : p.getLastError() != null ? p.getLastError() : "";
        return n.lines().findFirst().orElse("").replace("|", "\\|");
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
