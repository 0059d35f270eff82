package io.oe.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** How long a 503 asks the client to wait: its Retry-After in seconds or as an HTTP date, within sane bounds. */
final class RetryAfter {
    /** When the answer does not say. */
    static final Duration DEFAULT = Duration.ofSeconds(2);
    /** Never closer together (a "0" would make the CLI hammer a service that is busy restoring). */
    static final Duration MIN = Duration.ofMillis(200);
    /** Never longer, whatever the answer says: the total patience is the real bound. */
    static final Duration MAX = Duration.ofSeconds(30);

    private RetryAfter() {
    }

    static Duration of(Optional<String> header, Instant now) {
        Duration wait = header.map(String::strip).filter(h -> !h.isEmpty()).map(h -> parse(h, now)).orElse(DEFAULT);
        return wait.compareTo(MIN) < 0 ? MIN : wait.compareTo(MAX) > 0 ? MAX : wait;
    }

    private static Duration parse(String header, Instant now) {
        if (header.chars().allMatch(Character::isDigit)) {
            return header.length() > 6 ? MAX : Duration.ofSeconds(Long.parseLong(header));
        }
        try {
            return Duration.between(now, ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return DEFAULT;
        }
    }
}
