package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void secondsAndHttpDatesAreHonoured() {
        assertThat(RetryAfter.of(Optional.of("3"), NOW)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.of(Optional.of("Mon, 30 Nov 2026 12:00:05 GMT"), NOW)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void noneOrGarbageMeansTheDefaultAndEveryWaitStaysWithinBounds() {
        assertThat(RetryAfter.of(Optional.empty(), NOW)).isEqualTo(RetryAfter.DEFAULT);
        assertThat(RetryAfter.of(Optional.of("soon"), NOW)).isEqualTo(RetryAfter.DEFAULT);
        assertThat(RetryAfter.of(Optional.of("0"), NOW)).isEqualTo(RetryAfter.MIN);
        assertThat(RetryAfter.of(Optional.of("86400"), NOW)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.of(Optional.of("99999999999999999999"), NOW)).isEqualTo(RetryAfter.MAX);
        assertThat(RetryAfter.of(Optional.of("Mon, 30 Nov 2026 11:00:00 GMT"), NOW)).isEqualTo(RetryAfter.MIN);
    }
}
