package io.oe.monitor;

import io.oe.core.auth.Authenticator;
import jakarta.ws.rs.ext.Provider;

/** Every read needs a reader when reads are protected (docs/security.md): the shared access filter, bound to this service's resources only ({@link MonitorApi}). */
@Provider
@MonitorApi
public class AccessFilter extends io.oe.service.AccessFilter {
    public AccessFilter(Authenticator authenticator) {
        super(authenticator);
    }

    @Override
    protected Object problem(String reason) {
        return new Problem(reason);
    }
}
