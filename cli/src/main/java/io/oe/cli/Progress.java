package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.scheduler.ExecutionStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Polls the monitor's state of an execution until it ends, printing a line whenever a phase changes status. */
public final class Progress {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Progress() {
    }

    /** Returns the last state seen; it has a terminal status unless the timeout ran out (then throws). */
    public static JsonNode await(Api api, String executionId, Duration timeout, PrintStream out) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> seen = new HashMap<>();
        String lastExec = null;
        JsonNode state = null;
        while (true) {
            Api.Response r = api.state(executionId);
            if (r.status() == 200 && r.json() != null) {
                state = r.json();
                String exec = state.path("status").asText("?");
                if (out != null) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = state.path("phases").fields(); it.hasNext(); ) {
                        var e = it.next();
                        String st = e.getValue().path("status").asText("?");
                        if (!st.equals(seen.put(e.getKey(), st)) && !st.equals("pending")) {
                            String note = StatusFormatter.note(e.getValue());
                            out.printf("  %s phase %-3s %-28s %s%s%n", LocalTime.now().format(HMS), e.getKey(),
                                    e.getValue().path("name").asText(""), st, note.isEmpty() ? "" : " (" + note + ")");
                        }
                    }
                    if (!exec.equals(lastExec)) {
                        out.printf("  %s execution %s%n", LocalTime.now().format(HMS), exec);
                    }
                }
                lastExec = exec;
                if (ExecutionStatus.isTerminal(exec)) {
                    return state;
                }
                if ("waiting_for_intervention".equals(exec)) {
                    if (out != null) {
                        out.println("  execution waits for a person: `oe retry --execution-id " + executionId
                                + " --phase N` or `oe skip …` (see `oe status`)");
                    }
                    return state;
                }
            } else if (r.status() != 404) {
                throw new CliException(Api.errorOf("monitor-service GET state", r));
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("timed out after " + timeout.toSeconds() + " s waiting for execution "
                        + executionId + " (last status: " + (lastExec == null ? "unknown" : lastExec) + ")");
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }
}
