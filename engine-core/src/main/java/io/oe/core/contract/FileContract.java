package io.oe.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a contract can demand of any file, JSON or not, under the key {@code x-oe-file}:
 * <pre>{"x-oe-file": {"min_bytes": 1, "max_bytes": 200000, "media_type": "text/markdown", "pattern": "(?m)^# "}}</pre>
 * {@code pattern} must be found in the file's text (its first MiB, read as UTF-8).
 */
public record FileContract(Long minBytes, Long maxBytes, String mediaType, Pattern pattern) {
    public static final String KEY = "x-oe-file";
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
        return new FileContract(node.has("min_bytes") ? node.get("min_bytes").asLong() : null,
                node.has("max_bytes") ? node.get("max_bytes").asLong() : null,
                node.has("media_type") ? node.get("media_type").asText() : null,
                node.has("pattern") ? Pattern.compile(node.get("pattern").asText()) : null);
    }

    static List<String> problems(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return List.of(KEY + " must be an object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!List.of("min_bytes", "max_bytes", "media_type", "pattern").contains(f)) {
                out.add(KEY + ": unknown key '" + f + "' (known: min_bytes, max_bytes, media_type, pattern)");
            }
        });
        for (String k : List.of("min_bytes", "max_bytes")) {
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

    List<ContractViolation> check(String artifact, Path file) {
        List<ContractViolation> out = new ArrayList<>();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return List.of(new ContractViolation(artifact, "", "exists", "cannot be read: " + e.getMessage()));
        }
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
            try (InputStream in = Files.newInputStream(file)) {
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
