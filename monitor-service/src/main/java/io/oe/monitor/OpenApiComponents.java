package io.oe.monitor;

import io.oe.core.api.JsonSchemaComponents;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * What the monitor's OpenAPI document shares between operations: the engine state, handoff record and execution log
 * as the JSON Schemas the tests check the answers against, and the answers every read may get (401, 404, 503).
 * Runs at build time, so the stored document has them too.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiComponents implements OASFilter {
    static final String UNAUTHORIZED = "Unauthorized";
    static final String NOT_FOUND = "NotFound";
    static final String NOT_READY = "NotReady";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        Components components = api.getComponents();
        JsonSchemaComponents.fromClasspath(Map.of("EngineState", "engine-state.schema.json",
                "HandoffRecord", "handoff-record.schema.json", "ExecutionLog", "execution-log.schema.json"))
                .forEach((name, schema) -> {
                    Schema component = OASFactory.createSchema();
                    component.setAll(schema);
                    components.addSchema(name, component);
                });
        components.addResponse(UNAUTHORIZED, OASFactory.createAPIResponse().content(problem())
                .description("Missing, unknown, expired or wrongly signed bearer token: reads need a reader's token when a tokens"
                        + " file or a JWT key is configured, or OE_PROTECT_READS=true"));
        components.addResponse(NOT_FOUND, OASFactory.createAPIResponse().content(problem())
                .description("No such execution (unknown id, or not yet projected)"));
        components.addResponse(NOT_READY, OASFactory.createAPIResponse().content(problem())
                .description("The views are not queryable yet (the service starts, rebalances or restores them): ask"
                        + " again after Retry-After seconds")
                .addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before asking again")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))));
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
