package io.oe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
    private static final String ISSUER = "https://id.example.com";
    private static final RsaJsonWebKey KEY = key();
    private static final RsaJsonWebKey OTHER_KEY = key();
    private final JwtVerifier verifier = new JwtVerifier(KEY.getPublicKey(), ISSUER, null, "groups");

    private static RsaJsonWebKey key() {
        try {
            return RsaJwkGenerator.generateJwk(2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JwtClaims claims(String sub, Object groups, float minutesToExpiry) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setSubject(sub);
        c.setExpirationTimeMinutesInTheFuture(minutesToExpiry);
        c.setIssuedAtToNow();
        if (groups != null) {
            c.setClaim("groups", groups);
        }
        return c;
    }

    static String sign(JwtClaims claims, RsaJsonWebKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void aSignedTokenGivesItsSubjectAndTheHighestRoleItsGroupsName() throws Exception {
        assertThat(verifier.verify(sign(claims("alice", List.of("dev", "reader", "operator"), 5), KEY)))
                .isEqualTo(new Identity("alice", Role.OPERATOR));
        assertThat(verifier.verify(sign(claims("bob", "reader", 5), KEY))).isEqualTo(new Identity("bob", Role.READER));
    }

    @Test
    void preferredUsernameIsTheNameWhenPresent() throws Exception {
        JwtClaims c = claims("0b1c-uuid", List.of("admin"), 5);
        c.setClaim("preferred_username", "carol@example.com");
        assertThat(verifier.verify(sign(c, KEY))).isEqualTo(new Identity("carol@example.com", Role.ADMIN));
    }

    @Test
    void anExpiredTokenIsRefusedSayingSo() {
        assertThatThrownBy(() -> verifier.verify(sign(claims("alice", List.of("operator"), -5), KEY)))
                .isInstanceOf(JwtVerifier.Refused.class).hasMessageStartingWith("the JWT expired at ")
                .satisfies(e -> assertThat(((JwtVerifier.Refused) e).forbidden()).isFalse());
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        assertThatThrownBy(() -> verifier.verify(sign(claims("alice", List.of("admin"), 5), OTHER_KEY)))
                .hasMessage("the JWT's signature does not verify with the configured public key (OE_JWT_PUBLIC_KEY_FILE)");
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsRefused() throws Exception {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String token = header + "." + b64(claims("mallory", List.of("admin"), 5).toJson()) + ".";
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("unsigned tokens, alg none and"
                + " shared-secret HMAC are refused").hasMessageNotContaining(token);
    }

    @Test
    void aTokenSignedWithASharedSecretIsRefused() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims("mallory", List.of("admin"), 5).toJson());
        jws.setKey(new HmacKey("a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8)));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        String token = jws.getCompactSerialization();
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("alg none and shared-secret HMAC are refused");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        JwtClaims c = claims("alice", List.of("admin"), 5);
        c.setIssuer("https://evil.example.com");
        assertThatThrownBy(() -> verifier.verify(sign(c, KEY)))
                .hasMessage("the JWT's issuer is not https://id.example.com (OE_JWT_ISSUER)");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        JwtClaims c = claims("alice", List.of("admin"), 5);
        c.unsetClaim("exp");
        assertThatThrownBy(() -> verifier.verify(sign(c, KEY))).hasMessage("the JWT has no exp: tokens without an expiry are refused");
    }

    @Test
    void aValidTokenNamingNoRoleIsForbiddenNotUnauthenticated() {
        assertThatThrownBy(() -> verifier.verify(sign(claims("dave", List.of("dev"), 5), KEY)))
                .hasMessage("dave's JWT grants no role: its claim 'groups' names none of reader, operator, admin")
                .satisfies(e -> assertThat(((JwtVerifier.Refused) e).forbidden()).isTrue());
    }

    @Test
    void anAudienceWhenConfiguredMustBeInTheToken() throws Exception {
        JwtVerifier withAudience = new JwtVerifier(KEY.getPublicKey(), ISSUER, "oe", "groups");
        JwtClaims c = claims("alice", List.of("reader"), 5);
        assertThatThrownBy(() -> withAudience.verify(sign(c, KEY))).hasMessageContaining("OE_JWT_AUDIENCE");
        c.setAudience("oe");
        assertThat(withAudience.verify(sign(c, KEY)).name()).isEqualTo("alice");
    }

    @Test
    void theKeyIsReadFromAPemFileAndAKeyWithoutIssuerIsRefused(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("key.pem");
        Files.writeString(pem, pem(KEY));
        JwtVerifier fromFile = JwtVerifier.fromPemFile(pem, ISSUER, null, "roles");
        JwtClaims c = claims("erin", null, 5);
        c.setClaim("roles", List.of("operator"));
        assertThat(fromFile.verify(sign(c, KEY))).isEqualTo(new Identity("erin", Role.OPERATOR));
        assertThatThrownBy(() -> JwtVerifier.fromPemFile(pem, "", null, "roles")).hasMessageContaining("OE_JWT_ISSUER");
        Files.writeString(pem, "not a key");
        assertThatThrownBy(() -> JwtVerifier.fromPemFile(pem, ISSUER, null, "roles"))
                .hasMessageContaining(pem + " must be a PEM public key");
    }

    static String pem(RsaJsonWebKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
