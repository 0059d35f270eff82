package io.oe.gateway;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The progress protocol an agent may print on stdout, one instruction per line:
 * {@code ::task-started ID::}, {@code ::progress task=ID percent=NN::}, {@code ::task-completed ID::}, and
 * {@code ::usage ...::} ({@link UsageLine}: tokens, model, cost; refused with a reason when it breaks a rule).
 * Anything else is ordinary output.
 */
public record ProgressLine(Kind kind, String taskId, Integer percent, UsageLine usage) {
    public enum Kind { TASK_STARTED, TASK_PROGRESS, TASK_COMPLETED, USAGE }

    public ProgressLine(Kind kind, String taskId, Integer percent) {
        this(kind, taskId, percent, null);
    }

    static ProgressLine ofUsage(UsageLine usage) {
        return new ProgressLine(Kind.USAGE, null, null, usage);
    }

    private static final String ID = "([A-Za-z0-9_.-]{1,64})";
    private static final Pattern STARTED = Pattern.compile("^::task-started " + ID + "::$");
    private static final Pattern COMPLETED = Pattern.compile("^::task-completed " + ID + "::$");
    private static final Pattern PROGRESS = Pattern.compile("^::progress task=" + ID + " percent=(\\d{1,3})::$");

    public static Optional<ProgressLine> parse(String line) {
        String s = line.strip();
        Optional<UsageLine> usage = UsageLine.parse(s);
        if (usage.isPresent()) {
            return usage.map(ProgressLine::ofUsage);
        }
        Matcher m = STARTED.matcher(s);
        if (m.matches()) {
            return Optional.of(new ProgressLine(Kind.TASK_STARTED, m.group(1), 0));
        }
        m = COMPLETED.matcher(s);
        if (m.matches()) {
            return Optional.of(new ProgressLine(Kind.TASK_COMPLETED, m.group(1), 100));
        }
        m = PROGRESS.matcher(s);
        if (m.matches()) {
            int pct = Integer.parseInt(m.group(2));
            return pct <= 100 ? Optional.of(new ProgressLine(Kind.TASK_PROGRESS, m.group(1), pct)) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Agent output as safe text: control characters (terminal escapes included) and invalid UTF-8 made visible. */
    public static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t') {
                out.appendCodePoint(c);
            } else if (Character.isISOControl(c) || c == 0xFFFD) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
