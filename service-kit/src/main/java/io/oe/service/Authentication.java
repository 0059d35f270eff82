package io.oe.service;

import io.oe.core.auth.Authenticator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one {@link Authenticator} of a process, from its trusted configuration (docs/security.md): the plan-loader's and
 * the monitor's access filters share it, also when both run in one process. A malformed tokens file or key fails the
 * start with what is wrong.
 */
public class Authentication {
    private static final Logger LOG = Logger.getLogger(Authentication.class);

    @Produces
    @Singleton
    Authenticator authenticator(@ConfigProperty(name = "oe.api.token") Optional<String> token,
            @ConfigProperty(name = "oe.api.token-file") Optional<String> tokenFile,
            @ConfigProperty(name = "oe.api.tokens-file") Optional<String> tokensFile,
            @ConfigProperty(name = "oe.api.jwt.public-key-file") Optional<String> jwtKey,
            @ConfigProperty(name = "oe.api.jwt.issuer") Optional<String> jwtIssuer,
            @ConfigProperty(name = "oe.api.jwt.audience") Optional<String> jwtAudience,
            @ConfigProperty(name = "oe.api.jwt.role-claim") String jwtRoleClaim,
            @ConfigProperty(name = "oe.api.protect-reads") boolean protectReads) {
        Authenticator a = Authenticator.configured(new Authenticator.Settings(token.orElse(null), tokenFile.orElse(null),
                tokensFile.orElse(null), jwtKey.orElse(null), jwtIssuer.orElse(null), jwtAudience.orElse(null),
                jwtRoleClaim, protectReads));
        if (a.open()) {
            LOG.warn("no authentication configured (OE_API_TOKEN, OE_API_TOKEN_FILE, OE_TOKENS_FILE,"
                    + " OE_JWT_PUBLIC_KEY_FILE): the API is open to anyone who can reach it, every actor is 'anonymous'");
        } else {
            LOG.infof("API authentication: %s", a.describe());
        }
        return a;
    }
}
