package io.oe.monitor;

import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.AttemptRecord;
import io.oe.events.PhaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A phase's attempts as people read them, written once for the engine state, the report, {@code oe status} and
 * {@code oe execute --wait}: "2 attempts: #1 failed after 3.1 s (exited with code 1), #2 completed in 2.0 s". A phase
 * that completed reads as completed: an earlier attempt's failure is one of its attempts, never its note.
 */
final class Attempts {
    /** A failure's cause is cut to this many characters in a summary (the error itself is in attempt_history). */
    static final int CAUSE_CHARS = 80;

    private Attempts() {
    }

    /** Every attempt in one line; null before the first dispatch. */
    static String summary(PhaseState p) {
        List<AttemptRecord> history = p.getAttemptHistory();
        if (history.isEmpty()) {
            return null;
        }
        return history.size() + (history.size() == 1 ? " attempt: " : " attempts: ")
                + history.stream().map(a -> line(a, p.getAgent())).collect(Collectors.joining(", "));
    }

    /** "#1 failed after 3.1 s (exited with code 1)", "#2 completed in 2.0 s", "#3 running". */
    static String line(AttemptRecord a, String agent) {
        String n = "#" + a.getNumber() + " ";
        Optional<String> took = duration(a).map(Attempts::seconds);
        if (a.getOutcome() == null) {
            return n + (a.getStartedAt() != null ? "running" : "dispatched");
        }
        PhaseStatus outcome = PhaseStatus.parse(a.getOutcome()); // the status the attempt ended its phase in
        return switch (outcome) {
            case COMPLETED -> n + outcome.json() + took.map(t -> " in " + t).orElse("");
            case FAILED -> n + outcome.json() + took.map(t -> " after " + t).orElse("") + cause(a.getError(), agent);
            default -> n + outcome.json() + took.map(t -> " after " + t).orElse("");
        };
    }

    /**
     * What to show beside a phase's status: why it is where it is (its last transition's reason: skipped because,
     * waiting for, retrying at, failed with), else, once it was tried more than once, its attempts. Null when there is
     * nothing to add (a phase that completed at its first attempt).
     */
    static String note(PhaseState p) {
        if (p.getReason() != null && !p.getReason().isBlank()) {
            return p.getReason().lines().findFirst().orElse("");
        }
        return p.getAttemptHistory().size() > 1 ? summary(p) : null;
    }

    /** When the phase first started (its first attempt that started), whatever attempts came after. */
    static Instant firstStartedAt(PhaseState p) {
        return p.getAttemptHistory().stream().map(AttemptRecord::getStartedAt).filter(Objects::nonNull).findFirst()
                .orElse(p.getStartedAt());
    }

    /** From the first start to the completion: every attempt and the waits between them. */
    static Optional<Duration> elapsed(PhaseState p) {
        Instant first = firstStartedAt(p);
        return first != null && p.getCompletedAt() != null ? Optional.of(Duration.between(first, p.getCompletedAt()))
                : Optional.empty();
    }

    /** From the attempt's start (its dispatch, if it never started) to its end; empty while it runs. */
    static Optional<Duration> duration(AttemptRecord a) {
        Instant from = a.getStartedAt() != null ? a.getStartedAt() : a.getReadyAt();
        return from != null && a.getEndedAt() != null ? Optional.of(Duration.between(from, a.getEndedAt())) : Optional.empty();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * The error's first line, without the handoff-service's "agent @x failed: " (the phase's row names its agent), cut
     * to {@link #CAUSE_CHARS}.
     */
    private static String cause(String error, String agent) {
        if (error == null || error.isBlank()) {
            return "";
        }
        String first = error.lines().findFirst().orElse("").strip();
        String prefix = "agent " + agent + " failed: ";
        if (first.startsWith(prefix) && first.length() > prefix.length()) {
            first = first.substring(prefix.length());
        }
        if (first.length() > CAUSE_CHARS) {
            first = first.substring(0, CAUSE_CHARS - 1) + "…";
        }
        return " (" + first + ")";
    }
}
