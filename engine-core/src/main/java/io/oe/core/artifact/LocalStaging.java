package io.oe.core.artifact;

import io.oe.core.artifact.ArtifactStore.Staged;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local store's staging area, {@code tee-output/artifacts/.incoming-<random>/}: every file an artifact is made of
 * is read once into it (bounded by the limits, without following links), named by number; a commit renames the blobs
 * to {@code sha256/<hex>}, writes the manifests and the readable copies; closing removes what is left.
 */
final class LocalStaging implements ArtifactStore.Staging {
    interface StoreOpener {
        ConfinedDirectory open() throws IOException;
    }

    /** A file read in: its name in the staging directory, its SHA-256 and size. */
    private record Blob(String file, String sha256, long size) {
    }

    private final StoreOpener opener;
    private final long maxBytes;
    private final int maxEntries;
    private ConfinedDirectory store;
    private ConfinedDirectory incoming;
    private String incomingName;
    private int nextBlob;
    /** The first blob read of each content, by SHA-256: what a commit moves into {@code sha256/}. */
    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private final List<Staged> staged = new ArrayList<>();
    private boolean committed;

    LocalStaging(StoreOpener opener, long maxBytes, int maxEntries) {
        this.opener = opener;
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    @Override
    public Staged add(String name, ConfinedDirectory from, String entry) throws IOException {
        checkAddable(name);
        ConfinedDirectory.Entry e = from.entry(entry);
        Staged s = switch (e.kind()) {
            case FILE -> addFile(name, from, e);
            case DIRECTORY -> addDirectory(name, from, entry);
            case MISSING -> throw new NoSuchFileException(e.path().toString());
            default -> throw ConfinedDirectory.refusal(e, "a regular file or a directory");
        };
        staged.add(s);
        return s;
    }

    @Override
    public Staged addBytes(String name, byte[] bytes) throws IOException {
        checkAddable(name);
        if (bytes.length > maxBytes) {
            throw new ArtifactLimitException("is " + bytes.length + " bytes, over the limit of " + maxBytes);
        }
        if (incoming == null) {
            openIncoming();
        }
        String file = "b" + nextBlob++;
        HashingCopy.Result r;
        try (SeekableByteChannel out = incoming.createFile(file)) {
            r = HashingCopy.copy(Channels.newChannel(new ByteArrayInputStream(bytes)), out, maxBytes);
        }
        Blob b = new Blob(file, r.sha256(), r.bytes());
        blobs.putIfAbsent(b.sha256(), b);
        Staged s = new Staged(name, b.sha256(), b.size(), content(b), null);
        staged.add(s);
        return s;
    }

    private void checkAddable(String name) {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        if (Paths2.checkName(name).equals("sha256") || name.equals("trees") || name.startsWith(".incoming-")) {
            throw new ArtifactPathException("artifact name '" + name + "' is reserved by the artifact store");
        }
    }

    private Staged addFile(String name, ConfinedDirectory from, ConfinedDirectory.Entry e) throws IOException {
        if (e.size() > maxBytes) {
            throw new ArtifactLimitException("is " + e.size() + " bytes, over the limit of " + maxBytes);
        }
        Blob b = readIn(from, e.path().getFileName().toString(), maxBytes, "grew past the limit of " + maxBytes + " bytes while it was read");
        return new Staged(name, b.sha256(), b.size(), content(b), null);
    }

    /** The counts of a directory being read in. */
    private static final class Tree {
        final List<DirectoryManifest.Entry> files = new ArrayList<>();
        int entries;
        long bytes;
    }

    private Staged addDirectory(String name, ConfinedDirectory from, String entry) throws IOException {
        Tree tree = new Tree();
        try (ConfinedDirectory dir = from.openDirectory(entry)) {
            walk(name, dir, "", 0, tree);
        }
        DirectoryManifest manifest = new DirectoryManifest(tree.files);
        return new Staged(name, HashingCopy.sha256(manifest.toJson()), manifest.totalBytes(), null, manifest);
    }

    /** Reads every file below {@code dir} in; refuses links, special files, hard links, and anything over a limit. */
    private void walk(String artifact, ConfinedDirectory dir, String prefix, int depth, Tree tree) throws IOException {
        if (depth >= ConfinedDirectory.MAX_DEPTH) {
            throw new ArtifactLimitException("directory " + artifact + " is nested deeper than " + ConfinedDirectory.MAX_DEPTH
                    + " levels (" + dir.path() + ")");
        }
        for (String n : dir.names(maxEntries - tree.entries)) {
            if (++tree.entries > maxEntries) {
                throw new ArtifactLimitException("directory " + artifact + " holds more than " + maxEntries
                        + " files and directories");
            }
            try {
                Paths2.checkName(n);
            } catch (ArtifactPathException bad) {
                throw new ArtifactPathException("in " + dir.path() + ": " + bad.getMessage());
            }
            ConfinedDirectory.Entry e = dir.entry(n);
            switch (e.kind()) {
                case DIRECTORY -> {
                    try (ConfinedDirectory sub = dir.openDirectory(n)) {
                        walk(artifact, sub, prefix + n + "/", depth + 1, tree);
                    }
                }
                case FILE -> {
                    String over = "directory " + artifact + " holds more than " + maxBytes + " bytes";
                    if (e.size() > maxBytes - tree.bytes) {
                        throw new ArtifactLimitException(over);
                    }
                    Blob b = readIn(dir, n, maxBytes - tree.bytes, over + " (" + e.path() + " grew while it was read)");
                    tree.bytes += b.size();
                    tree.files.add(new DirectoryManifest.Entry(prefix + n, b.sha256(), b.size()));
                }
                case MISSING -> {
                    // removed since the listing: not part of the tree
                }
                default -> throw ConfinedDirectory.refusal(e, "a regular file; a directory artifact holds only regular "
                        + "files and directories");
            }
        }
    }

    /** Copies a file into the staging directory, never more than {@code limit} bytes. */
    private Blob readIn(ConfinedDirectory from, String name, long limit, String overLimit) throws IOException {
        if (incoming == null) {
            openIncoming();
        }
        String file = "b" + nextBlob++;
        HashingCopy.Result r;
        try (SeekableByteChannel in = from.openFile(name);
                SeekableByteChannel out = incoming.createFile(file)) {
            r = HashingCopy.copy(in, out, limit);
        }
        if (r.overLimit()) {
            incoming.delete(file);
            throw new ArtifactLimitException(overLimit);
        }
        Blob b = new Blob(file, r.sha256(), r.bytes());
        blobs.putIfAbsent(b.sha256(), b);
        return b;
    }

    /** The store and a fresh staging directory in it, at the first file read in. */
    private void openIncoming() throws IOException {
        ConfinedDirectory opened = opener.open();
        String name = ConfinedDirectory.temporaryName();
        try {
            incoming = opened.createDirectory(name);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        store = opened;
        incomingName = name;
    }

    /** The staged bytes of a file, for its contract: read from the staging directory, not from the agent's. */
    private FileContent content(Blob b) {
        return new FileContent() {
            @Override
            public long size() {
                return b.size();
            }

            @Override
            public InputStream open() throws IOException {
                return Channels.newInputStream(incoming.openFile(b.file()));
            }
        };
    }

    @Override
    public List<StoredArtifact> commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        committed = true;
        List<StoredArtifact> out = new ArrayList<>();
        if (staged.isEmpty()) {
            return out;
        }
        String dir = LocalArtifactStore.DIRECTORY;
        // Readable copies first, from the staged blobs (the engine's own files), then the blobs move into sha256/.
        for (Staged s : staged) {
            if (s.isDirectory()) {
                String tree = s.sha256() + ".json";
                try (ConfinedDirectory trees = store.openOrCreate("trees")) {
                    if (trees.entry(tree).kind() != ConfinedDirectory.Kind.FILE) {
                        trees.writeFile(tree, s.tree().toJson());
                    }
                }
                LocalArtifactStore.materialize(s.tree(), incoming, sha -> blobs.get(sha).file(), store, s.name(),
                        dir + "/" + s.name());
                out.add(new StoredArtifact(s.name(), dir + "/trees/" + tree, s.sha256(), s.size()));
            } else {
                LocalArtifactStore.copyInto(incoming, blobs.get(s.sha256()).file(), s.size(), s.sha256(), store, s.name(),
                        dir + "/" + s.name());
                out.add(new StoredArtifact(s.name(), dir + "/sha256/" + s.sha256(), s.sha256(), s.size()));
            }
        }
        try (ConfinedDirectory sha256 = store.openOrCreate("sha256")) {
            for (Blob b : blobs.values()) {
                if (sha256.entry(b.sha256()).kind() != ConfinedDirectory.Kind.FILE) {
                    incoming.replace(b.file(), sha256, b.sha256());
                }
            }
        }
        return out;
    }

    /** Removes the staging directory and whatever is still in it. */
    @Override
    public void close() throws IOException {
        try {
            if (incoming != null) {
                incoming.close();
                removeIncoming();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    private void removeIncoming() throws IOException {
        try {
            store.delete(incomingName);
        } catch (IOException | RuntimeException e) {
            if (!committed) {
                throw e;
            }
            // the artifacts are stored: a staging directory left behind is garbage, not a failed handoff
        }
    }
}
