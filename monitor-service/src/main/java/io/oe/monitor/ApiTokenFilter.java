package io.oe.monitor;

import io.oe.core.auth.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The monitor's reads are open by default (a local dashboard, a curl); with {@code OE_PROTECT_READS=true} they need the
 * same bearer token as the plan-loader's writes.
 */
@Provider
public class ApiTokenFilter implements ContainerRequestFilter {
    private final Optional<BearerToken> token;

    public ApiTokenFilter(@ConfigProperty(name = "oe.api.token") Optional<String> value,
            @ConfigProperty(name = "oe.api.token-file") Optional<String> file,
            @ConfigProperty(name = "oe.api.protect-reads") boolean protectReads) {
        Optional<BearerToken> configured = BearerToken.configured(value.orElse(null), file.orElse(null));
        if (protectReads && configured.isEmpty()) {
            throw new IllegalStateException("OE_PROTECT_READS=true needs OE_API_TOKEN or OE_API_TOKEN_FILE");
        }
        this.token = protectReads ? configured : Optional.empty();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (token.isPresent() && !token.get().accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oe\"")
                    .type(MediaType.APPLICATION_JSON).entity(Map.of("error", "missing or wrong bearer token")).build());
        }
    }
}
