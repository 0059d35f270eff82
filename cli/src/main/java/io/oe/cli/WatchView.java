package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's "Execution Progress" view as text: a bar per tier, the current phases with their tasks, recent events.
 * Pure: state and log in, lines out.
 */
final class WatchView {
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
                + state.path("status").asText().toUpperCase() + elapsed);
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
            StringBuilder tasks = new StringBuilder();
            int done = 0;
            int total = 0;
            for (var it = state.path("tasks").fields(); it.hasNext();) {
                var e = it.next();
                if (e.getValue().path("phase_id").asInt() == id.asInt()) {
                    total++;
                    if ("completed".equals(e.getValue().path("status").asText())) {
                        done++;
                    } else if ("in_progress".equals(e.getValue().path("status").asText())) {
                        tasks.append(' ').append(e.getKey()).append(' ').append(e.getValue().path("progress").asInt()).append('%');
                    }
                }
            }
            out.add(String.format("├─ Phase %s: %s %s (attempt %d)  %d/%d tasks%s", id.asText(), p.path("agent").asText(),
                    p.path("status").asText(), p.path("attempts").asInt(), done, total, tasks));
        }
        for (var it = state.path("phases").fields(); it.hasNext();) {
            var e = it.next();
            String st = e.getValue().path("status").asText();
            if (st.startsWith("waiting")) {
                any = true;
                out.add("├─ Phase " + e.getKey() + ": " + e.getValue().path("agent").asText() + " " + st + ": "
                        + e.getValue().path("reason").asText("").lines().findFirst().orElse(""));
            }
        }
        if (!any) {
            out.add("├─ (none)");
        }
        out.add("Recent Events");
        JsonNode entries = log.path("entries");
        for (int i = Math.max(0, entries.size() - 6); i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = e.path("at").asText();
            out.add("├─ " + (at.length() >= 19 ? at.substring(11, 19) : at) + " - " + e.path("message").asText());
        }
        return out;
    }
}
