package io.oe.planloader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's JSON Schemas, as the schemas jar ships them under {@code /json/}. */
final class EngineSchemas {
    private EngineSchemas() {
    }

    static Map<String, String> load() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : List.of("orchestration-plan.schema.json", "project-plan.schema.json", "engine-config.schema.json")) {
            try (InputStream in = EngineSchemas.class.getResourceAsStream("/json/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("schema /json/" + name + " missing from the classpath (schemas jar)");
                }
                texts.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }
}
