package io.oe.planloader;

import io.oe.core.auth.BearerToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every write (submit a plan, command an execution) needs the server's bearer token when one is configured
 * ({@code OE_API_TOKEN} or {@code OE_API_TOKEN_FILE}; the local stack always generates one). A refused request
 * publishes nothing.
 */
@Provider
public class ApiTokenFilter implements ContainerRequestFilter {
    private static final Logger LOG = Logger.getLogger(ApiTokenFilter.class);
    private final Optional<BearerToken> token;

    public ApiTokenFilter(@ConfigProperty(name = "oe.api.token") Optional<String> value,
            @ConfigProperty(name = "oe.api.token-file") Optional<String> file) {
        this.token = BearerToken.configured(value.orElse(null), file.orElse(null));
        if (token.isEmpty()) {
            LOG.warn("no API token configured (OE_API_TOKEN / OE_API_TOKEN_FILE): write endpoints are open to anyone who can reach them");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (token.isEmpty() || !"POST".equals(request.getMethod()) && !"PUT".equals(request.getMethod())
                && !"DELETE".equals(request.getMethod()) && !"PATCH".equals(request.getMethod())) {
            return;
        }
        if (!token.get().accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oe\"")
                    .type(MediaType.APPLICATION_JSON).entity(Problem.of(
                            "missing or wrong bearer token: send Authorization: Bearer <token> (the local stack's is in .oe/stack/api-token)"))
                    .build());
        }
    }
}
