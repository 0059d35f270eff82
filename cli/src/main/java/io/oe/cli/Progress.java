package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.progress.WaitingReason;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
        return await(api, executionId, timeout, out, Instant.EPOCH);
    }

    /**
     * The same, taking an end (or a wait for a person) only from a state folded from an event later than
     * {@code after} (a command's time): until the scheduler has acted on a command the state may still say "completed",
     * and the command itself is folded with its own time.
     */
    public static JsonNode await(Api api, String executionId, Duration timeout, PrintStream out, Instant after) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> seen = new HashMap<>();
        String lastExec = null;
        JsonNode state = null;
        while (true) {
            Api.Response r = api.state(executionId);
            if (r.status() == 200 && r.json() != null) {
                state = r.json();
                String exec = state.path("status").asText("?");
                boolean settled = foldedAfter(state, after); // else the command's effect may not be in it yet
                if (out != null) {
                    // a state from before the command is only remembered: what changes from it on is printed
                    for (Iterator<Map.Entry<String, JsonNode>> it = state.path("phases").fields(); it.hasNext(); ) {
                        var e = it.next();
                        String st = e.getValue().path("status").asText("?");
                        boolean pending = PhaseStatus.find(st).orElse(null) == PhaseStatus.PENDING;
                        if (!st.equals(seen.put(e.getKey(), st)) && !pending && settled) {
                            String note = StatusFormatter.note(e.getValue());
                            out.printf("  %s phase %-3s %-28s %s%s%n", LocalTime.now().format(HMS), e.getKey(),
                                    e.getValue().path("name").asText(""), st, note.isEmpty() ? "" : " (" + note + ")");
                        }
                    }
                    if (!exec.equals(lastExec) && settled) {
                        out.printf("  %s execution %s%n", LocalTime.now().format(HMS), exec);
                    }
                }
                lastExec = exec;
                if (settled && ExecutionStatus.isTerminal(exec)) {
                    return state;
                }
                if (settled && ExecutionStatus.find(exec).orElse(null) == ExecutionStatus.WAITING_FOR_INTERVENTION) {
                    if (out != null) {
                        out.println("  execution waits for a person: `oe retry --execution-id " + executionId
                                + " --phase N`, `oe skip …` or `oe rerun …` (see `oe status`)");
                    }
                    return state;
                }
                if (settled && waitsOnlyForPeople(state)) {
                    if (out != null) {
                        out.println("  execution " + state.path("eta").path("waiting").asText(
                                "waiting for a person: a phase waits for approval or review") + " (see `oe status`)");
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

    /**
     * Whether the state shows what happened after {@code after}: an ended one by its end time (a phase's transition
     * may be folded before the execution's own), any other by its last event.
     */
    static boolean foldedAfter(JsonNode state, Instant after) {
        String field = state.hasNonNull("end_time") ? "end_time" : "updated_at";
        if (after.equals(Instant.EPOCH) || !state.hasNonNull(field)) {
            return true;
        }
        // events carry milliseconds: the command's own event is folded with its time cut to them
        return Instant.parse(state.get(field).asText()).isAfter(after.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Follows an execution until it ends or waits for a person, prints how it stands, and returns the exit code its
     * state gives ({@link #exitCode}): what {@code oe wait}, {@code oe execute --wait} and {@code oe rerun --wait} do.
     */
    static int follow(Context ctx, Api api, String executionId, Duration timeout, Instant after) {
        long t0 = System.nanoTime();
        JsonNode state = await(api, executionId, timeout, ctx.json ? null : System.out, after);
        String status = state.path("status").asText();
        if (ctx.json) {
            System.out.println(Json.pretty(state));
        } else {
            System.out.printf("execution %s %s after %.1f s%n", executionId, status, (System.nanoTime() - t0) / 1e9);
        }
        return exitCode(state);
    }

    /** 0 completed, 3 waits for a person (retry, skip, rerun, approve, review), 1 otherwise (cancelled). */
    static int exitCode(JsonNode state) {
        ExecutionStatus status = ExecutionStatus.find(state.path("status").asText()).orElse(null);
        if ((status == null || !status.isTerminal()) && waitsOnlyForPeople(state)) {
            return CliException.WAITING;
        }
        return status == ExecutionStatus.COMPLETED ? 0
                : status == ExecutionStatus.WAITING_FOR_INTERVENTION ? CliException.WAITING : CliException.FAILED;
    }

    /**
     * Nothing can move until a person acts: some phase waits for one (approval, review, intervention) and every other
     * that has not ended waits for a phase ({@code waiting_for.kind} dependency). A running execution whose only open
     * phase waits for a review stays in_progress, so the phases are read, not the execution's status.
     */
    static boolean waitsOnlyForPeople(JsonNode state) {
        boolean person = false;
        for (JsonNode p : state.path("phases")) {
            PhaseStatus s = PhaseStatus.find(p.path("status").asText()).orElse(PhaseStatus.PENDING);
            if (s.waitsForPerson()) {
                person = true;
            } else if (!s.isTerminal()
                    && !WaitingReason.Kind.DEPENDENCY.json().equals(p.path("waiting_for").path("kind").asText())) {
                return false;
            }
        }
        return person;
    }
}
