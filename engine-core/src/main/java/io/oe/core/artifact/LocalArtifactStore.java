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
            throw new IOException("artifact " + name + " is " + size + " bytes, over the limit of " + maxBytes);
        }
        Path blobs = Files.createDirectories(root.resolve("sha256"));
        Path tmp = Files.createTempFile(blobs, ".incoming-", ".tmp");
        String sha;
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
                DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha256())) {
            in.transferTo(out);
            out.flush();
            sha = HexFormat.of().formatHex(out.getMessageDigest().digest());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path blob = blobs.resolve(sha);
        if (Files.exists(blob)) {
            Files.delete(tmp); // same content already stored: content addressing makes the write idempotent
        } else {
            move(tmp, blob);
        }
        Path named = root.resolve(name);
        Path tmpNamed = Files.createTempFile(root, ".incoming-", ".tmp");
        Files.copy(blob, tmpNamed, StandardCopyOption.REPLACE_EXISTING);
        move(tmpNamed, named);
        return new StoredArtifact(name, projectDir.relativize(blob).toString(), sha, size);
    }

    @Override
    public void copyVerified(String location, String expectedSha256, Path target) throws IOException {
        Path source = Paths2.confine(projectDir, location);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("artifact " + location + " is missing from the store");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".incoming-", ".tmp");
        String actual;
        try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
                DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha256())) {
            in.transferTo(out);
            actual = HexFormat.of().formatHex(out.getMessageDigest().digest());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            Files.deleteIfExists(tmp);
            throw new ArtifactIntegrityException("checksum mismatch for " + location + ": recorded sha256 " + expectedSha256
                    + ", stored bytes have " + actual + " (altered after its handoff)");
        }
        move(tmp, target);
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
