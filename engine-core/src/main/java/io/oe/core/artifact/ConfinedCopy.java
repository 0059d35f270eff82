package io.oe.core.artifact;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;

/**
 * Copies a regular file from one {@link ConfinedDirectory} to another: opened without following a link (a link, a
 * FIFO, a device or a hard link is refused, naming it), never more than a limit read, written beside its place and
 * renamed in, so a reader never sees half of it and a failed copy leaves nothing.
 */
public final class ConfinedCopy {
    private ConfinedCopy() {
    }

    /** @return the SHA-256 of what was copied */
    public static String copy(ConfinedDirectory from, String name, ConfinedDirectory to, String target, long limit)
            throws IOException {
        String tmp = ConfinedDirectory.temporaryName();
        HashingCopy.Result r;
        try (SeekableByteChannel in = from.openFile(name); SeekableByteChannel out = to.createFile(tmp)) {
            r = HashingCopy.copy(in, out, limit);
        } catch (IOException | RuntimeException e) {
            to.delete(tmp);
            throw e;
        }
        if (r.overLimit()) {
            to.delete(tmp);
            throw new ArtifactLimitException(from.path().resolve(name) + " is over the limit of " + limit + " bytes");
        }
        to.replace(tmp, to, target);
        return r.sha256();
    }
}
