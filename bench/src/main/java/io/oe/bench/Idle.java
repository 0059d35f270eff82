package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a stack uses while nothing runs, in consecutive windows after the warm-up. The first window is a stack right
 * after work: the JIT still compiles what the warm-up made hot (in the standalone process that was 44 % of an idle
 * profile 2 minutes after its start). The last is a stack at rest, the figure the idle target is about: on 2 cores the
 * standalone stack fell from 0.08 core in its first minute to 0.03 within four.
 *
 * @param windows CPU seconds of each process in each window, in order
 */
record Idle(int windowSeconds, List<Map<String, Double>> windows) {

    /** Sits idle for {@code count} windows of {@code windowSeconds}, saying each window's figure as it ends. */
    static Idle measure(LocalStack stack, String label, int windowSeconds, int count) throws InterruptedException {
        List<Map<String, Double>> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Double> before = Machine.cpuSeconds(stack);
            Thread.sleep(windowSeconds * 1000L);
            windows.add(Machine.used(before, Machine.cpuSeconds(stack)));
            Progress.say("%s idle, window %d of %d: %.3f cores %s", label, i + 1, count, cores(windows.get(i), windowSeconds),
                    windows.get(i));
        }
        return new Idle(windowSeconds, List.copyOf(windows));
    }

    private static double cores(Map<String, Double> window, int seconds) {
        return Machine.total(window) / Math.max(1, seconds);
    }

    List<Double> coresByWindow() {
        return windows.stream().map(w -> cores(w, windowSeconds)).toList();
    }

    /** The first window: right after the warm-up. */
    double afterWork() {
        return windows.isEmpty() ? Double.NaN : cores(windows.get(0), windowSeconds);
    }

    /** The last window: the stack at rest. */
    double settled() {
        return windows.isEmpty() ? Double.NaN : cores(windows.get(windows.size() - 1), windowSeconds);
    }

    Map<String, Double> settledByProcess() {
        return windows.isEmpty() ? Map.of() : windows.get(windows.size() - 1);
    }

    /** "0.081, 0.052, 0.036, 0.031" */
    String series() {
        return coresByWindow().stream().map(c -> String.format(Locale.ROOT, "%.3f", c)).collect(Collectors.joining(", "));
    }
}
