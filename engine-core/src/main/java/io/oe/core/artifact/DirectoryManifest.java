package io.oe.core.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory artifact (a code tree, a documentation folder) as data: every regular file's relative path, SHA-256 and
 * size, sorted by path. Its JSON form is deterministic, so the SHA-256 of that JSON identifies the whole tree: the
 * directory's checksum in a handoff record. The store builds it while it reads the directory in
 * ({@link ArtifactStore.Staging#add}).
 */
public record DirectoryManifest(List<Entry> files) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Entry(String path, String sha256, long size) {
    }

    /** Sorted by path, so that the same tree always has the same manifest. */
    public DirectoryManifest {
        files = files.stream().sorted(Comparator.comparing(Entry::path)).toList();
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::size).sum();
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
            Paths2.components(path, "its directory"); // refuses absolute paths and '..'
            entries.add(new Entry(path, Paths2.checkName(f.path("sha256").asText()), f.path("size").asLong()));
        }
        return new DirectoryManifest(entries);
    }
}
