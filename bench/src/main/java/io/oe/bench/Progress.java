package io.oe.bench;

import java.util.Locale;

/** Progress lines while the run goes, each with the time since it started: a long run shows where its time goes. */
final class Progress {
    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String format, Object... args) {
        long s = (System.nanoTime() - START) / 1_000_000_000L;
        System.out.printf(Locale.ROOT, "[%2d:%02d] %s%n", s / 60, s % 60, String.format(Locale.ROOT, format, args));
    }
}
