package io.oe.core.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Builds a document that satisfies a JSON Schema, filled with values that say where they came from. Covers what
 * the example contracts use: objects, required and optional properties, strings (minLength, pattern, date-time),
 * integers and numbers with bounds, booleans, arrays (minItems), enum and const. Used by the demo agent and by the
 * gateway's dry run ({@link SampleOutputs}). Deterministic: the same schema and context give the same document, so a
 * phase run again on unchanged inputs writes the same bytes and the phases after it can be reused (memoized
 * resubmission, docs/architecture.md); a {@code date-time} is therefore {@link #SAMPLE_TIME}, not the clock.
 */
public final class SampleGenerator {
    /** The one time every sample says: sample data, not a record of when it was written. */
    public static final String SAMPLE_TIME = "2026-01-01T00:00:00Z";

    private final ObjectMapper mapper;
    private final Map<String, String> context; // produced_by, project, phase, ...

    public SampleGenerator(ObjectMapper mapper, Map<String, String> context) {
        this.mapper = mapper;
        this.context = context;
    }

    public JsonNode generate(JsonNode schema) {
        return value("", schema);
    }

    private JsonNode value(String name, JsonNode schema) {
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> object(schema);
            case "array" -> array(name, schema);
            case "integer" -> mapper.getNodeFactory().numberNode(integer(schema));
            case "number" -> mapper.getNodeFactory().numberNode((double) integer(schema));
            case "boolean" -> mapper.getNodeFactory().booleanNode(true);
            case "null" -> mapper.getNodeFactory().nullNode();
            default -> mapper.getNodeFactory().textNode(string(name, schema));
        };
    }

    private ObjectNode object(JsonNode schema) {
        ObjectNode out = mapper.createObjectNode();
        schema.path("properties").fields().forEachRemaining(e -> out.set(e.getKey(), value(e.getKey(), e.getValue())));
        return out;
    }

    private ArrayNode array(String name, JsonNode schema) {
        ArrayNode out = mapper.createArrayNode();
        int n = Math.max(2, schema.path("minItems").asInt(0));
        if (schema.has("maxItems")) {
            n = Math.min(n, schema.get("maxItems").asInt());
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < n; i++) {
            JsonNode item = items.isMissingNode() ? mapper.createObjectNode() : items;
            if (item.has("enum") && item.get("enum").size() > i) {
                out.add(item.get("enum").get(i));
            } else {
                out.add(indexed(value(singular(name), item), i));
            }
        }
        return out;
    }

    /** Makes the i-th generated item differ from the others (ids, titles). */
    private JsonNode indexed(JsonNode node, int i) {
        if (node.isTextual() && !node.asText().startsWith("@") && !node.asText().startsWith("/")) {
            return mapper.getNodeFactory().textNode(node.asText() + " " + (i + 1));
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual() && (e.getKey().equals("id") || e.getKey().equals("name")
                        || e.getKey().equals("title") || e.getKey().equals("path") || e.getKey().equals("route"))) {
                    e.setValue(indexed(e.getValue(), i));
                }
            });
        }
        return node;
    }

    private long integer(JsonNode schema) {
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : 1;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : Math.max(min, 8);
        return Math.min(max, Math.max(min, (min + max) / 2));
    }

    private String string(String name, JsonNode schema) {
        if ("date-time".equals(schema.path("format").asText())) {
            return SAMPLE_TIME;
        }
        String pattern = schema.path("pattern").asText("");
        if (pattern.startsWith("^@")) {
            return context.getOrDefault("agent", "@agent");
        }
        if (pattern.startsWith("^/")) {
            return "/" + context.getOrDefault("slug", "api");
        }
        String known = context.get(name);
        String text = known != null ? known : humanise(name) + " for " + context.getOrDefault("phase", "the phase");
        int min = schema.path("minLength").asInt(0);
        return text.length() >= min ? text : text + "x".repeat(min - text.length());
    }

    private static String humanise(String name) {
        String s = name.isEmpty() ? "value" : name.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }
}
