package io.oe.core.artifact;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where handed-over artifacts live. The default is a directory in the project ({@link LocalArtifactStore}); a shared
 * volume is the same class on a mounted path, and an S3-compatible store would implement these two methods with
 * object keys {@code sha256/<hex>} (see docs/contracts.md).
 */
public interface ArtifactStore {
    /** Stores a file under its content address and under its readable name; streams, never loads it whole. */
    StoredArtifact put(String name, Path source) throws IOException;

    /** Copies a stored artifact to {@code target}, verifying its SHA-256 on the way; no half-written target on failure. */
    void copyVerified(String location, String expectedSha256, Path target) throws IOException;
}
