package io.oe.core.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where handed-over artifacts live. The default is a directory in the project ({@link LocalArtifactStore}); a shared
 * volume is the same class on a mounted path, and an S3-compatible store would implement these methods with object
 * keys {@code sha256/<hex>} (see docs/contracts.md). Agent files are read only through a {@link ConfinedDirectory}.
 * Services get a store from {@link #of}, the one place that chooses the implementation.
 */
public interface ArtifactStore {
    /**
     * A project's store, for reading what it holds (a phase's inputs, a download, a check before reuse): no limit,
     * since what it holds was taken in within the limits.
     *
     * @param trustedRoot the engine's project root, from its configuration: the project must be inside it
     */
    static ArtifactStore of(Path trustedRoot, Path projectDir) {
        return of(trustedRoot, projectDir, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * A project's store that takes artifacts in ({@link #stage}) within these limits.
     *
     * @param maxBytes   the largest file, or directory in all, that is taken in
     * @param maxEntries the most files and directories one directory artifact may hold
     */
    static ArtifactStore of(Path trustedRoot, Path projectDir, long maxBytes, int maxEntries) {
        return new LocalArtifactStore(trustedRoot, projectDir, maxBytes, maxEntries);
    }

    /** A new staging area: artifacts go in one by one, and become visible together at {@link Staging#commit}. */
    Staging stage();

    /**
     * Copies a stored artifact to {@code into/name}, verifying its SHA-256 (and, for a file, reading no more than
     * {@code size} bytes) on the way; no half-written target on failure.
     */
    void copyVerified(String location, String expectedSha256, long size, ConfinedDirectory into, String name)
            throws IOException;

    /**
     * Checks a stored artifact against its recorded SHA-256 (and a file against its size), reading it once: a file's
     * content, a directory artifact's manifest. Before serving it ({@link #writeVerified}), so that an altered or
     * missing artifact is refused with a clear error before the first byte goes out.
     */
    void verify(String location, String expectedSha256, long size) throws IOException;

    /**
     * Writes a stored artifact's bytes (a file's content, a directory artifact's manifest) to {@code out}, taking their
     * SHA-256 on the way: bytes that are not the recorded ones make it throw {@link ArtifactIntegrityException} at the
     * end, so a reader sees a broken transfer, never wrong bytes passed off as the artifact.
     */
    void writeVerified(String location, String expectedSha256, long size, OutputStream out) throws IOException;

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
