package io.oe.core.artifact;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A directory inside a trusted root, opened without following a symbolic link on the way, and everything the engine
 * does there on an agent's behalf: look, read, write, rename, delete, always by a plain name relative to the open
 * directory ({@link SecureDirectoryStream}: openat, fstatat, renameat, unlinkat with no-follow). An agent that swaps a
 * directory or a file for a link between a check and an open gains nothing, because the open itself refuses links;
 * what was opened is compared with what was checked (same file), and its real path with the root's as a second line.
 *
 * <p>Refused, with an {@link ArtifactPathException} naming the path and what is wrong: symbolic links, FIFOs, sockets
 * and devices, files with more than one name (a hard link may be a second name of a file outside), names that are not
 * a single path component. Every open of an existing name happens on a helper thread with a deadline, so that
 * a FIFO swapped in after its check, whose open would wait for a writer forever, costs a thread, not the service.
 *
 * <p>Java has no mkdirat: a missing directory is created by path, once the path was seen to lead to this very
 * directory, and then opened without following links like any other.
 */
public final class ConfinedDirectory implements Closeable {
    /** The deepest a walk goes (every level holds a descriptor while the levels below are read). */
    public static final int MAX_DEPTH = 64;
    static final Duration OPEN_DEADLINE = Duration.ofSeconds(10);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final ExecutorService OPENER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "confined-open");
        t.setDaemon(true);
        return t;
    });

    public enum Kind { MISSING, FILE, DIRECTORY, LINK, SPECIAL }

    /** What is at a name, seen without following it. {@code links}: how many names the file has (files only). */
    public record Entry(Path path, Kind kind, long size, long links, FileTime modified, Object fileKey) {
    }

    private final SecureDirectoryStream<Path> stream;
    private final Path path;
    private final Path realRoot;
    /** Set when an open from here missed its deadline: its thread still holds this directory, so it is never closed. */
    private volatile boolean abandoned;

    private ConfinedDirectory(SecureDirectoryStream<Path> stream, Path path, Path realRoot) {
        this.stream = stream;
        this.path = path;
        this.realRoot = realRoot;
    }

    /**
     * Opens the trusted root: a directory from the operator's configuration (links in its own path are followed, it
     * is the starting point). Fails on a platform without {@link SecureDirectoryStream}: the engine does not read or
     * write agent files without no-follow opens.
     */
    public static ConfinedDirectory openRoot(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        DirectoryStream<Path> ds = Files.newDirectoryStream(abs);
        if (!(ds instanceof SecureDirectoryStream<Path> secure)) {
            ds.close();
            throw new UnsupportedOperationException("this platform offers no SecureDirectoryStream (openat without "
                    + "following links), so the engine cannot read or write agent files safely under " + abs);
        }
        return new ConfinedDirectory(secure, abs, abs.toRealPath());
    }

    /** {@code target}, a directory below the trusted {@code root}, reached from the root without following a link. */
    public static ConfinedDirectory open(Path root, Path target) throws IOException {
        try (ConfinedDirectory top = openRoot(root)) {
            return top.open(top.relativeTo(target));
        }
    }

    /** Like {@link #open(Path, Path)}, creating what is missing below the root. */
    public static ConfinedDirectory openOrCreate(Path root, Path target) throws IOException {
        try (ConfinedDirectory top = openRoot(root)) {
            return top.openOrCreate(top.relativeTo(target));
        }
    }

    private String relativeTo(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (!t.startsWith(path)) {
            throw new ArtifactPathException(t + " is outside " + path);
        }
        return path.relativize(t).toString();
    }

    /** Where this directory was opened: for messages, and for the processes the engine starts there. */
    public Path path() {
        return path;
    }

    /** An existing directory below this one ({@code a/b/c}, each step without following a link); "" is this one. */
    public ConfinedDirectory open(String relative) throws IOException {
        return walk(relative, false);
    }

    /** Like {@link #open}, creating what is missing on the way. */
    public ConfinedDirectory openOrCreate(String relative) throws IOException {
        return walk(relative, true);
    }

    private ConfinedDirectory walk(String relative, boolean create) throws IOException {
        List<String> names = relative.isEmpty() ? List.of() : Paths2.components(relative, path); // plain names only
        ConfinedDirectory current = reopen();
        try {
            for (String name : names) {
                ConfinedDirectory next = create && current.entry(name).kind() == Kind.MISSING
                        ? current.createDirectory(name) : current.openDirectory(name);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** A second handle on this directory (openat of "."): its own listing, closed on its own. */
    private ConfinedDirectory reopen() throws IOException {
        return new ConfinedDirectory(stream.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS), path, realRoot);
    }

    /** What is at {@code name}, without following it. */
    public Entry entry(String name) throws IOException {
        Path p = child(name);
        BasicFileAttributes a;
        try {
            a = stream.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return new Entry(p, Kind.MISSING, 0, 0, null, null);
        }
        Kind kind = a.isSymbolicLink() ? Kind.LINK : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE
                : Kind.SPECIAL;
        long links = kind == Kind.FILE ? linksOf(p, a.fileKey()) : 1;
        return new Entry(p, kind, a.size(), links, a.lastModifiedTime(), a.fileKey());
    }

    /**
     * How many names a file has. Java reads this only by path ({@code unix:nlink}); the answer counts only if that
     * path still leads to the file seen through this directory (same file key).
     */
    private static long linksOf(Path p, Object fileKey) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:nlink,fileKey", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw changed(p);
        }
        if (!Objects.equals(a.get("fileKey"), fileKey)) {
            throw changed(p);
        }
        return ((Number) a.get("nlink")).longValue();
    }

    /** The names in this directory, at most {@code limit + 1} of them (so a caller can tell "more than the limit"). */
    public List<String> names(int limit) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> self = stream.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
            for (Path p : self) {
                names.add(p.getFileName().toString());
                if (names.size() > limit) {
                    break;
                }
            }
        }
        return names;
    }

    /** The modification time of this directory itself (of the open directory, not of whatever its path names now). */
    public FileTime modified() throws IOException {
        return stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes().lastModifiedTime();
    }

    /** A directory below this one, refused unless it is one (not a link, not a special file). */
    public ConfinedDirectory openDirectory(String name) throws IOException {
        Entry e = entry(name);
        if (e.kind() == Kind.MISSING) {
            throw new NoSuchFileException(e.path().toString());
        }
        if (e.kind() != Kind.DIRECTORY) {
            throw refusal(e, "a directory");
        }
        SecureDirectoryStream<Path> child;
        try {
            child = withinDeadline(e.path(), () -> stream.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException ex) {
            explain(name, ex, "a directory");
            throw ex;
        }
        var opened = new ConfinedDirectory(child, e.path(), realRoot);
        try {
            Object key = child.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
            if (!Objects.equals(key, e.fileKey())) {
                throw changed(e.path());
            }
            checkRealPath(e.path());
            return opened;
        } catch (IOException | RuntimeException ex) {
            opened.close();
            throw ex;
        }
    }

    /**
     * Opens a regular file with a single name for reading; refused, naming the path: anything else (a link, a FIFO, a
     * socket, a device, a directory, a hard link). A file swapped after its check is refused too: a pipe cannot seek,
     * and another file has another key.
     */
    public SeekableByteChannel openFile(String name) throws IOException {
        Entry e = entry(name);
        if (e.kind() == Kind.MISSING) {
            throw new NoSuchFileException(e.path().toString());
        }
        if (e.kind() != Kind.FILE || e.links() != 1) {
            throw refusal(e, "a regular file");
        }
        SeekableByteChannel channel;
        try {
            channel = withinDeadline(e.path(), () -> stream.newByteChannel(Path.of(name), READ));
        } catch (IOException ex) {
            explain(name, ex, "a regular file");
            throw ex;
        }
        try {
            try {
                channel.position();
            } catch (IOException ex) {
                throw new ArtifactPathException(e.path() + " is not a regular file (it was swapped for a pipe or a "
                        + "device while it was opened); refused");
            }
            if (!Objects.equals(entry(name).fileKey(), e.fileKey())) {
                throw changed(e.path());
            }
            checkRealPath(e.path());
            return channel;
        } catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /** Creates {@code name}, which must not exist (nothing already there is ever opened), for writing and reading. */
    public SeekableByteChannel createFile(String name) throws IOException {
        child(name);
        return stream.newByteChannel(Path.of(name), CREATE);
    }

    /** Writes {@code name} whole: a temporary file beside it, renamed into place (a reader never sees half of it). */
    public void writeFile(String name, byte[] bytes) throws IOException {
        String tmp = temporaryName();
        try (SeekableByteChannel out = createFile(tmp)) {
            var buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
        replace(tmp, this, name);
    }

    /** Creates the directory {@code name} (or takes the one a concurrent caller just made) and opens it. */
    public ConfinedDirectory createDirectory(String name) throws IOException {
        Path target = child(name);
        Object here = stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        Object byPath;
        try {
            byPath = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            byPath = null;
        }
        if (!Objects.equals(here, byPath)) {
            throw new ArtifactPathException(path + " no longer leads to the directory the engine opened (moved or "
                    + "replaced by a link); " + name + " not created");
        }
        try {
            Files.createDirectory(target);
        } catch (FileAlreadyExistsException e) {
            // made by a concurrent caller, or something else: openDirectory decides
        }
        return openDirectory(name);
    }

    /**
     * Moves {@code name} to {@code to/target} (renameat: links are moved, never followed), replacing what is there; a
     * directory in the way is moved aside and removed.
     */
    public void replace(String name, ConfinedDirectory to, String target) throws IOException {
        child(name);
        to.child(target);
        Entry existing = to.entry(target);
        if (existing.kind() == Kind.DIRECTORY || existing.kind() != Kind.MISSING && entry(name).kind() == Kind.DIRECTORY) {
            String aside = temporaryName();
            to.stream.move(Path.of(target), to.stream, Path.of(aside));
            stream.move(Path.of(name), to.stream, Path.of(target));
            to.delete(aside);
            return;
        }
        stream.move(Path.of(name), to.stream, Path.of(target));
    }

    /**
     * Removes {@code name}: a file, link or special file is unlinked (a link never followed), a directory emptied the
     * same way first. Nothing there is fine.
     */
    public void delete(String name) throws IOException {
        delete(name, 0);
    }

    private void delete(String name, int depth) throws IOException {
        Entry e = entry(name);
        if (e.kind() == Kind.MISSING) {
            return;
        }
        if (e.kind() != Kind.DIRECTORY) {
            stream.deleteFile(Path.of(name));
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new ArtifactLimitException(e.path() + " is nested deeper than " + MAX_DEPTH + " levels; left in place");
        }
        try (ConfinedDirectory dir = openDirectory(name)) {
            for (String n : dir.names(Integer.MAX_VALUE - 1)) {
                dir.delete(n, depth + 1);
            }
        }
        stream.deleteDirectory(Path.of(name));
    }

    /** A name for a temporary file or directory that no agent can guess in advance. */
    public static String temporaryName() {
        return ".incoming-" + UUID.randomUUID();
    }

    @Override
    public void close() throws IOException {
        if (!abandoned) {
            stream.close();
        }
    }

    /** {@code path/name}; a name that is not one path component (a '/', "..") is refused before any system call. */
    private Path child(String name) {
        if (!Paths2.isComponent(name)) {
            throw new ArtifactPathException("in " + path + ": name '" + Paths2.printable(name) + "' must be a single "
                    + "path component (no '/', NUL, '.' or '..')");
        }
        return path.resolve(name);
    }

    /** The second line: whatever was opened must really be inside the root. */
    private void checkRealPath(Path p) throws IOException {
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw changed(p);
        }
        if (!real.startsWith(realRoot)) {
            throw new ArtifactPathException(p + " resolves to " + real + ", outside " + realRoot + "; refused");
        }
    }

    /** Why {@code e} is not what was wanted ("a directory", "a regular file"), naming its path. */
    public static ArtifactPathException refusal(Entry e, String wanted) {
        String what = switch (e.kind()) {
            case MISSING -> "does not exist";
            case LINK -> "is a symbolic link (to " + linkTarget(e.path()) + ")";
            case DIRECTORY -> "is a directory";
            case SPECIAL -> "is " + special(e.path());
            case FILE -> e.links() != 1 ? "is a hard link (one of " + e.links() + " names of one file)" : "is a regular file";
        };
        String why = switch (e.kind()) {
            case LINK -> "; nothing is read or written through a link";
            case SPECIAL -> "; only regular files and directories are read";
            case FILE -> e.links() != 1 ? "; another of its names may be outside, so only files with a single name are read" : "";
            default -> "";
        };
        return new ArtifactPathException(e.path() + " " + what + ", not " + wanted + why);
    }

    /** An open that failed after the check said it would work: the name was swapped in between. Always throws. */
    private void explain(String name, IOException failure, String wanted) throws IOException {
        Entry now = failure instanceof ArtifactTimeoutException ? null : entry(name);
        if (now == null || now.kind() == Kind.DIRECTORY && wanted.equals("a directory")
                || now.kind() == Kind.FILE && wanted.equals("a regular file")) {
            throw failure;
        }
        if (now.kind() == Kind.MISSING) {
            throw new NoSuchFileException(now.path().toString());
        }
        throw refusal(now, wanted);
    }

    private static ArtifactChangedException changed(Path p) {
        return new ArtifactChangedException(p + " changed while it was opened (replaced or moved); refused");
    }

    private static String linkTarget(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    /** What kind of special file, for the message (by path: only words depend on it). */
    private static String special(Path p) {
        try {
            int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /** An open that may wait forever (a FIFO without a writer): run it on a helper thread, give up at the deadline. */
    private <T extends Closeable> T withinDeadline(Path what, Opening<T> open) throws IOException {
        return withinDeadline(what, OPEN_DEADLINE, open, () -> abandoned = true);
    }

    interface Opening<T> {
        T open() throws IOException;
    }

    static <T extends Closeable> T withinDeadline(Path what, Duration deadline, Opening<T> open, Runnable onGiveUp)
            throws IOException {
        var result = new CompletableFuture<T>();
        OPENER.execute(() -> {
            try {
                T opened = open.open();
                if (!result.complete(opened)) {
                    opened.close(); // the caller gave up: what opened late is closed, not leaked
                }
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        long end = System.nanoTime() + deadline.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // an open takes microseconds or forever: finish waiting, then say so
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            var gaveUp = new ArtifactTimeoutException(what + " did not open within " + deadline.toSeconds()
                    + " s (a FIFO swapped in while it was opened waits for a writer); refused");
            if (!result.completeExceptionally(gaveUp)) {
                return result.join(); // it opened just now
            }
            onGiveUp.run();
            throw gaveUp;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An open that missed its deadline. */
    static final class ArtifactTimeoutException extends IOException {
        ArtifactTimeoutException(String message) {
            super(message);
        }
    }
}
