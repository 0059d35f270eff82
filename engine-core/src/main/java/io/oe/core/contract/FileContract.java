package io.oe.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.artifact.DirectoryManifest;
import io.oe.core.artifact.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * What a contract can demand of any file, JSON or not, or of a directory, under the key {@code x-oe-file}:
 * <pre>{"x-oe-file": {"min_bytes": 1, "max_bytes": 200000, "media_type": "text/markdown", "pattern": "(?m)^# "}}
 *{"x-oe-file": {"type": "directory", "min_files": 1, "max_files": 500, "required_files": ["package.json"]}}</pre>
 * {@code pattern} must be found in the file's text (its first MiB, read as UTF-8). For a directory, {@code min_bytes}
 * and {@code max_bytes} bound the total size. {@code type} ({@code file} or {@code directory}) is what the artifact must
 * be; without it, either is accepted.
 */
public record FileContract(Long minBytes, Long maxBytes, String mediaType, Pattern pattern, String type, Integer minFiles,
        Integer maxFiles, List<String> requiredFiles) {
    public static final String KEY = "x-oe-file";
    private static final List<String> KEYS = List.of("type", "min_bytes", "max_bytes", "media_type", "pattern", "min_files",
            "max_files", "required_files");
    private static final int PATTERN_WINDOW = 1 << 20;
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("md", "text/markdown"), Map.entry("markdown", "text/markdown"), Map.entry("txt", "text/plain"),
            Map.entry("json", "application/json"), Map.entry("yaml", "application/yaml"), Map.entry("yml", "application/yaml"),
            Map.entry("html", "text/html"), Map.entry("csv", "text/csv"), Map.entry("xml", "application/xml"),
            Map.entry("pdf", "application/pdf"), Map.entry("png", "image/png"), Map.entry("svg", "image/svg+xml"),
            Map.entry("zip", "application/zip"), Map.entry("sql", "application/sql"), Map.entry("bicep", "text/plain"),
            Map.entry("ts", "text/plain"), Map.entry("js", "text/javascript"), Map.entry("java", "text/plain"));

    /** Reads a file contract; a malformed one is refused with what is wrong (checked at plan validation). */
    public static FileContract of(JsonNode node) {
        List<String> problems = problems(node);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<String> required = new ArrayList<>();
        node.path("required_files").forEach(f -> required.add(f.asText()));
        return new FileContract(node.has("min_bytes") ? node.get("min_bytes").asLong() : null,
                node.has("max_bytes") ? node.get("max_bytes").asLong() : null,
                node.has("media_type") ? node.get("media_type").asText() : null,
                node.has("pattern") ? Pattern.compile(node.get("pattern").asText()) : null,
                node.has("type") ? node.get("type").asText() : null,
                node.has("min_files") ? node.get("min_files").asInt() : null,
                node.has("max_files") ? node.get("max_files").asInt() : null, List.copyOf(required));
    }

    static List<String> problems(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return List.of(KEY + " must be an object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!KEYS.contains(f)) {
                out.add(KEY + ": unknown key '" + f + "' (known: " + String.join(", ", KEYS) + ")");
            }
        });
        if (node.has("type") && !List.of("file", "directory").contains(node.get("type").asText())) {
            out.add(KEY + ".type must be \"file\" or \"directory\"");
        }
        boolean directory = "directory".equals(node.path("type").asText());
        for (String k : List.of("min_files", "max_files", "required_files")) {
            if (node.has(k) && !directory) {
                out.add(KEY + "." + k + " applies to a directory: add \"type\": \"directory\"");
            }
        }
        for (String k : List.of("media_type", "pattern")) {
            if (node.has(k) && directory) {
                out.add(KEY + "." + k + " applies to a file, not to a directory");
            }
        }
        if (node.has("required_files")) {
            if (!node.get("required_files").isArray()) {
                out.add(KEY + ".required_files must be an array of relative paths");
            } else {
                node.get("required_files").forEach(f -> {
                    String path = f.asText();
                    if (!f.isTextual() || path.isEmpty() || path.startsWith("/") || List.of(path.split("/")).contains("..")) {
                        out.add(KEY + ".required_files: '" + path + "' must be a relative path inside the directory");
                    }
                });
            }
        }
        for (String k : List.of("min_bytes", "max_bytes", "min_files", "max_files")) {
            if (node.has(k) && (!node.get(k).canConvertToLong() || node.get(k).asLong() < 0)) {
                out.add(KEY + "." + k + " must be a whole number ≥ 0");
            }
        }
        if (node.has("pattern")) {
            try {
                Pattern.compile(node.get("pattern").asText());
            } catch (PatternSyntaxException e) {
                out.add(KEY + ".pattern does not compile: " + e.getDescription());
            }
        }
        return out;
    }

    /** A directory artifact against this contract. */
    List<ContractViolation> checkDirectory(String artifact, DirectoryManifest tree) {
        List<ContractViolation> out = new ArrayList<>();
        if ("file".equals(type)) {
            return List.of(new ContractViolation(artifact, "", "type", "is a directory; the contract wants a file"));
        }
        long size = tree.totalBytes();
        int files = tree.files().size();
        if (minBytes != null && size < minBytes) {
            out.add(new ContractViolation(artifact, "", "min_bytes", "holds " + size + " bytes; the contract wants at least " + minBytes));
        }
        if (maxBytes != null && size > maxBytes) {
            out.add(new ContractViolation(artifact, "", "max_bytes", "holds " + size + " bytes; the contract allows at most " + maxBytes));
        }
        if (minFiles != null && files < minFiles) {
            out.add(new ContractViolation(artifact, "", "min_files", "holds " + files + " files; the contract wants at least " + minFiles));
        }
        if (maxFiles != null && files > maxFiles) {
            out.add(new ContractViolation(artifact, "", "max_files", "holds " + files + " files; the contract allows at most " + maxFiles));
        }
        var present = tree.files().stream().map(DirectoryManifest.Entry::path).collect(Collectors.toSet());
        for (String required : requiredFiles) {
            if (!present.contains(required)) {
                out.add(new ContractViolation(artifact, "/" + required, "required_files", "has no file " + required));
            }
        }
        return out;
    }

    List<ContractViolation> check(String artifact, FileContent file) {
        List<ContractViolation> out = new ArrayList<>();
        if ("directory".equals(type)) {
            return List.of(new ContractViolation(artifact, "", "type", "is a file; the contract wants a directory"));
        }
        long size = file.size();
        if (minBytes != null && size < minBytes) {
            out.add(new ContractViolation(artifact, "", "min_bytes", "is " + size + " bytes; the contract wants at least " + minBytes));
        }
        if (maxBytes != null && size > maxBytes) {
            out.add(new ContractViolation(artifact, "", "max_bytes", "is " + size + " bytes; the contract allows at most " + maxBytes));
        }
        if (mediaType != null) {
            String actual = mediaTypeOf(artifact);
            if (!mediaType.equalsIgnoreCase(actual)) {
                out.add(new ContractViolation(artifact, "", "media_type", "is " + (actual == null ? "of an unknown media type"
                        : actual) + "; the contract wants " + mediaType));
            }
        }
        if (pattern != null) {
            try (InputStream in = file.open()) {
                String text = new String(in.readNBytes(PATTERN_WINDOW), StandardCharsets.UTF_8);
                if (!pattern.matcher(text).find()) {
                    out.add(new ContractViolation(artifact, "", "pattern", "does not contain a match for " + pattern.pattern()));
                }
            } catch (IOException e) {
                out.add(new ContractViolation(artifact, "", "pattern", "cannot be read: " + e.getMessage()));
            }
        }
        return out;
    }

    /** The media type by file extension (what a user names in a contract). */
    static String mediaTypeOf(String artifact) {
        int dot = artifact.lastIndexOf('.');
        return dot < 0 ? null : MEDIA_TYPES.get(artifact.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
