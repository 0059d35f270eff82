package io.oe.core.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Confinement of untrusted relative paths and names to a root directory. */
public final class Paths2 {
    private Paths2() {
    }

    /**
     * {@code root/relative}, refused unless it stays inside {@code root}: no absolute path, no {@code ..}, no NUL,
     * and no symbolic link on the way that leads outside.
     */
    public static Path confine(Path root, String relative) {
        if (relative == null || relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.startsWith("/")
                || relative.contains("\\")) {
            throw new ArtifactPathException("path '" + printable(relative) + "' must be a relative path inside " + root);
        }
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base) || Path.of(relative).normalize().startsWith("..")) {
            throw new ArtifactPathException("path '" + printable(relative) + "' leads outside " + base);
        }
        try {
            Path realBase = base.toRealPath();
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && !existing.toRealPath().startsWith(realBase)) {
                throw new ArtifactPathException("path '" + printable(relative) + "' leads outside " + base
                        + " through a symbolic link");
            }
        } catch (IOException e) {
            // the root does not exist yet: nothing can lead out of it
        }
        return p;
    }

    /** A plain file name: no directory part, not "." or "..". */
    public static String checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || name.equals(".") || name.equals("..")) {
            throw new ArtifactPathException("artifact name '" + printable(name) + "' must be a plain file name");
        }
        return name;
    }

    static String printable(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
