package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(2), 0.1);

    @Test
    void backoffDoublesWithinTheJitterAndIsCapped() {
        assertThat(policy.delayAfter(1, 7).toMillis()).isBetween(27_000L, 33_000L);
        assertThat(policy.delayAfter(2, 7).toMillis()).isBetween(54_000L, 66_000L);
        assertThat(policy.delayAfter(3, 7).toMillis()).isBetween(108_000L, 132_000L);
        assertThat(policy.delayAfter(9, 7).toMillis()).isBetween(108_000L, 132_000L);
    }

    @Test
    void theSameFailureAlwaysGetsTheSameTime() {
        assertThat(policy.nextAttemptAt(2, 1_000, 42)).isEqualTo(policy.nextAttemptAt(2, 1_000, 42));
        assertThat(policy.delayAfter(1, 1)).isNotEqualTo(policy.delayAfter(1, 2));
    }

    @Test
    void retriesRunOutAfterMaxRetries() {
        assertThat(policy.nextAttemptAt(3, 0, 1)).isPresent();
        assertThat(policy.nextAttemptAt(4, 0, 1)).isEmpty();
        assertThat(new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0).nextAttemptAt(1, 0, 1)).isEmpty();
    }

    @Test
    void zeroBackoffRetriesAtOnce() {
        assertThat(new RetryPolicy(2, Duration.ZERO, Duration.ofMinutes(1), 0.1).nextAttemptAt(1, 500, 3)).contains(500L);
    }
}
