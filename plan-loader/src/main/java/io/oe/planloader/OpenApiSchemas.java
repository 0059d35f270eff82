package io.oe.planloader;

import io.oe.core.api.JsonSchemaComponents;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Adds the plan, project plan and engine config to the OpenAPI document as the JSON Schemas the intake validates
 * them with ({@link Submission} refers to them by name). Runs at build time, so the stored document has them too.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiSchemas implements OASFilter {
    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        JsonSchemaComponents.fromClasspath(Map.of("OrchestrationPlan", "orchestration-plan.schema.json",
                "ProjectPlan", "project-plan.schema.json", "EngineConfig", "engine-config.schema.json"))
                .forEach((name, schema) -> {
                    Schema component = OASFactory.createSchema();
                    component.setAll(schema);
                    api.getComponents().addSchema(name, component);
                });
    }
}
