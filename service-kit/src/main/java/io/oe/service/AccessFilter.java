package io.oe.service;

import io.oe.core.auth.Access;
import io.oe.core.auth.AccessRule;
import io.oe.core.auth.Authenticator;
import io.oe.core.auth.IdentityPrincipal;
import io.oe.core.auth.Needs;
import io.oe.core.auth.Role;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * What the plan-loader's and the monitor's access filters do (each bound to its own service's resources): the request
 * needs an identity whose role the endpoint's {@link Needs} rule asks for. 401 for no or a wrong token, 403 naming the
 * role needed; either way the resource is not called, so nothing is published. The identity becomes the request's
 * principal: the actor of what the request publishes.
 */
public abstract class AccessFilter implements ContainerRequestFilter {
    private final Authenticator authenticator;

    @Context
    ResourceInfo resource;

    protected AccessFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The service's refusal body for {@code reason}. */
    protected abstract Object problem(String reason);

    @Override
    public void filter(ContainerRequestContext request) {
        Access access = authenticator.check(request.getHeaderString(HttpHeaders.AUTHORIZATION), rule());
        if (access instanceof Access.Granted g) {
            request.setSecurityContext(new IdentityContext(new IdentityPrincipal(g.identity()),
                    request.getSecurityContext().isSecure()));
        } else if (access instanceof Access.Unauthenticated u) {
            request.abortWith(refusal(401, u.reason()).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"oe\"").build());
        } else if (access instanceof Access.Forbidden f) {
            request.abortWith(refusal(403, f.reason()).build());
        }
    }

    /** The method's rule, else its class's; none at all asks for the most (a guarded endpoint someone forgot to mark). */
    private AccessRule rule() {
        Needs needs = resource.getResourceMethod().getAnnotation(Needs.class);
        if (needs == null) {
            needs = resource.getResourceClass().getAnnotation(Needs.class);
        }
        return needs == null ? AccessRule.CHANGE_TRUSTED_CONFIGURATION : needs.value();
    }

    private Response.ResponseBuilder refusal(int status, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(problem(reason));
    }

    /** The identity as JAX-RS' security context, which the resources read the actor from. */
    record IdentityContext(IdentityPrincipal principal, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public boolean isUserInRole(String role) {
            return Role.named(role).map(principal.identity().role()::allows).orElse(false);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
