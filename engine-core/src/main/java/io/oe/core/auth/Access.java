package io.oe.core.auth;

/** What a request may do, as {@link Authenticator#check} decides: go on as an identity, or be refused and why. */
public sealed interface Access {
    /** Allowed, acting as {@code identity} (the actor of whatever it publishes). */
    record Granted(Identity identity) implements Access {
    }

    /** 401: no credentials where they are needed, or credentials that do not authenticate (unknown, expired, forged). */
    record Unauthenticated(String reason) implements Access {
    }

    /** 403: a known identity whose role is not enough; the reason names the role needed. */
    record Forbidden(String reason) implements Access {
    }
}
