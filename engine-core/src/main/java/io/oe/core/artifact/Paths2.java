package io.oe.core.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for names and relative paths that come from a plan, an event or an agent's directory, by their text alone.
 * {@link ConfinedDirectory} applies them on the file system; {@link #confine} is for callers that need a {@link Path}
 * and write only their own files (the monitor's state files).
 */
public final class Paths2 {
    private Paths2() {
    }

    /**
     * {@code root/relative}, refused unless it stays inside {@code root}: no absolute path, no {@code ..}, no NUL or
     * control character, and no symbolic link on the way that leads outside (resolved now: a later swap is not seen,
     * which is why agent files go through {@link ConfinedDirectory}).
     */
    public static Path confine(Path root, String relative) {
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(String.join("/", components(relative, base)));
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

    /**
     * A plain file name, as the engine accepts it for an artifact, an entry of a directory artifact or an execution:
     * one path component, no backslash, no NUL or other control character (they would garble manifests and messages).
     */
    public static String checkName(String name) {
        if (!isComponent(name) || name.contains("\\") || name.chars().anyMatch(Character::isISOControl)) {
            throw new ArtifactPathException("name '" + printable(name) + "' must be a plain file name (no '/', '\\', "
                    + "control characters, '.' or '..')");
        }
        return name;
    }

    /** One component of a path, whatever its characters: what an open relative to a directory needs to stay in it. */
    static boolean isComponent(String name) {
        return name != null && !name.isEmpty() && !name.contains("/") && name.indexOf('\0') < 0 && !name.equals(".")
                && !name.equals("..");
    }

    /**
     * The names a relative path is made of, each a plain name ({@link #checkName}); refused: an absolute path, an
     * empty one, {@code ..} anywhere. {@code inside} only says where the path must stay, for the message.
     */
    public static List<String> components(String relative, Object inside) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            throw new ArtifactPathException("path '" + printable(relative) + "' must be a relative path inside " + inside);
        }
        List<String> names = new ArrayList<>();
        for (String name : relative.split("/")) {
            if (name.equals("..")) {
                throw new ArtifactPathException("path '" + printable(relative) + "' leads outside " + inside);
            }
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(checkName(name));
            }
        }
        return names;
    }

    static String printable(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
