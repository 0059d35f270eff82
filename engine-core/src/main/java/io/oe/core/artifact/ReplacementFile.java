package io.oe.core.artifact;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A person's file that replaces a reviewed output ({@code oe review --replace}): named by a path relative to the
 * execution's project directory, and reached like an agent's outputs, from the engine's trusted root without following
 * a link. Refused with an {@link ArtifactPathException} naming the path: an absolute path, {@code ..}, a symbolic link
 * anywhere on the way (into the host or not), anything but a regular file with one name. The plan-loader reads it to
 * check its contract before the command is published; the handoff-service reads it again to validate and store it.
 */
public final class ReplacementFile implements Closeable {
    private final ConfinedDirectory directory;
    private final String name;

    private ReplacementFile(ConfinedDirectory directory, String name) {
        this.directory = directory;
        this.name = name;
    }

    /** Opens the directory that holds {@code relative} (inside {@code projectDir}, itself inside {@code root}). */
    public static ReplacementFile open(Path root, Path projectDir, String relative) throws IOException {
        Path project = projectDir.toAbsolutePath().normalize();
        List<String> names = Paths2.components(relative, "the project directory " + project);
        if (names.isEmpty()) {
            throw new ArtifactPathException("path '" + relative + "' names no file inside the project directory " + project);
        }
        Path parent = project;
        for (String n : names.subList(0, names.size() - 1)) {
            parent = parent.resolve(n);
        }
        ConfinedDirectory dir = ConfinedDirectory.open(root.toAbsolutePath().normalize(), parent);
        ReplacementFile file = new ReplacementFile(dir, names.get(names.size() - 1));
        try {
            ConfinedDirectory.Entry e = dir.entry(file.name);
            if (e.kind() == ConfinedDirectory.Kind.MISSING) {
                throw new NoSuchFileException(relative + " does not exist in the project directory " + project);
            }
            if (e.kind() != ConfinedDirectory.Kind.FILE) {
                throw new ArtifactPathException(relative + " is not a regular file (" + e.kind().name().toLowerCase(
                        Locale.ROOT) + "); a replacement is one file, reached without following a link");
            }
            return file;
        } catch (IOException | RuntimeException ex) {
            file.close();
            throw ex;
        }
    }

    /** The open directory that holds the file, and its name there: what an artifact store stages from. */
    public ConfinedDirectory directory() {
        return directory;
    }

    public String name() {
        return name;
    }

    /** The file's bytes, refused over {@code maxBytes}. */
    public byte[] read(long maxBytes) throws IOException {
        try (SeekableByteChannel in = directory.openFile(name)) {
            if (in.size() > maxBytes) {
                throw new ArtifactLimitException(name + " is " + in.size() + " bytes, over the limit of " + maxBytes);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) in.size());
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            while (in.read(buffer) > 0) {
                total += buffer.position();
                if (total > maxBytes) {
                    throw new ArtifactLimitException(name + " grew over the limit of " + maxBytes + " bytes while read");
                }
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
