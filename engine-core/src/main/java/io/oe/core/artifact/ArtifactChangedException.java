package io.oe.core.artifact;

/**
 * A file or directory replaced or moved between its check and its open. Refused like any path problem; a reader of a
 * file that is rewritten by renames (the project plan, which the monitor keeps up to date) may simply look again.
 */
public class ArtifactChangedException extends ArtifactPathException {
    public ArtifactChangedException(String message) {
        super(message);
    }
}
