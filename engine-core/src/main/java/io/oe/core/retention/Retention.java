package io.oe.core.retention;

import io.oe.core.scheduler.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a finished execution is kept before it is archived and pruned (docs/architecture.md, "Data that ages out"),
 * and the one rule of who is due. Which statuses are finished is {@link ExecutionStatus}'s to say, never spelled here.
 *
 * <p>A retention is at least {@link #SHORTEST} and at most {@link #LONGEST}: zero or a negative value would prune what
 * just ended (or everything), and more than ten years is a unit mixed up rather than a wish; both are refused at start
 * with the setting's name, its value and what is allowed.
 */
public record Retention(Duration kept) {
    public static final Duration DEFAULT = Duration.ofDays(30);
    /** Short enough for a test run, long enough that nothing is pruned while its end is still being written. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);
    public static final Duration LONGEST = Duration.ofDays(3650);

    private static final Pattern AMOUNT = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)?");

    public Retention {
        if (kept == null) {
            throw new IllegalArgumentException("a retention is required");
        }
        if (kept.compareTo(SHORTEST) < 0 || kept.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a retention of " + kept + " is not allowed: it must be between "
                    + SHORTEST.toSeconds() + " s and " + LONGEST.toDays() + " days");
        }
    }

    /**
     * The setting {@code name} as written: a number of days ({@code 30}), a number with a unit ({@code 30d}, {@code 12h},
     * {@code 15m}, {@code 90s}, {@code 1500ms}) or an ISO-8601 duration ({@code P30D}, {@code PT2H}). Anything else,
     * and any value out of range, is an error naming the setting and its value.
     */
    public static Retention parse(String name, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            d = duration(t);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " = '" + text + "' is not a retention: write days (30), a number with "
                    + "a unit (30d, 12h, 15m, 90s, 1500ms) or an ISO-8601 duration (P30D)");
        }
        try {
            return new Retention(d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " = '" + text + "': " + e.getMessage());
        }
    }

    private static Duration duration(String t) {
        if (t.startsWith("p") || t.startsWith("-p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        Matcher m = AMOUNT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(t);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "d" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** When an execution in {@code status} that ended at {@code endedAt} is due; empty while it is not finished. */
    public Optional<Instant> dueAt(String status, Instant endedAt) {
        if (!ExecutionStatus.isTerminal(status) || endedAt == null) {
            return Optional.empty();
        }
        return Optional.of(endedAt.plus(kept));
    }

    /** Whether it is due at {@code now}: finished, and ended at least the retention ago. */
    public boolean isDue(String status, Instant endedAt, Instant now) {
        return dueAt(status, endedAt).map(due -> !now.isBefore(due)).orElse(false);
    }
}
