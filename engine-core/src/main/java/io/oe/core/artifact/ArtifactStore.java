package io.oe.core.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where handed-over artifacts live. The default is a directory in the project ({@link LocalArtifactStore}); a shared
 * volume is the same class on a mounted path, and an S3-compatible store would implement these methods with object
 * keys {@code sha256/<hex>} (see docs/contracts.md). Agent files are read only through a {@link ConfinedDirectory}.
 */
public interface ArtifactStore {
    /** A new staging area: artifacts go in one by one, and become visible together at {@link Staging#commit}. */
    Staging stage();

    /**
     * Copies a stored artifact to {@code into/name}, verifying its SHA-256 (and, for a file, reading no more than
     * {@code size} bytes) on the way; no half-written target on failure.
     */
    void copyVerified(String location, String expectedSha256, long size, ConfinedDirectory into, String name)
            throws IOException;

    /**
     * Artifacts on their way into the store. Each is read once from the agent's directory, without following links and
     * within the limits; the caller checks the staged bytes against the contract, then commits all of them, or closes
     * the staging area and nothing is left behind (no blob, no temporary file).
     */
    interface Staging extends Closeable {
        /** Reads {@code from/entry} (a regular file or a directory of them) in, as the artifact {@code name}. */
        Staged add(String name, ConfinedDirectory from, String entry) throws IOException;

        /** Adds bytes the engine made itself (an output converted for a consumer) as the artifact {@code name}. */
        Staged addBytes(String name, byte[] bytes) throws IOException;

        List<StoredArtifact> commit() throws IOException;

        /** Discards whatever is still staged. */
        @Override
        void close() throws IOException;
    }

    /** A staged artifact: its checksum and size, and its bytes (a file) or its manifest (a directory). */
    record Staged(String name, String sha256, long size, FileContent content, DirectoryManifest tree) {
        public boolean isDirectory() {
            return tree != null;
        }
    }
}
