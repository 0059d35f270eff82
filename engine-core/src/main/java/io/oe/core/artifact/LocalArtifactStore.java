package io.oe.core.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The default store: a directory, {@code <project>/tee-output/artifacts/}. Each artifact is kept once by content
 * ({@code sha256/<hex>}, immutable, which locations in events point to) and once by name ({@code <name>}, the latest
 * version, for people). Every write goes to a temporary file in the same directory and is renamed into place, so a
 * reader never sees half a file.
 *
 * <p>Everything is reached from a trusted root (the engine's project root) through {@link ConfinedDirectory}: an agent
 * that replaces {@code tee-output}, the store or a blob with a link makes the store refuse, never read or write
 * elsewhere.
 */
public final class LocalArtifactStore implements ArtifactStore {
    public static final String DIRECTORY = "tee-output/artifacts";
    /** The most files and directories one directory artifact may hold unless told otherwise. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** A manifest is read whole; an honest one of 10,000 files is about 1.5 MB. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;

    private final Path root;
    private final Path project;
    private final long maxBytes;
    private final int maxEntries;

    /**
     * @param trustedRoot the root the walk starts from (the engine's project root, from its configuration)
     * @param maxBytes    the largest file, or directory in all, that is taken in
     * @param maxEntries  the most files and directories one directory artifact may hold
     */
    public LocalArtifactStore(Path trustedRoot, Path projectDir, long maxBytes, int maxEntries) {
        this.root = trustedRoot.toAbsolutePath().normalize();
        this.project = projectDir.toAbsolutePath().normalize();
        if (!project.startsWith(root)) {
            throw new ArtifactPathException("project " + project + " is outside the trusted root " + root);
        }
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /** A store whose project directory is trusted as it is (tools and tests). */
    public LocalArtifactStore(Path projectDir, long maxBytes) {
        this(projectDir, projectDir, maxBytes, DEFAULT_MAX_ENTRIES);
    }

    @Override
    public Staging stage() {
        return new LocalStaging(this::openStore, maxBytes, maxEntries);
    }

    /** Stores a file or directory whose own directory the caller trusts (tools, tests): staged and committed at once. */
    public StoredArtifact put(String name, Path trustedSource) throws IOException {
        Path source = trustedSource.toAbsolutePath().normalize();
        try (ConfinedDirectory dir = ConfinedDirectory.openRoot(source.getParent()); Staging staging = stage()) {
            staging.add(name, dir, source.getFileName().toString());
            return staging.commit().get(0);
        }
    }

    /** Whether a location names a directory artifact (its manifest) rather than a file. */
    public static boolean isDirectory(String location) {
        return location.startsWith(DIRECTORY + "/trees/");
    }

    @Override
    public void copyVerified(String location, String expectedSha256, long size, ConfinedDirectory into, String name)
            throws IOException {
        Paths2.checkName(name);
        if (location == null || !location.startsWith(DIRECTORY + "/")) {
            throw new ArtifactPathException("location '" + Paths2.printable(location) + "' is not in the artifact store ("
                    + DIRECTORY + ")");
        }
        List<String> parts = Paths2.components(location, DIRECTORY);
        String file = parts.get(parts.size() - 1);
        try (ConfinedDirectory project = openProject();
                ConfinedDirectory dir = project.open(String.join("/", parts.subList(0, parts.size() - 1)))) {
            if (isDirectory(location)) {
                byte[] json = readAll(dir, file, MAX_MANIFEST_BYTES);
                check(location, expectedSha256, HashingCopy.sha256(json));
                try (ConfinedDirectory blobs = project.open(DIRECTORY + "/sha256")) {
                    materialize(DirectoryManifest.parse(json), blobs, UnaryOperator.identity(), into, name, location);
                }
            } else {
                copyInto(dir, file, size, expectedSha256, into, name, location);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("artifact " + location + " is missing from the store (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void verify(String location, String expectedSha256, long size) throws IOException {
        writeVerified(location, expectedSha256, size, OutputStream.nullOutputStream());
    }

    @Override
    public void writeVerified(String location, String expectedSha256, long size, OutputStream out) throws IOException {
        if (location == null || !location.startsWith(DIRECTORY + "/")) {
            throw new ArtifactPathException("location '" + Paths2.printable(location) + "' is not in the artifact store ("
                    + DIRECTORY + ")");
        }
        List<String> parts = Paths2.components(location, DIRECTORY);
        long limit = isDirectory(location) ? MAX_MANIFEST_BYTES : size;
        try (ConfinedDirectory project = openProject();
                ConfinedDirectory dir = project.open(String.join("/", parts.subList(0, parts.size() - 1)));
                SeekableByteChannel in = dir.openFile(parts.get(parts.size() - 1))) {
            HashingCopy.Result r = HashingCopy.copy(in, Channels.newChannel(out), limit);
            check(location, expectedSha256, r.overLimit() ? "more than the recorded " + limit + " bytes" : r.sha256());
        } catch (NoSuchFileException e) {
            throw new IOException("artifact " + location + " is missing from the store (" + e.getMessage() + ")", e);
        }
    }

    /** The project directory, reached from the trusted root without following a link. */
    private ConfinedDirectory openProject() throws IOException {
        return ConfinedDirectory.open(root, project);
    }

    /** {@code tee-output/artifacts}, created if missing. */
    private ConfinedDirectory openStore() throws IOException {
        try (ConfinedDirectory p = openProject()) {
            return p.openOrCreate(DIRECTORY);
        }
    }

    /**
     * Builds a directory artifact from its manifest as {@code into/name}: beside its place first, each file checked
     * against its recorded SHA-256, then renamed in, so no one sees half a tree. {@code blobName}: a file's SHA-256 to
     * its name in {@code blobs}.
     */
    static void materialize(DirectoryManifest tree, ConfinedDirectory blobs, UnaryOperator<String> blobName,
            ConfinedDirectory into, String name, String location) throws IOException {
        String tmp = ConfinedDirectory.temporaryName();
        try (ConfinedDirectory top = into.createDirectory(tmp)) {
            for (DirectoryManifest.Entry f : tree.files()) {
                List<String> parts = Paths2.components(f.path(), name);
                try (ConfinedDirectory dir = top.openOrCreate(String.join("/", parts.subList(0, parts.size() - 1)))) {
                    copy(blobs, blobName.apply(f.sha256()), f.size(), f.sha256(), dir, parts.get(parts.size() - 1),
                            location + " (" + f.path() + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            into.delete(tmp);
            throw e;
        }
        into.replace(tmp, into, name);
    }

    /** Copies a file to {@code into/name} through a temporary file, checking its SHA-256 on the way. */
    static void copyInto(ConfinedDirectory from, String file, long size, String sha256, ConfinedDirectory into,
            String name, String location) throws IOException {
        String tmp = ConfinedDirectory.temporaryName();
        try {
            copy(from, file, size, sha256, into, tmp, location);
        } catch (IOException | RuntimeException e) {
            into.delete(tmp);
            throw e;
        }
        into.replace(tmp, into, name);
    }

    /** Copies {@code from/file} to the new file {@code to/name}, reading no more than {@code size} bytes. */
    private static void copy(ConfinedDirectory from, String file, long size, String sha256, ConfinedDirectory to,
            String name, String location) throws IOException {
        try (SeekableByteChannel in = from.openFile(file); SeekableByteChannel out = to.createFile(name)) {
            HashingCopy.Result r = HashingCopy.copy(in, out, size);
            check(location, sha256, r.overLimit() ? "more than the recorded " + size + " bytes" : r.sha256());
        }
    }

    private static byte[] readAll(ConfinedDirectory dir, String file, long limit) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (SeekableByteChannel in = dir.openFile(file)) {
            if (HashingCopy.copy(in, Channels.newChannel(bytes), limit).overLimit()) {
                throw new IOException(dir.path().resolve(file) + " is over " + limit + " bytes: not a manifest");
            }
        }
        return bytes.toByteArray();
    }

    private static void check(String location, String expected, String actual) throws ArtifactIntegrityException {
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ArtifactIntegrityException("checksum mismatch for " + location + ": recorded sha256 " + expected
                    + ", stored bytes have " + actual + " (altered after its handoff)");
        }
    }

    /** SHA-256 of a file the caller trusts, streamed. */
    public static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return HashingCopy.copy(Channels.newChannel(in), Channels.newChannel(OutputStream.nullOutputStream()),
                    Long.MAX_VALUE).sha256();
        }
    }
}
