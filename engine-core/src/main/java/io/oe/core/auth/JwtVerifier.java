package io.oe.core.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Bearer JWTs from an identity provider (OIDC access tokens, or tokens a CI system signs): verified against a configured
 * public key and issuer, never trusted unsigned. The name comes from {@code preferred_username}, else {@code sub}; the
 * role from a configured claim (a string or a list; the highest role it names counts).
 */
public final class JwtVerifier {
    /** Asymmetric algorithms only: a shared-secret HMAC or {@code none} could be forged by whoever holds the key file. */
    private static final String[] ALGORITHMS = {AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512};
    private static final int CLOCK_SKEW_SECONDS = 30;

    private final JwtConsumer consumer;
    private final String issuer;
    private final String roleClaim;

    /** Refused JWTs: the reason says what is wrong, never the token. */
    public static final class Refused extends Exception {
        private final boolean forbidden;

        Refused(String reason, boolean forbidden) {
            super(reason, null, false, false);
            this.forbidden = forbidden;
        }

        /** A valid token that grants no role (403), rather than one that does not authenticate (401). */
        public boolean forbidden() {
            return forbidden;
        }
    }

    /**
     * @param key       the provider's public key (RSA or EC)
     * @param issuer    the {@code iss} every token must carry
     * @param audience  the {@code aud} a token must include, or null to accept any
     * @param roleClaim the claim holding the role, e.g. {@code groups} or {@code roles}
     */
    public JwtVerifier(PublicKey key, String issuer, String audience, String roleClaim) {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("a JWT public key needs an issuer (OE_JWT_ISSUER): tokens of any issuer"
                    + " signed by that key would be accepted");
        }
        JwtConsumerBuilder b = new JwtConsumerBuilder().setRequireExpirationTime().setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS).setExpectedIssuer(issuer).setVerificationKey(key)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS));
        if (audience == null || audience.isBlank()) {
            b.setSkipDefaultAudienceValidation();
        } else {
            b.setExpectedAudience(audience);
        }
        this.consumer = b.build();
        this.issuer = issuer;
        this.roleClaim = roleClaim == null || roleClaim.isBlank() ? "groups" : roleClaim;
    }

    /** A verifier from a PEM public key file ({@code -----BEGIN PUBLIC KEY-----}, RSA or EC). */
    public static JwtVerifier fromPemFile(Path pem, String issuer, String audience, String roleClaim) {
        return new JwtVerifier(publicKey(pem), issuer, audience, roleClaim);
    }

    /** Whether a bearer credential has the shape of a JWT (three base64url parts) rather than an opaque token. */
    public static boolean looksLikeJwt(String credential) {
        return credential.chars().filter(c -> c == '.').count() == 2;
    }

    /** The identity a valid token carries. */
    public Identity verify(String jwt) throws Refused {
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(jwt);
        } catch (InvalidJwtException e) { // its message quotes the token: never passed on
            throw new Refused(reason(e), false);
        }
        String name = claims.getClaimValueAsString("preferred_username");
        try {
            if (name == null) {
                name = claims.getSubject();
            }
        } catch (MalformedClaimException e) {
            throw new Refused("the JWT's sub is not a string", false);
        }
        if (name == null || !Identity.NAME.matcher(name).matches()) {
            throw new Refused("the JWT's preferred_username or sub must be 1 to 128 letters, digits or _ . @ : + -", false);
        }
        Optional<Role> role = role(claims.getClaimValue(roleClaim));
        if (role.isEmpty()) {
            throw new Refused(name + "'s JWT grants no role: its claim '" + roleClaim + "' names none of "
                    + Role.labels(), true);
        }
        return new Identity(name, role.get());
    }

    private static Optional<Role> role(Object claim) {
        List<Object> values = new ArrayList<>();
        if (claim instanceof List<?> list) {
            values.addAll(list);
        } else if (claim != null) {
            values.addAll(List.of(String.valueOf(claim).split("[ ,]+"))); // "operator" or a space-separated scope-like string
        }
        return values.stream().map(v -> Role.named(String.valueOf(v))).flatMap(Optional::stream)
                .max(Enum::compareTo);
    }

    private String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            String at = "";
            try {
                at = " at " + e.getJwtContext().getJwtClaims().getExpirationTime().toString();
            } catch (RuntimeException | MalformedClaimException ignored) {
                // the time is a detail
            }
            return "the JWT expired" + at + ": get a new one";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "the JWT's signature does not verify with the configured public key (OE_JWT_PUBLIC_KEY_FILE)";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "the JWT's issuer is not " + issuer + " (OE_JWT_ISSUER)";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "the JWT is not meant for this engine: its aud lacks the configured audience (OE_JWT_AUDIENCE)";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "the JWT has no exp: tokens without an expiry are refused";
        }
        if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return "the JWT has no sub";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return "the JWT is not valid yet (nbf)";
        }
        return "the JWT is malformed or not signed with one of " + String.join(", ", ALGORITHMS)
                + " (unsigned tokens, alg none and shared-secret HMAC are refused)";
    }

    static PublicKey publicKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("JWT public key file " + pem + " cannot be read: " + e.getMessage(), e);
        }
        if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("JWT public key file " + pem + " must be a PEM public key"
                    + " (-----BEGIN PUBLIC KEY-----, RSA or EC)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT public key file " + pem + ": not valid base64 inside the PEM markers");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException ignored) {
                // try the next kind
            }
        }
        throw new IllegalArgumentException("JWT public key file " + pem + " holds neither an RSA nor an EC public key");
    }

    @Override
    public String toString() {
        return "JwtVerifier(issuer " + issuer + ", role claim " + roleClaim + ")";
    }
}
