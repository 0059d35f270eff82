package io.oe.core.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tokens file of the trusted configuration ({@code OE_TOKENS_FILE}, YAML or JSON): one entry per person or system,
 * its name, role and the SHA-256 of its token, never the token itself, so the file reveals no credential.
 *
 * <pre>
 * tokens:
 *   - name: alice
 *     role: operator
 *     sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * </pre>
 *
 * A malformed file is refused whole, naming the entry and what is wrong, so a service never starts with half of it.
 */
public final class TokensFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Set<String> FIELDS = Set.of("name", "role", "sha256");

    /** One entry: who, with what role, and the digest its token must have. */
    public record Entry(Identity identity, byte[] sha256) {
    }

    private final List<Entry> entries;

    private TokensFile(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Reads and checks {@code file}; an {@link IllegalArgumentException} names the file, the entry and the problem. */
    public static TokensFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokens file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Checks the text of a tokens file; {@code where} names it in errors. */
    public static TokensFile parse(String text, String where) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tokens file " + where + " is not YAML or JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("tokens").isArray()) {
            throw new IllegalArgumentException("tokens file " + where + " must be an object with a list 'tokens' of"
                    + " entries {name, role, sha256}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!field.equals("tokens")) {
                throw new IllegalArgumentException("tokens file " + where + ": unknown field '" + field + "' (only 'tokens')");
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> hashes = new HashMap<>();
        int n = 0;
        for (JsonNode e : root.get("tokens")) {
            n++;
            String name = e.path("name").asText("");
            String at = "tokens file " + where + ": entry " + n + (name.isEmpty() ? "" : " (" + name + ")") + ": ";
            if (!e.isObject()) {
                throw new IllegalArgumentException(at + "must be an object {name, role, sha256}");
            }
            for (Iterator<String> fields = e.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(at + "unknown field '" + field + "' (name, role, sha256;"
                            + " the file holds the token's SHA-256, never the token)");
                }
            }
            if (!e.path("name").isTextual() || !Identity.NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(at + "name must be 1 to 128 letters, digits or _ . @ : + -");
            }
            String roleText = e.path("role").asText("");
            Role role = Role.named(roleText).orElseThrow(() -> new IllegalArgumentException(at + "unknown role '"
                    + roleText + "' (one of " + Role.labels() + ")"));
            String hash = e.path("sha256").asText("");
            if (!SHA256.matcher(hash).matches()) {
                throw new IllegalArgumentException(at + "sha256 must be 64 lowercase hex digits (the SHA-256 of the"
                        + " token, e.g. from oe token add), not '" + abbreviate(hash) + "'");
            }
            Integer sameName = names.putIfAbsent(name, n);
            if (sameName != null) {
                throw new IllegalArgumentException(at + "duplicate name: entry " + sameName + " is also " + name);
            }
            Integer sameHash = hashes.putIfAbsent(hash, n);
            if (sameHash != null) {
                throw new IllegalArgumentException(at + "duplicate sha256: entry " + sameHash
                        + " has the same token; give each person or system its own");
            }
            entries.add(new Entry(new Identity(name, role), HexFormat.of().parseHex(hash)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("tokens file " + where + " has no entries: add one with"
                    + " oe token add --name NAME --role ROLE --file " + where);
        }
        return new TokensFile(entries);
    }

    /**
     * The identity whose token this is. Every entry is compared, in constant time, whether or not an earlier one
     * matched, so the time taken says nothing about which entry, or how much of a digest, matched.
     */
    public Optional<Identity> identify(String token) {
        byte[] digest = sha256(token);
        Identity found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), digest)) {
                found = e.identity();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The text of this file with one more entry; refused (nothing to write) if it would not parse. */
    public static String withEntry(String existing, String where, String name, Role role, String token) {
        ObjectNode root;
        try {
            JsonNode read = existing == null || existing.isBlank() ? null : YAML.readTree(existing);
            root = read instanceof ObjectNode o ? o : YAML.createObjectNode();
        } catch (JacksonException e) {
            throw new IllegalArgumentException("tokens file " + where + " is not YAML or JSON: " + e.getOriginalMessage());
        }
        ArrayNode tokens = root.path("tokens").isArray() ? (ArrayNode) root.get("tokens") : root.putArray("tokens");
        tokens.addObject().put("name", name).put("role", role.label()).put("sha256", hex(sha256(token)));
        String text;
        try {
            text = where.endsWith(".json") ? new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n" : YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        parse(text, where); // a duplicate name or a malformed existing entry is refused before anything is written
        return text;
    }

    /** The SHA-256 of a token, as the file holds it. */
    public static String digest(String token) {
        return hex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String abbreviate(String s) {
        return s.length() > 16 ? s.substring(0, 16) + "…" : s;
    }

    @Override
    public String toString() {
        return "TokensFile(" + entries.size() + " entries)";
    }
}
