package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.progress.TaskStatus;
import io.oe.core.progress.WaitingReason;
import io.oe.core.scheduler.PhaseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "Execution Progress" view as text: a bar per tier, the current phases with their tasks, recent events.
 * Pure: state and log in, lines out.
 */
final class WatchView {
    /** Log entries shown under "Recent Events". */
    static final int RECENT = 6;
    private static final int BAR = 14;

    private WatchView() {
    }

    static List<String> render(JsonNode state, JsonNode log, Instant now) {
        List<String> out = new ArrayList<>();
        String elapsed = "";
        if (state.hasNonNull("start_time")) {
            Instant start = Instant.parse(state.get("start_time").asText());
            Instant end = state.hasNonNull("end_time") ? Instant.parse(state.get("end_time").asText()) : now;
            long s = Duration.between(start, end).toSeconds();
            elapsed = String.format("  %02d:%02d", s / 60, s % 60);
        }
        out.add("Execution " + state.path("execution_id").asText() + "  " + state.path("project_name").asText() + "  "
                + (state.path("dry_run").asBoolean() ? "[DRY RUN]  " : "")
                + state.path("status").asText().toUpperCase() + elapsed + eta(state, now));
        if (state.path("usage").path("reports").asInt() > 0) {
            out.add("Usage " + state.path("usage").path("text").asText());
        }
        if (state.path("budget_use").hasNonNull("text")) { // the execution's limit beside its usage, the monitor's words
            out.add("Budget " + state.path("budget_use").path("text").asText());
        }
        out.add("Execution Progress");
        for (JsonNode t : state.path("tiers")) {
            int total = t.path("phases").size();
            int done = t.path("completed").asInt() + t.path("skipped").asInt();
            int running = t.path("running").asInt();
            int filled = total == 0 ? 0 : Math.round((float) done * BAR / total);
            int busy = total == 0 ? 0 : Math.min(BAR - filled, Math.round((float) running * BAR / total));
            String ids = t.path("phases").size() == 0 ? "" : t.path("phases").get(0).asText() + "-"
                    + t.path("phases").get(total - 1).asText();
            String what = running > 0 ? running + "/" + total + " executing" : done + "/" + total + " done";
            if (t.path("skipped").asInt() > 0) {
                what += ", " + t.path("skipped").asInt() + " skipped";
            }
            if (t.path("failed").asInt() > 0) {
                what += ", " + t.path("failed").asInt() + " failed";
            }
            out.add(String.format("├─ %-15s %-6s %s (%s)", t.path("name").asText(), ids,
                    "█".repeat(filled) + "▒".repeat(busy) + "░".repeat(BAR - filled - busy), what));
        }
        out.add("Current Execution");
        boolean any = false;
        for (JsonNode id : state.path("current_phases")) {
            JsonNode p = state.path("phases").path(id.asText());
            any = true;
            int done = 0;
            int total = 0;
            for (var it = state.path("tasks").fields(); it.hasNext();) {
                var e = it.next();
                if (e.getValue().path("phase_id").asInt() == id.asInt()) {
                    total++;
                    if (TaskStatus.find(e.getValue().path("status").asText()).orElse(null) == TaskStatus.COMPLETED) {
                        done++;
                    }
                }
            }
            out.add(String.format("├─ Phase %s: %s %s (attempt %d)  %d/%d tasks", id.asText(), p.path("agent").asText(),
                    p.path("status").asText(), p.path("attempts").asInt(), done, total)
                    + (p.path("usage").path("reports").asInt() > 0 ? "  " + p.path("usage").path("text").asText() : "")
                    + (p.path("budget_use").hasNonNull("text") ? "  budget " + p.path("budget_use").path("text").asText() : ""));
            for (var it = state.path("tasks").fields(); it.hasNext();) {
                var e = it.next();
                JsonNode t = e.getValue();
                if (t.path("phase_id").asInt() == id.asInt()
                        && TaskStatus.find(t.path("status").asText()).orElse(null) != TaskStatus.PENDING) {
                    int pct = Math.max(0, Math.min(100, t.path("progress").asInt()));
                    int fill = Math.round(pct * 10 / 100f);
                    out.add(String.format("│   %-10s %s %3d%%", e.getKey(), "█".repeat(fill) + "░".repeat(10 - fill), pct));
                }
            }
        }
        if (state.path("schedule").hasNonNull("text")) { // the seed's "Status: On track"
            out.add("└─ Status: " + state.path("schedule").path("text").asText());
        }
        // why the others wait: people and pauses first, then the phases next in line
        List<String> waiting = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (var it = state.path("phases").fields(); it.hasNext();) {
            var e = it.next();
            JsonNode w = e.getValue().path("waiting_for");
            if (w.isMissingNode() || WaitingReason.Kind.AGENT.json().equals(w.path("kind").asText())) {
                continue;
            }
            String line = "├─ Phase " + e.getKey() + ": " + e.getValue().path("agent").asText() + " waits for "
                    + w.path("text").asText();
            boolean nextInLine = true;
            for (JsonNode pre : w.path("phases")) {
                String st = state.path("phases").path(pre.asText()).path("status").asText();
                nextInLine &= PhaseStatus.find(st).map(PhaseStatus::isActive).orElse(false);
            }
            if (!WaitingReason.Kind.DEPENDENCY.json().equals(w.path("kind").asText())) {
                waiting.add(line);
            } else if (nextInLine) {
                next.add(line);
            }
        }
        waiting.addAll(next);
        if (!waiting.isEmpty()) {
            any = true;
            out.add("Waiting");
            waiting.stream().limit(6).forEach(out::add);
            if (waiting.size() > 6) {
                out.add("├─ … and " + (waiting.size() - 6) + " more");
            }
        }
        if (!any) {
            out.add("├─ (none)");
        }
        out.add("Recent Events");
        JsonNode entries = log.path("entries");
        for (int i = Math.max(0, entries.size() - RECENT); i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = e.path("at").asText();
            out.add("├─ " + (at.length() >= 19 ? at.substring(11, 19) : at) + " - " + e.path("message").asText());
        }
        return out;
    }

    /**
     * "  ETA 12:04:31 (1 min 20 s left)", from the state's estimate, or what it waits for when that is a person (the
     * monitor's wording); empty when there is neither or the run ended.
     */
    private static String eta(JsonNode state, Instant now) {
        JsonNode end = state.path("eta").path("estimated_end");
        if (state.hasNonNull("end_time")) {
            return "";
        }
        if (state.path("eta").hasNonNull("waiting")) {
            return "  " + state.path("eta").path("waiting").asText();
        }
        if (end.isMissingNode() || end.isNull()) {
            return "";
        }
        Instant at = Instant.parse(end.asText());
        long left = Math.max(0, Duration.between(now, at).toSeconds());
        String clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault()).format(at);
        return "  ETA " + clock + " (" + (left >= 60 ? left / 60 + " min " + left % 60 + " s" : left + " s") + " left)";
    }
}
