package io.oe.core.scheduler;

import io.oe.core.api.TooLarge;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A person's words for the next attempts of a phase ({@code oe rerun --feedback}): who gave them, when, and what. The
 * agent reads them in its prompt, with its previous outputs.
 */
public record Feedback(String actor, long at, String text) {
    /**
     * The most a feedback may hold, in UTF-8 bytes: a page or two of review notes. It travels in a command and in every
     * phase-ready of the phase until the next rerun, so it is kept well below an event's limit.
     */
    public static final int MAX_BYTES = 16 * 1024;

    /** Why {@code text} may not be feedback (too large), or empty. */
    public static Optional<String> tooLarge(String text) {
        int bytes = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= MAX_BYTES ? Optional.empty() : Optional.of(TooLarge.sentence("the feedback", bytes, MAX_BYTES));
    }

    /** The feedback a command carries: none when it has no text. */
    static Feedback of(String actor, long at, String text) {
        return text == null || text.isBlank() ? null : new Feedback(actor, at, text.strip());
    }
}
