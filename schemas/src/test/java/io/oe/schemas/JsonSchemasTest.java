package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped examples validate against the shipped JSON Schemas. */
class JsonSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/main/resources");

    static JsonSchema schema(String name) {
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m ->
                m.mapPrefix("https://oe.io/schemas/", "classpath:json/")));
        return factory.getSchema(SchemaLocation.of("https://oe.io/schemas/" + name),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    private static JsonNode example(String name) throws IOException {
        return JSON.readTree(Files.readString(DIR.resolve("examples").resolve(name)));
    }

    @Test
    void examplesValidate() throws IOException {
        assertThat(schema("engine-state.schema.json").validate(example("sample-engine-state.json"))).isEmpty();
        assertThat(schema("execution-log.schema.json").validate(example("sample-execution-log.json"))).isEmpty();
        assertThat(schema("handoff-record.schema.json").validate(example("sample-handoff-record.json"))).isEmpty();
    }

    @Test
    void theSchemasRefuseWhatTheyShould() throws IOException {
        var bad = (com.fasterxml.jackson.databind.node.ObjectNode) example("sample-handoff-record.json");
        bad.put("status", "maybe");
        assertThat(schema("handoff-record.schema.json").validate(bad)).isNotEmpty();
        var state = (com.fasterxml.jackson.databind.node.ObjectNode) example("sample-engine-state.json");
        state.remove("phases");
        assertThat(schema("engine-state.schema.json").validate(state)).isNotEmpty();
    }
}
