package io.oe.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The class-data archive (AppCDS) of one application jar: the classes a service loaded in an earlier run, kept
 * parsed and verified in a file the JVM maps at start. Measured with bench/run on 2 cores, it takes a quarter of the
 * CPU out of a service's start (class loading is a third of it); the separate stack is ready in 19 s instead of 24.
 *
 * <p>The first run of a jar records it ({@code -XX:ArchiveClassesAtExit}: the JVM writes it when it exits, after
 * every class the run needed was loaded); later runs map it ({@code -XX:SharedArchiveFile}). An archive belongs to
 * one build of the jar, one JDK and one set of JVM options: any change gives another file, so a stale archive is
 * never used (the JVM would refuse it and start without one, but a run would never record a fresh one). A JVM
 * writes the archive's header last, so a run killed while writing leaves a file without the header's magic number,
 * which is thrown away and recorded again.
 */
public final class ClassDataArchive {
    /** The magic number a dynamic archive starts with (HotSpot's CDS_DYNAMIC_ARCHIVE_MAGIC), little-endian. */
    static final int DYNAMIC_MAGIC = 0xf00baba8;

    private final Path file;

    private ClassDataArchive(Path file) {
        this.file = file;
    }

    /**
     * The archive of {@code jar} under {@code dir} (one per jar build, JDK and JVM options); other archives of the same
     * application, from builds before, are deleted.
     */
    public static ClassDataArchive of(Path dir, String application, Path jar, List<String> jvmOptions) {
        String key = key(jar, jvmOptions);
        try {
            Files.createDirectories(dir);
            Pattern mine = Pattern.compile(Pattern.quote(application) + "-[0-9a-f]{16}\\.jsa");
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, p -> mine.matcher(p.getFileName().toString()).matches())) {
                for (Path p : old) {
                    if (!p.getFileName().toString().equals(application + "-" + key + ".jsa")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the class-data archive directory " + dir, e);
        }
        return new ClassDataArchive(dir.resolve(application + "-" + key + ".jsa"));
    }

    /** How a process starts with the archive: the JVM options, and whether this run records it (none complete yet). */
    public record Start(List<String> jvmOptions, boolean records) {
    }

    /** Maps the archive when a run recorded it to the end; else records it (a half-written one is thrown away first). */
    public Start start() {
        if (complete()) {
            return new Start(List.of("-XX:SharedArchiveFile=" + file), false);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            return new Start(List.of(), false); // cannot clear it: run without an archive rather than fail the start
        }
        return new Start(List.of("-XX:ArchiveClassesAtExit=" + file), true);
    }

    /** True when a run recorded the archive to the end (its header, written last, is there). */
    boolean complete() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt() == DYNAMIC_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The jar's build (its path, size and time, and the application model Quarkus writes beside it), the JDK and the
     * JVM options, hashed.
     */
    static String key(Path jar, List<String> jvmOptions) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path abs = jar.toAbsolutePath().normalize();
            StringBuilder b = new StringBuilder(abs.toString());
            for (Path p : List.of(abs, abs.resolveSibling("quarkus/quarkus-application.dat"))) {
                if (Files.exists(p)) {
                    b.append('|').append(Files.size(p)).append('|').append(Files.getLastModifiedTime(p).toMillis());
                }
            }
            b.append('|').append(System.getProperty("java.home")).append('|').append(System.getProperty("java.vm.version"));
            jvmOptions.forEach(o -> b.append('|').append(o));
            return HexFormat.of().formatHex(sha.digest(b.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
