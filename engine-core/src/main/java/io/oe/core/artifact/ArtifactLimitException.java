package io.oe.core.artifact;

/** An artifact over a configured limit (size, number of files). It was not read whole, and nothing was stored. */
public class ArtifactLimitException extends IllegalArgumentException {
    public ArtifactLimitException(String message) {
        super(message);
    }
}
