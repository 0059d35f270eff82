package io.oe.core.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who calls the API, as authentication established it: the name recorded as actor on every command, log entry, review
 * and submission, and the role that says what it may do.
 */
public record Identity(String name, Role role) {
    /** Names are what a log line and an event can carry safely: letters, digits and {@code _ . @ : + -}. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.@:+-]{1,128}$");
    /** The actor when no authentication is configured (open mode) or an open read is made without a token. */
    public static final String ANONYMOUS = "anonymous";
    /** The single shared token's identity (OE_API_TOKEN / OE_API_TOKEN_FILE): an admin, as it always could do all. */
    public static final String API_TOKEN = "api-token";

    public Identity {
        Objects.requireNonNull(role, "role");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("identity name '" + name + "' must be 1 to 128 letters, digits or _ . @ : + -");
        }
    }

    /** "alice (operator)", for messages. */
    @Override
    public String toString() {
        return name + " (" + role.label() + ")";
    }
}
