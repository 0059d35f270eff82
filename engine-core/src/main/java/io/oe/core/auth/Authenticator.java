package io.oe.core.auth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a request is and whether it may do what it asks, from its {@code Authorization} header and the services' trusted
 * configuration: the single API token (an admin named {@code api-token}), the tokens file, a JWT issuer's key. Both
 * services' filters ask {@link #check}; {@link AccessRule} says which role each operation needs.
 *
 * <p>With nothing configured the services are open: everyone is {@code anonymous} and may do everything (a laptop). With
 * a tokens file or JWTs, reads need a token too; with only the single token, reads need it when
 * {@code OE_PROTECT_READS=true}.
 */
public final class Authenticator {
    private final Optional<BearerToken> apiToken;
    private final Optional<TokensFile> tokens;
    private final Optional<JwtVerifier> jwt;
    private final boolean readsOpen;

    /** The trusted settings, as the services' configuration gives them (blank or null: not set). */
    public record Settings(String apiToken, String apiTokenFile, String tokensFile, String jwtPublicKeyFile,
            String jwtIssuer, String jwtAudience, String jwtRoleClaim, boolean protectReads) {
    }

    Authenticator(Optional<BearerToken> apiToken, Optional<TokensFile> tokens, Optional<JwtVerifier> jwt,
            boolean protectReads) {
        this.apiToken = apiToken;
        this.tokens = tokens;
        this.jwt = jwt;
        if (protectReads && open()) {
            throw new IllegalStateException("OE_PROTECT_READS=true needs OE_API_TOKEN, OE_API_TOKEN_FILE, OE_TOKENS_FILE"
                    + " or OE_JWT_PUBLIC_KEY_FILE");
        }
        this.readsOpen = !protectReads && tokens.isEmpty() && jwt.isEmpty();
    }

    /** From the settings; a malformed tokens file or key stops the caller (the service's start) with what is wrong. */
    public static Authenticator configured(Settings s) {
        Optional<TokensFile> tokens = set(s.tokensFile()) ? Optional.of(TokensFile.read(Path.of(s.tokensFile())))
                : Optional.empty();
        if (!set(s.jwtPublicKeyFile()) && set(s.jwtIssuer())) {
            throw new IllegalArgumentException("OE_JWT_ISSUER is set without OE_JWT_PUBLIC_KEY_FILE: JWTs cannot be verified");
        }
        Optional<JwtVerifier> jwt = set(s.jwtPublicKeyFile())
                ? Optional.of(JwtVerifier.fromPemFile(Path.of(s.jwtPublicKeyFile()), s.jwtIssuer(), s.jwtAudience(),
                s.jwtRoleClaim()))
                : Optional.empty();
        return new Authenticator(BearerToken.configured(s.apiToken(), s.apiTokenFile()), tokens, jwt, s.protectReads());
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    /** No credentials configured: everyone is anonymous and may do everything (the service warns at start). */
    public boolean open() {
        return apiToken.isEmpty() && tokens.isEmpty() && jwt.isEmpty();
    }

    /** Whether a read without a token is allowed (as {@code anonymous}). */
    public boolean readsOpen() {
        return readsOpen;
    }

    /** What is configured, for the start log: never a token or digest. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        apiToken.ifPresent(t -> parts.add("the API token (identity " + Identity.API_TOKEN + ", admin)"));
        tokens.ifPresent(t -> parts.add("the tokens file (" + t.entries().size() + " identities)"));
        jwt.ifPresent(j -> parts.add(j.toString()));
        return parts.isEmpty() ? "no authentication (open: everyone is anonymous and may do everything)"
                : String.join(", ", parts) + (readsOpen ? "; reads open" : "; reads need a token");
    }

    /**
     * Whether the request with this {@code Authorization} header (null: none) may do what {@code rule} guards. An open
     * read stays open whatever token comes with it (a stale one in a dashboard reads as {@code anonymous}, as before
     * tokens had identities); everywhere else a token that does not authenticate is a 401.
     */
    public Access check(String authorizationHeader, AccessRule rule) {
        if (open()) {
            return new Access.Granted(new Identity(Identity.ANONYMOUS, Role.ADMIN));
        }
        Access found = authenticate(authorizationHeader, rule);
        if (found instanceof Access.Unauthenticated && rule == AccessRule.READ && readsOpen) {
            return new Access.Granted(new Identity(Identity.ANONYMOUS, Role.READER));
        }
        if (found instanceof Access.Granted g && !rule.allows(g.identity())) {
            return new Access.Forbidden(rule.refusal(g.identity()));
        }
        return found;
    }

    private Access authenticate(String authorizationHeader, AccessRule rule) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Access.Unauthenticated("missing bearer token: " + rule.refusal(null) + "; send Authorization:"
                    + " Bearer <token>");
        }
        if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7) || authorizationHeader.length() <= 7) {
            return new Access.Unauthenticated("the Authorization header must be 'Bearer <token>'");
        }
        Identity identity;
        try {
            identity = identify(authorizationHeader.substring(7).strip(), authorizationHeader);
        } catch (JwtVerifier.Refused e) {
            return e.forbidden() ? new Access.Forbidden(e.getMessage()) : new Access.Unauthenticated(e.getMessage());
        }
        if (identity == null) {
            return new Access.Unauthenticated("unknown bearer token: it is not the API token"
                    + (tokens.isPresent() ? " nor in the tokens file" : "")
                    + (jwt.isPresent() ? " nor a JWT" : ""));
        }
        return new Access.Granted(identity);
    }

    private Identity identify(String credential, String header) throws JwtVerifier.Refused {
        if (apiToken.isPresent() && apiToken.get().accepts(header)) {
            return new Identity(Identity.API_TOKEN, Role.ADMIN);
        }
        if (tokens.isPresent()) {
            Optional<Identity> known = tokens.get().identify(credential);
            if (known.isPresent()) {
                return known.get();
            }
        }
        if (jwt.isPresent() && JwtVerifier.looksLikeJwt(credential)) {
            return jwt.get().verify(credential);
        }
        return null;
    }

    @Override
    public String toString() {
        return "Authenticator(" + describe() + ")";
    }
}
