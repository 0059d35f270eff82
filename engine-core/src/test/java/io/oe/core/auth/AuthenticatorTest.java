package io.oe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
    @TempDir
    Path dir;

    private Authenticator configured(String apiToken, boolean withTokensFile, boolean withJwt, boolean protectReads)
            throws Exception {
        String tokensFile = null;
        if (withTokensFile) {
            Path f = dir.resolve("tokens.yaml");
            String text = TokensFile.withEntry(null, f.toString(), "rita", Role.READER, "rita-token");
            text = TokensFile.withEntry(text, f.toString(), "otto", Role.OPERATOR, "otto-token");
            Files.writeString(f, text);
            tokensFile = f.toString();
        }
        String pem = null;
        if (withJwt) {
            Path p = dir.resolve("jwt.pem");
            Files.writeString(p, JwtVerifierTest.pem(KEY));
            pem = p.toString();
        }
        return Authenticator.configured(new Authenticator.Settings(apiToken, null, tokensFile, pem,
                pem == null ? null : "https://id.example.com", null, "groups", protectReads));
    }

    private static final RsaJsonWebKey KEY;

    static {
        try {
            KEY = RsaJwkGenerator.generateJwk(2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withNothingConfiguredEveryoneIsAnonymousAndMayDoEverything() throws Exception {
        Authenticator a = configured(null, false, false, false);
        assertThat(a.open()).isTrue();
        assertThat(a.check(null, AccessRule.COMMAND)).isEqualTo(new Access.Granted(new Identity("anonymous", Role.ADMIN)));
    }

    @Test
    void theSingleApiTokenIsAnAdminNamedApiTokenAndReadsStayOpenUnlessProtected() throws Exception {
        Authenticator a = configured("s3cret", false, false, false);
        assertThat(a.check("Bearer s3cret", AccessRule.COMMAND))
                .isEqualTo(new Access.Granted(new Identity("api-token", Role.ADMIN)));
        assertThat(a.check(null, AccessRule.COMMAND)).isInstanceOf(Access.Unauthenticated.class);
        assertThat(a.check(null, AccessRule.READ)).isEqualTo(new Access.Granted(new Identity("anonymous", Role.READER)));
        assertThat(configured("s3cret", false, false, true).check(null, AccessRule.READ))
                .isInstanceOf(Access.Unauthenticated.class);
    }

    @Test
    void withATokensFileReadsNeedATokenAndEachTokenActsAsItsIdentity() throws Exception {
        Authenticator a = configured("s3cret", true, false, false);
        assertThat(a.readsOpen()).isFalse();
        assertThat(a.check(null, AccessRule.READ)).isEqualTo(new Access.Unauthenticated(
                "missing bearer token: reading executions needs the reader role; send Authorization: Bearer <token>"));
        assertThat(a.check("Bearer rita-token", AccessRule.READ))
                .isEqualTo(new Access.Granted(new Identity("rita", Role.READER)));
        assertThat(a.check("bearer otto-token", AccessRule.COMMAND))
                .isEqualTo(new Access.Granted(new Identity("otto", Role.OPERATOR)));
        assertThat(a.check("Bearer s3cret", AccessRule.CHANGE_TRUSTED_CONFIGURATION))
                .isEqualTo(new Access.Granted(new Identity("api-token", Role.ADMIN)));
    }

    @Test
    void aRoleEscalationIsForbiddenNamingTheRoleNeeded() throws Exception {
        Authenticator a = configured(null, true, false, false);
        assertThat(a.check("Bearer rita-token", AccessRule.COMMAND)).isEqualTo(
                new Access.Forbidden("commanding an execution needs the operator role; rita is a reader"));
        assertThat(a.check("Bearer otto-token", AccessRule.CHANGE_TRUSTED_CONFIGURATION)).isEqualTo(
                new Access.Forbidden("changing the trusted configuration needs the admin role; otto is an operator"));
    }

    @Test
    void anUnknownTokenOrAnotherSchemeIsUnauthenticatedButAnOpenReadStaysOpen() throws Exception {
        Authenticator a = configured("s3cret", false, false, false);
        assertThat(a.check("Bearer guess", AccessRule.COMMAND))
                .isEqualTo(new Access.Unauthenticated("unknown bearer token: it is not the API token"));
        assertThat(a.check("Basic czNjcmV0", AccessRule.SUBMIT))
                .isEqualTo(new Access.Unauthenticated("the Authorization header must be 'Bearer <token>'"));
        assertThat(a.check("Bearer stale", AccessRule.READ))
                .isEqualTo(new Access.Granted(new Identity("anonymous", Role.READER)));
        assertThat(configured("s3cret", true, false, false).check("Bearer stale", AccessRule.READ))
                .as("protected reads check the token").isInstanceOf(Access.Unauthenticated.class);
    }

    @Test
    void aJwtIsVerifiedAndAWrongOneIsUnauthenticated() throws Exception {
        Authenticator a = configured(null, true, true, false);
        String good = JwtVerifierTest.sign(JwtVerifierTest.claims("jane", List.of("operator"), 5), KEY);
        assertThat(a.check("Bearer " + good, AccessRule.COMMAND))
                .isEqualTo(new Access.Granted(new Identity("jane", Role.OPERATOR)));
        String forged = JwtVerifierTest.sign(JwtVerifierTest.claims("jane", List.of("admin"), 5),
                RsaJwkGenerator.generateJwk(2048));
        assertThat(a.check("Bearer " + forged, AccessRule.COMMAND)).isInstanceOf(Access.Unauthenticated.class);
        String readerOnly = JwtVerifierTest.sign(JwtVerifierTest.claims("jim", List.of("reader"), 5), KEY);
        assertThat(a.check("Bearer " + readerOnly, AccessRule.SUBMIT)).isEqualTo(
                new Access.Forbidden("submitting a plan needs the operator role; jim is a reader"));
    }

    @Test
    void aMalformedTokensFileOrAnIssuerWithoutKeyStopsTheStart() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "tokens:\n  - {name: alice, role: boss, sha256: " + TokensFile.digest("x") + "}\n");
        assertThatThrownBy(() -> Authenticator.configured(new Authenticator.Settings(null, null, f.toString(), null,
                null, null, null, false))).hasMessageContaining("entry 1 (alice): unknown role 'boss'");
        assertThatThrownBy(() -> Authenticator.configured(new Authenticator.Settings(null, null, null, null,
                "https://id", null, null, false))).hasMessageContaining("OE_JWT_ISSUER is set without OE_JWT_PUBLIC_KEY_FILE");
        assertThatThrownBy(() -> Authenticator.configured(new Authenticator.Settings(null, null, null, null,
                null, null, null, true))).hasMessageStartingWith("OE_PROTECT_READS=true needs");
    }
}
