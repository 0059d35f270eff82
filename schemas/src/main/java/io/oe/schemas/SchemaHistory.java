package io.oe.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Every released version of every event schema, kept under {@code avro-history/<Record>/v<N>.avsc} (listed in
 * {@code avro-history/index.txt}). Old versions are registered with the decoder, so events written by an older
 * service still decode; {@code SchemaHistoryTest} fails the build when the current schema is not the latest kept
 * version, or when two versions are not backward and forward compatible.
 */
public final class SchemaHistory {
    static final String INDEX = "avro-history/index.txt";

    private SchemaHistory() {
    }

    /** Record name -> its versions, oldest first. */
    public static Map<String, List<Schema>> versions() {
        Map<String, List<Schema>> out = new LinkedHashMap<>();
        for (String path : read(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            String record = path.substring(0, path.indexOf('/'));
            out.computeIfAbsent(record, k -> new ArrayList<>()).add(new Schema.Parser().parse(read("avro-history/" + path)));
        }
        return out;
    }

    public static List<Schema> all() {
        return versions().values().stream().flatMap(List::stream).toList();
    }

    /**
     * Why {@code newer} cannot replace {@code older}: empty when a reader of either version reads data written with
     * the other (backward and forward compatible), else one line per direction that fails.
     */
    public static List<String> compatibilityProblems(Schema older, Schema newer) {
        List<String> out = new ArrayList<>();
        var backward = SchemaCompatibility.checkReaderWriterCompatibility(newer, older);
        if (backward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            out.add("not backward compatible (the new version cannot read the old one's events): "
                    + backward.getResult().getIncompatibilities());
        }
        var forward = SchemaCompatibility.checkReaderWriterCompatibility(older, newer);
        if (forward.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            out.add("not forward compatible (the old version cannot read the new one's events): "
                    + forward.getResult().getIncompatibilities());
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
