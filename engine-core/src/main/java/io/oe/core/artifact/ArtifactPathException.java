package io.oe.core.artifact;

/** A path that would lead outside the place it must stay in. Nothing was read or written. */
public class ArtifactPathException extends IllegalArgumentException {
    public ArtifactPathException(String message) {
        super(message);
    }
}
