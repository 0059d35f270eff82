package io.oe.monitor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the dashboard page (META-INF/resources/index.html) needs besides the executions: where to post interventions.
 * The monitor only reads; commands go to the plan-loader, which validates them and is the one writer.
 */
@Path("/api/v1/dashboard/config")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {
    @ConfigProperty(name = "oe.dashboard.commands-url")
    Optional<String> commandsUrl;

    @GET
    public Map<String, Object> config() {
        return Map.of("commands_url", commandsUrl.map(u -> u.replaceAll("/+$", "")).orElse(""));
    }
}
