package io.oe.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Fixtures shared by the core's tests. */
public final class TestPlans {
    private TestPlans() {
    }

    public static ObjectNode seedPlan() {
        return (ObjectNode) resource("/seed-plan.json");
    }

    public static JsonNode facts(String cloud, String iac) {
        return PlanJson.parse("{\"project_name\": \"SeedTest\", \"infrastructure\": {\"cloud\": \"" + cloud
                + "\", \"iac\": \"" + iac + "\"}}");
    }

    public static JsonNode resource(String name) {
        try (var in = TestPlans.class.getResourceAsStream(name)) {
            return PlanJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A validator with the engine's JSON Schemas. */
    public static PlanValidator validator() {
        return new PlanValidator(schemaTexts());
    }

    /** The engine's JSON Schemas, read from the schemas module that ships them. */
    public static Map<String, String> schemaTexts() {
        Path dir = Path.of("../schemas/src/main/resources/json");
        try {
            return Map.of(
                    "orchestration-plan.schema.json", Files.readString(dir.resolve("orchestration-plan.schema.json")),
                    "project-plan.schema.json", Files.readString(dir.resolve("project-plan.schema.json")),
                    "engine-config.schema.json", Files.readString(dir.resolve("engine-config.schema.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
