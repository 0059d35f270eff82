package io.oe.core.artifact;

import java.io.IOException;

/** A stored artifact whose bytes are not the ones recorded: altered or corrupted since it was handed over. */
public class ArtifactIntegrityException extends IOException {
    public ArtifactIntegrityException(String message) {
        super(message);
    }
}
