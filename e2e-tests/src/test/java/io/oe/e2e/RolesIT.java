package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.core.auth.Role;
import io.oe.core.auth.TokensFile;
import io.oe.events.ExecutionCommand;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * People and roles on the real stack (#23): a tokens file with a reader and an operator, and JWTs signed by the test's
 * own key. A reader reads but cannot command (403, nothing published); reads without a token are refused; an operator's
 * commands record the operator as actor whatever the body says; a JWT of the configured issuer works, one signed by
 * another key gets 401.
 */
class RolesIT {
    static final String ISSUER = "https://id.roles-it.example";
    static final String READER = "rita-token-" + System.nanoTime();
    static final String OPERATOR = "otto-token-" + System.nanoTime();
    static final Duration WAIT = Duration.ofSeconds(90);
    static E2eStack env;
    static RsaJsonWebKey key;

    @BeforeAll
    static void startStack() throws Exception {
        key = RsaJwkGenerator.generateJwk(2048);
        env = E2eStack.standalone("RolesIT", (root, options) -> {
            try {
                Path trusted = Files.createDirectories(root.getParent().resolve("trusted"));
                String tokens = TokensFile.withEntry(null, "tokens.yaml", "rita", Role.READER, READER);
                tokens = TokensFile.withEntry(tokens, "tokens.yaml", "otto", Role.OPERATOR, OPERATOR);
                Path tokensFile = Files.writeString(trusted.resolve("tokens.yaml"), tokens);
                Path pem = Files.writeString(trusted.resolve("idp.pem"), "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(key.getPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
                Path runners = new TestRunners().profile("demo", Map.of("OE_DEMO_DELAY_MS", "100")).agent("*", "demo")
                        .write(root.resolve("runners.json"));
                options.runnersFile(runners).env("OE_TOKENS_FILE", tokensFile.toString())
                        .env("OE_JWT_PUBLIC_KEY_FILE", pem.toString()).env("OE_JWT_ISSUER", ISSUER);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    /** A one-phase execution that waits for an approval: no agent runs until someone approves. */
    private static TestProject gated(String name) {
        TestProject p = new TestProject(env.root, name).tier("t", "sequential", 1);
        p.phase(1, "@doc").put("approval", true);
        return p;
    }

    static String jwt(String sub, List<String> groups, float minutes, RsaJsonWebKey signer) throws Exception {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setSubject(sub);
        c.setExpirationTimeMinutesInTheFuture(minutes);
        c.setClaim("groups", groups);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void aReaderReadsButCannotCommandOrSubmitAndNothingIsPublished() throws Exception {
        Api operator = env.api().withToken(OPERATOR);
        Api reader = env.api().withToken(READER);
        TestProject p = gated("reader");
        String id = p.submit(operator);
        assertThat(env.events(Topics.PLAN_LOADED, id)).extracting(PlanLoaded::getSubmittedBy).containsExactly("otto");

        await(reader, id, phaseIs(1, "waiting_for_approval"), WAIT, "the approval gate, read by a reader");
        Api.Response anonymous = env.api().withToken(null).state(id);
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(401);
        assertThat(anonymous.body()).contains("missing bearer token", "reader role");

        Api.Response approve = reader.command(id, command("APPROVE", 1));
        assertThat(approve.status()).as(approve.body()).isEqualTo(403);
        assertThat(approve.json().path("error").asText())
                .isEqualTo("commanding an execution needs the operator role; rita is a reader");
        Api.Response submit = reader.createExecution(gated("reader-submits").bundle());
        assertThat(submit.status()).as(submit.body()).isEqualTo(403);
        assertThat(submit.body()).contains("submitting a plan needs the operator role");

        Thread.sleep(1000);
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).as("a refused command publishes nothing").isEmpty();
        assertThat(reader.state(id).json().path("phases").path("1").path("status").asText())
                .isEqualTo("waiting_for_approval");
    }

    @Test
    void anOperatorsCommandRecordsTheOperatorAsActorEvenWhenTheBodyNamesSomeoneElse() throws Exception {
        Api operator = env.api().withToken(OPERATOR);
        String id = gated("operator").submit(operator);
        await(operator, id, phaseIs(1, "waiting_for_approval"), WAIT, "the approval gate");

        ObjectNode lying = command("APPROVE", 1).put("actor", "mallory");
        Api.Response r = commandOnceSeen(operator, id, lying);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("actor").asText()).isEqualTo("otto");
        assertThat(r.json().path("ignored").asText())
                .isEqualTo("actor 'mallory' in the body is ignored: the actor is the authenticated identity otto");

        await(operator, id, execution("completed"), WAIT, "completion after the operator's approval");
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).extracting(ExecutionCommand::getActor).containsExactly("otto");
        assertThat(operator.log(id).body()).contains("APPROVE phase 1 by otto").doesNotContain("mallory");
    }

    @Test
    void aJwtSignedByTheConfiguredKeyWorksAndAWrongKeyExpiredOrUnsignedOneGets401() throws Exception {
        Api jane = env.api().withToken(jwt("jane", List.of("developers", "operator"), 5, key));
        String id = gated("jwt").submit(jane);
        assertThat(env.events(Topics.PLAN_LOADED, id)).extracting(PlanLoaded::getSubmittedBy).containsExactly("jane");
        await(jane, id, phaseIs(1, "waiting_for_approval"), WAIT, "the approval gate, read with a JWT");

        Api forged = env.api().withToken(jwt("jane", List.of("admin"), 5, RsaJwkGenerator.generateJwk(2048)));
        Api.Response wrongKey = forged.command(id, command("APPROVE", 1));
        assertThat(wrongKey.status()).as(wrongKey.body()).isEqualTo(401);
        assertThat(wrongKey.body()).contains("signature does not verify");
        Api.Response expired = env.api().withToken(jwt("jane", List.of("operator"), -5, key)).command(id, command("APPROVE", 1));
        assertThat(expired.status()).as(expired.body()).isEqualTo(401);
        assertThat(expired.body()).contains("the JWT expired");
        String unsigned = b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"" + ISSUER
                + "\",\"sub\":\"mallory\",\"groups\":[\"admin\"],\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}") + ".";
        assertThat(env.api().withToken(unsigned).command(id, command("APPROVE", 1)).status()).isEqualTo(401);
        assertThat(env.events(Topics.EXECUTION_CONTROL, id)).as("refused tokens publish nothing").isEmpty();

        Api.Response approve = commandOnceSeen(jane, id, command("APPROVE", 1));
        assertThat(approve.status()).as(approve.body()).isEqualTo(202);
        await(jane, id, execution("completed"), WAIT, "completion after jane's approval");
        assertThat(jane.log(id).body()).contains("APPROVE phase 1 by jane");
        // the stack's own API token stays valid: an admin named api-token
        assertThat(env.api().state(id).status()).isEqualTo(200);
    }

    /**
     * The plan-loader's view of an execution trails the monitor's by a moment: a command sent the instant the monitor
     * shows the gate may still find the phase pending (409, nothing published); it is sent again until it applies.
     */
    private static Api.Response commandOnceSeen(Api api, String id, ObjectNode command) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Api.Response r = api.command(id, command);
        while (r.status() == 409 && System.nanoTime() < end) {
            Thread.sleep(200);
            r = api.command(id, command);
        }
        return r;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
