package io.oe.core.auth;

import java.security.Principal;

/** An {@link Identity} as a {@link Principal}, for the services' security contexts: its name is the actor. */
public record IdentityPrincipal(Identity identity) implements Principal {
    @Override
    public String getName() {
        return identity.name();
    }
}
