package io.oe.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The default store: a directory, {@code <project>/tee-output/artifacts/}. Each artifact is kept once by content
 * ({@code sha256/<hex>}, immutable, which locations in events point to) and once by name ({@code <name>}, the latest
 * version, for people). Every write goes to a temporary file in the same directory and is renamed into place, so a
 * reader never sees half a file.
 */
public final class LocalArtifactStore implements ArtifactStore {
    public static final String DIRECTORY = "tee-output/artifacts";

    private final Path projectDir;
    private final Path root;
    private final long maxBytes;

    public LocalArtifactStore(Path projectDir, long maxBytes) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.root = Paths2.confine(this.projectDir, DIRECTORY);
        this.maxBytes = maxBytes;
    }

    @Override
    public StoredArtifact put(String name, Path source) throws IOException {
        Paths2.checkName(name);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactPathException("artifact " + name + ": " + source + " is not a regular file");
        }
        long size = Files.size(source);
        if (size > maxBytes) {
            throw new ArtifactLimitException("artifact " + name + " is " + size + " bytes, over the limit of " + maxBytes);
        }
        Path blob = storeBlob(source);
        Path named = root.resolve(name);
        Path tmpNamed = Files.createTempFile(root, ".incoming-", ".tmp");
        Files.copy(blob, tmpNamed, StandardCopyOption.REPLACE_EXISTING);
        replaceWith(tmpNamed, named);
        return new StoredArtifact(name, projectDir.relativize(blob).toString(), blob.getFileName().toString(), size);
    }

    /**
     * Stores a directory: each file as a blob, and the tree's manifest under {@code trees/<sha256>.json}, whose
     * SHA-256 is the artifact's checksum; a readable copy goes to {@code <name>/}. Refused, with nothing stored: links,
     * special files, more than {@code maxFiles} files or more than the size limit in all.
     */
    public StoredArtifact putDirectory(String name, Path source, int maxFiles) throws IOException {
        Paths2.checkName(name);
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArtifactPathException("artifact " + name + ": " + source + " is not a directory");
        }
        DirectoryManifest manifest = DirectoryManifest.scan(name, source, maxBytes, maxFiles);
        for (DirectoryManifest.Entry e : manifest.files()) {
            Path blob = storeBlob(source.resolve(e.path()));
            if (!blob.getFileName().toString().equals(e.sha256())) {
                throw new ArtifactIntegrityException("artifact " + name + "/" + e.path() + " changed while it was stored");
            }
        }
        byte[] json = manifest.toJson();
        String sha = HexFormat.of().formatHex(sha256().digest(json));
        Path trees = Files.createDirectories(root.resolve("trees"));
        Path tree = trees.resolve(sha + ".json");
        if (!Files.exists(tree)) {
            Path tmp = Files.createTempFile(trees, ".incoming-", ".tmp");
            Files.write(tmp, json);
            move(tmp, tree);
        }
        Path copy = Files.createTempDirectory(root, ".incoming-");
        materialize(manifest, copy);
        replaceWith(copy, root.resolve(name));
        return new StoredArtifact(name, projectDir.relativize(tree).toString(), sha, manifest.totalBytes());
    }

    /** Whether a location names a directory artifact (its manifest) rather than a file. */
    public static boolean isDirectory(String location) {
        return location.startsWith(DIRECTORY + "/trees/");
    }

    @Override
    public void copyVerified(String location, String expectedSha256, Path target) throws IOException {
        Path source = Paths2.confine(projectDir, location);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("artifact " + location + " is missing from the store");
        }
        Files.createDirectories(target.getParent());
        if (isDirectory(location)) {
            byte[] json = Files.readAllBytes(source);
            check(location, expectedSha256, HexFormat.of().formatHex(sha256().digest(json)));
            Path tmp = Files.createTempDirectory(target.getParent(), ".incoming-");
            try {
                materialize(DirectoryManifest.parse(json), tmp);
            } catch (IOException | RuntimeException e) {
                deleteTree(tmp);
                throw e;
            }
            replaceWith(tmp, target);
            return;
        }
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        String actual;
        try {
            actual = copyHashing(source, tmp);
            check(location, expectedSha256, actual);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        move(tmp, target);
    }

    /** Writes the manifest's files from their blobs into {@code dir}, each checked against its recorded SHA-256. */
    private void materialize(DirectoryManifest manifest, Path dir) throws IOException {
        for (DirectoryManifest.Entry e : manifest.files()) {
            Path blob = root.resolve("sha256").resolve(e.sha256());
            Path target = Paths2.confine(dir, e.path());
            Files.createDirectories(target.getParent());
            check(projectDir.relativize(blob) + " (" + e.path() + ")", e.sha256(), copyHashing(blob, target));
        }
    }

    private static void check(String location, String expected, String actual) throws ArtifactIntegrityException {
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ArtifactIntegrityException("checksum mismatch for " + location + ": recorded sha256 " + expected
                    + ", stored bytes have " + actual + " (altered after its handoff)");
        }
    }

    /** Stores a file under {@code sha256/<hex>} (once: content addressing makes it idempotent) and returns that path. */
    private Path storeBlob(Path source) throws IOException {
        Path blobs = Files.createDirectories(root.resolve("sha256"));
        Path tmp = Files.createTempFile(blobs, ".incoming-", ".tmp");
        String sha;
        try {
            sha = copyHashing(source, tmp);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path blob = blobs.resolve(sha);
        if (Files.exists(blob)) {
            Files.delete(tmp);
        } else {
            move(tmp, blob);
        }
        return blob;
    }

    private static String copyHashing(Path source, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
                DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha256())) {
            in.transferTo(out);
            out.flush();
            return HexFormat.of().formatHex(out.getMessageDigest().digest());
        }
    }

    /** Puts {@code fresh} (a file or a directory) in the place of {@code target}, whatever was there. */
    private static void replaceWith(Path fresh, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(fresh, LinkOption.NOFOLLOW_LINKS)) {
            Path old = target.resolveSibling(".old-" + target.getFileName() + "-" + System.nanoTime());
            boolean had = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            if (had) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            if (had) {
                deleteTree(old);
            }
        } else {
            move(fresh, target);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** SHA-256 of a file, streamed. */
    public static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
                DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha256())) {
            in.transferTo(out);
            return HexFormat.of().formatHex(out.getMessageDigest().digest());
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
