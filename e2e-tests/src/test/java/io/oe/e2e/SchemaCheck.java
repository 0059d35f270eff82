package io.oe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/** Validates a document against one of the engine's JSON Schemas (from the schemas jar). */
final class SchemaCheck {
    private SchemaCheck() {
    }

    static List<String> validate(String schemaName, JsonNode document) {
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m ->
                m.mapPrefix("https://oe.io/schemas/", "classpath:json/")));
        return factory.getSchema(SchemaLocation.of("https://oe.io/schemas/" + schemaName),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build())
                .validate(document).stream().map(ValidationMessage::toString).toList();
    }
}
