package io.oe.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;

/** Validates a document against one of the engine's own JSON Schemas, reporting each error at its JSON pointer. */
final class JsonSchemaCheck {
    private final JsonSchema schema;
    private final String documentName;

    JsonSchemaCheck(String schemaText, String documentName) {
        JsonNode schemaNode = PlanJson.parse(schemaText);
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(schemaNode, false)
                .orElse(SpecVersion.VersionFlag.V202012);
        this.schema = JsonSchemaFactory.getInstance(version).getSchema(schemaNode);
        this.documentName = documentName;
    }

    List<Violation> check(JsonNode document) {
        return schema.validate(document).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
                .map(m -> new Violation(documentName + " " + pointer(m), m.getMessage() + value(m)))
                .toList();
    }

    /** The offending value, when it is a short scalar: "does not match the pattern" says more with what did not. */
    private static String value(ValidationMessage m) {
        JsonNode v = m.getInstanceNode();
        if (v == null || !v.isValueNode() || v.isNull()) {
            return "";
        }
        String text = v.asText().replaceAll("\\p{Cntrl}", "?");
        return " (value: '" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "')";
    }

    private static String pointer(ValidationMessage m) {
        String location = m.getInstanceLocation().toString(); // "$.phases[3].agent"
        StringBuilder out = new StringBuilder();
        for (String part : location.replaceFirst("^\\$", "").split("(?=[.\\[])")) {
            if (part.isEmpty()) {
                continue;
            }
            out.append('/').append(part.replaceAll("^[.\\[]", "").replaceAll("]$", "").replace("'", ""));
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
