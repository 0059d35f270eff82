package io.oe.core.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory artifact (a code tree, a documentation folder) as data: every regular file's relative path, SHA-256 and
 * size, sorted by path. Its JSON form is deterministic, so the SHA-256 of that JSON identifies the whole tree: the
 * directory's checksum in a handoff record.
 */
public record DirectoryManifest(List<Entry> files) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Entry(String path, String sha256, long size) {
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /**
     * Reads a directory an agent wrote. Refused, naming the path: a symbolic link or anything but a regular file or a
     * directory inside it, more than {@code maxFiles} files, more than {@code maxBytes} in all (checked before a file
     * is read, so an oversized tree is never read whole).
     */
    public static DirectoryManifest scan(String artifact, Path dir, long maxBytes, int maxFiles) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() { // does not follow links
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = relative(dir, file);
                if (attrs.isSymbolicLink()) {
                    throw new ArtifactPathException(artifact + "/" + rel + " is a symbolic link (to "
                            + Files.readSymbolicLink(file) + "); a directory artifact may hold only regular files");
                }
                if (!attrs.isRegularFile()) {
                    throw new ArtifactPathException(artifact + "/" + rel + " is not a regular file");
                }
                if (entries.size() + 1 > maxFiles) {
                    throw new ArtifactLimitException("directory " + artifact + " holds more than " + maxFiles + " files");
                }
                total[0] += attrs.size();
                if (total[0] > maxBytes) {
                    throw new ArtifactLimitException("directory " + artifact + " holds more than " + maxBytes + " bytes");
                }
                entries.add(new Entry(rel, LocalArtifactStore.sha256Of(file), attrs.size()));
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(Comparator.comparing(Entry::path));
        return new DirectoryManifest(List.copyOf(entries));
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode().put("type", "directory");
        ArrayNode list = o.putArray("files");
        for (Entry e : files) {
            list.addObject().put("path", e.path()).put("sha256", e.sha256()).put("size", e.size());
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a manifest back; every path must be relative and stay inside the directory it describes. */
    public static DirectoryManifest parse(byte[] json) throws IOException {
        JsonNode o = JSON.readTree(json);
        if (o == null || !"directory".equals(o.path("type").asText()) || !o.path("files").isArray()) {
            throw new IOException("not a directory manifest");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode f : o.get("files")) {
            String path = f.path("path").asText();
            Paths2.confine(Path.of("/manifest"), path); // refuses absolute paths and '..'
            entries.add(new Entry(path, f.path("sha256").asText(), f.path("size").asLong()));
        }
        return new DirectoryManifest(List.copyOf(entries));
    }
}
