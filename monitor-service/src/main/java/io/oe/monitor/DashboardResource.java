package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.oe.core.auth.AccessRule;
import io.oe.core.auth.Needs;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the dashboard page (META-INF/resources/index.html) needs besides the executions: where to post interventions.
 * The monitor only reads; commands go to the plan-loader, which validates them and is the one writer.
 */
@Path("/api/v1/dashboard/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard", description = "What the dashboard page (/) reads besides the executions")
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = "bearer"))
@MonitorApi
@Needs(AccessRule.READ)
public class DashboardResource {
    @ConfigProperty(name = "oe.dashboard.commands-url")
    Optional<String> commandsUrl;

    @Schema(name = "DashboardConfig")
    public record Config(@JsonProperty("commands_url") @Schema(description = "The plan-loader's base URL, where the"
            + " dashboard posts commands (empty: none configured)", example = "http://localhost:18081") String commandsUrl) {
    }

    @GET
    @Operation(operationId = "getDashboardConfig", summary = "The dashboard's settings")
    @APIResponse(responseCode = "200", description = "The settings")
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    public Config config() {
        return new Config(commandsUrl.map(u -> u.replaceAll("/+$", "")).orElse(""));
    }
}
