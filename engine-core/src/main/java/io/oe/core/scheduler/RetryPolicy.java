package io.oe.core.scheduler;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Phase;
import io.oe.core.plan.RetrySettings;
import java.time.Duration;
import java.util.Optional;

/**
 * When to try again: {@code next attempt time = f(failures, policy)}. Exponential backoff from
 * {@code backoff_seconds} (doubling per failure), capped at {@code maxBackoff}, spread by a jitter of ±{@code jitter}
 * that is derived from a seed instead of a random source, so that the same failure always gets the same time (the
 * function stays pure and a replayed changelog agrees with the original run).
 */
public record RetryPolicy(int maxRetries, Duration backoff, Duration maxBackoff, double jitter) {
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);
    public static final double DEFAULT_JITTER = 0.1;

    /** The phase's own retry settings where it has them, the config's otherwise. */
    public static RetryPolicy of(Phase phase, EngineConfig config) {
        RetrySettings base = config.withDefaults().retryPolicy();
        RetrySettings own = phase.retry();
        int max = own != null && own.maxRetries() != null ? own.maxRetries() : base.maxRetries();
        double seconds = own != null && own.backoffSeconds() != null ? own.backoffSeconds() : base.backoffSeconds();
        return new RetryPolicy(max, Duration.ofMillis(Math.round(seconds * 1000)), DEFAULT_MAX_BACKOFF, DEFAULT_JITTER);
    }

    /** The wait before the retry that follows the {@code failures}-th failure (1-based). */
    public Duration delayAfter(int failures, long seed) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be ≥ 1, was " + failures);
        }
        double exponential = backoff.toMillis() * Math.pow(2, Math.min(failures - 1, 30));
        double capped = Math.min(exponential, Math.max(maxBackoff.toMillis(), backoff.toMillis()));
        double spread = 1 + jitter * (2 * unitInterval(seed + failures) - 1);
        return Duration.ofMillis(Math.round(capped * spread));
    }

    /** When to run again after the {@code failures}-th failure at {@code failedAt}; empty when retries ran out. */
    public Optional<Long> nextAttemptAt(int failures, long failedAt, long seed) {
        if (failures > maxRetries) {
            return Optional.empty();
        }
        return Optional.of(failedAt + delayAfter(failures, seed).toMillis());
    }

    /** A stable value in [0, 1) from a seed (SplitMix64 finaliser). */
    static double unitInterval(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
