package io.oe.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemaComponentsTest {
    private static final String STATE = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://oe.io/schemas/engine-state.schema.json",
             "$defs": {"time": {"type": ["string", "null"], "format": "date-time"}},
             "type": "object",
             "properties": {"start_time": {"$ref": "#/$defs/time"},
                            "handoffs": {"type": "array", "items": {"$ref": "handoff-record.schema.json"}}}}
            """;
    private static final String HANDOFF = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://oe.io/schemas/handoff-record.schema.json",
             "type": "object", "properties": {"handoff_id": {"type": "string"}}}
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> n = node;
        for (String key : path) {
            n = (Map<String, Object>) n.get(key);
        }
        return n;
    }

    @Test
    void referencesPointIntoTheComponentsAndTheFileIdentityIsDropped() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("EngineState", STATE);
        given.put("HandoffRecord", HANDOFF);
        Map<String, Map<String, Object>> components = JsonSchemaComponents.of(given);

        Map<String, Object> state = components.get("EngineState");
        assertThat(state).doesNotContainKeys("$schema", "$id").containsKey("$defs");
        assertThat(at(state, "properties", "start_time")).containsEntry("$ref", "#/components/schemas/EngineState/$defs/time");
        assertThat(at(state, "properties", "handoffs", "items")).containsEntry("$ref", "#/components/schemas/HandoffRecord");
        assertThat(at(state, "$defs", "time")).containsEntry("type", List.of("string", "null"));
        assertThat(components.get("HandoffRecord")).containsEntry("type", "object");
    }

    @Test
    void aReferenceToASchemaNotGivenIsAnErrorNamingIt() {
        assertThatThrownBy(() -> JsonSchemaComponents.of(Map.of("EngineState", STATE)))
                .hasMessageContaining("handoff-record.schema.json").hasMessageContaining("give its schema too");
    }
}
