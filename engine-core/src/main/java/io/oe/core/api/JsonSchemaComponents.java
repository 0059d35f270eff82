package io.oe.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's JSON Schemas (the schemas module's {@code json/*.schema.json}) as OpenAPI 3.1 components, so that the
 * REST documents describe a plan or an engine state by the very schema that validates it, not by a second copy.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12; only the references change: {@code #/$defs/x} becomes a pointer into
 * the component, and a reference to another schema file ({@code handoff-record.schema.json}) names that file's
 * component, which must be among those given.
 */
public final class JsonSchemaComponents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PREFIX = "#/components/schemas/";

    private JsonSchemaComponents() {
    }

    /**
     * @param schemas component name → schema text, e.g. {@code "EngineState"} → engine-state.schema.json
     * @return component name → the schema as plain maps and lists, in the schema's own order
     */
    public static Map<String, Map<String, Object>> of(Map<String, String> schemas) {
        Map<String, ObjectNode> parsed = new LinkedHashMap<>();
        Map<String, String> byFile = new LinkedHashMap<>();
        schemas.forEach((name, text) -> {
            ObjectNode schema = parse(name, text);
            String id = schema.path("$id").asText("");
            byFile.put(id.substring(id.lastIndexOf('/') + 1), name);
            parsed.put(name, schema);
        });
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        parsed.forEach((name, schema) -> {
            schema.remove("$schema"); // the document's dialect is JSON Schema 2020-12 already
            schema.remove("$id"); // references resolve against the document, as rewritten below
            rewriteRefs(schema, name, byFile);
            out.put(name, MAPPER.convertValue(schema, new TypeReference<Map<String, Object>>() { }));
        });
        return out;
    }

    /** The same, each schema read by its file name from the classpath's {@code json/} (the schemas jar). */
    public static Map<String, Map<String, Object>> fromClasspath(Map<String, String> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        files.forEach((name, file) -> {
            try (InputStream in = JsonSchemaComponents.class.getResourceAsStream("/json/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("schema /json/" + file + " is not on the classpath (schemas jar)");
                }
                texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return of(texts);
    }

    private static void rewriteRefs(JsonNode node, String component, Map<String, String> byFile) {
        if (node instanceof ObjectNode o && o.path("$ref").isTextual()) {
            o.put("$ref", target(o.get("$ref").asText(), component, byFile));
        }
        node.forEach(child -> rewriteRefs(child, component, byFile));
    }

    private static String target(String ref, String component, Map<String, String> byFile) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        String target = file.isEmpty() ? component : byFile.get(file.substring(file.lastIndexOf('/') + 1));
        if (target == null) {
            throw new IllegalArgumentException("schema " + component + " refers to " + ref + ", which is not among "
                    + byFile.keySet() + ": give its schema too");
        }
        return PREFIX + target + fragment;
    }

    private static ObjectNode parse(String name, String text) {
        try {
            if (MAPPER.readTree(text) instanceof ObjectNode schema) {
                return schema;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("schema " + name + " is not JSON: " + e.getOriginalMessage(), e);
        }
        throw new IllegalArgumentException("schema " + name + " is not a JSON object");
    }
}
