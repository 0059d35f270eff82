package io.oe.core.scheduler;

import io.oe.core.plan.Phase;
import java.util.Optional;

/**
 * A person's decision on a phase that waits for review: approve its outputs, reject them (the phase reruns with the
 * feedback), or replace one output with an edited file ({@code path}, relative to the project directory) that must
 * pass the same contract. The scheduler applies it; the plan-loader checks it with {@link #refusal} before publishing,
 * so both refuse the same things in the same words.
 */
public record Review(Decision decision, String output, String path) {
    public enum Decision { APPROVE, REJECT, REPLACE }

    public static Review approve() {
        return new Review(Decision.APPROVE, null, null);
    }

    public static Review reject() {
        return new Review(Decision.REJECT, null, null);
    }

    public static Review replace(String output, String path) {
        return new Review(Decision.REPLACE, output, path);
    }

    /**
     * Why this review may not apply to {@code phase} (whose status {@link CommandGuard} has checked), or empty: a
     * rejection needs feedback within {@link Feedback#MAX_BYTES}, a replacement an output the phase declares.
     */
    public static Optional<String> refusal(Review review, Phase phase, String feedback) {
        if (review == null || review.decision() == null) {
            return Optional.of("REVIEW refused: it needs a decision (approve, reject or replace)");
        }
        if (review.decision() != Decision.REJECT && feedback != null && !feedback.isBlank()) {
            return Optional.of("REVIEW refused: only a rejection takes feedback");
        }
        switch (review.decision()) {
            case REJECT -> {
                if (feedback == null || feedback.isBlank()) {
                    return Optional.of("REVIEW refused: a rejection needs feedback, the agent's next attempt reads it");
                }
                return Feedback.tooLarge(feedback).map(why -> "REVIEW refused: " + why);
            }
            case REPLACE -> {
                if (review.output() == null || review.output().isBlank() || review.path() == null
                        || review.path().isBlank()) {
                    return Optional.of("REVIEW refused: a replacement needs an output name and a file");
                }
                if (phase.outputs().stream().noneMatch(o -> o.artifact().equals(review.output()))) {
                    return Optional.of("REVIEW refused: " + phase.label() + " declares no output " + review.output()
                            + " (it declares " + String.join(", ", phase.outputs().stream()
                            .map(o -> o.artifact()).toList()) + ")");
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
