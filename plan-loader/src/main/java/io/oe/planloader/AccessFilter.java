package io.oe.planloader;

import io.oe.core.auth.Authenticator;
import jakarta.ws.rs.ext.Provider;

/** Every write needs an operator (submit a plan, command an execution): the shared access filter, bound to this service's resources only ({@link PlanLoaderApi}). */
@Provider
@PlanLoaderApi
public class AccessFilter extends io.oe.service.AccessFilter {
    public AccessFilter(Authenticator authenticator) {
        super(authenticator);
    }

    @Override
    protected Object problem(String reason) {
        return Problem.of(reason);
    }
}
