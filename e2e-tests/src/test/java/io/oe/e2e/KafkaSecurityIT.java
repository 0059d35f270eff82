package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.deploy.MavenJarBrokerProviderFactory;
import io.oe.schemas.KafkaClientSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every service and tool authenticating to a broker that requires SASL/PLAIN, configured only by the documented
 * environment (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG): a plan runs to the end, a
 * client with the wrong password is refused, and the password appears in no log and no project file.
 */
class KafkaSecurityIT {
    static final String USER = "oe-engine";
    static final String PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        String jaas = KafkaClientSecurity.jaas("PLAIN", USER, PASSWORD);
        env = E2eStack.start("KafkaSecurityIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> options
                .runnersFile(new TestRunners().profile("demo", Map.of("OE_DEMO_DELAY_MS", "200")).agent("*", "demo")
                        .write(root.resolve("runners.json")))
                .env("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT").env("KAFKA_SASL_MECHANISM", "PLAIN")
                .env("KAFKA_SASL_JAAS_CONFIG", jaas), () -> MavenJarBrokerProviderFactory.create(b -> b.saslPlain(USER, PASSWORD)));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aPlanRunsOnABrokerThatRequiresSaslAndAWrongPasswordIsRefused() throws Exception {
        TestProject p = new TestProject(env.root, "sasl").tier("t", "sequential", 1, 2).tier("p", "parallel", 3, 4);
        for (int i = 1; i <= 4; i++) {
            p.phase(i, "@demo");
        }
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(120), "completion over SASL");
        assertThat(s.path("phases").findValuesAsText("status")).containsOnly("completed");

        // the broker really checks: the same user with another password gets an authentication error
        assertThatThrownBy(() -> describe(KafkaClientSecurity.jaas("PLAIN", USER, PASSWORD + "x")))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
        assertThat(describe(KafkaClientSecurity.jaas("PLAIN", USER, PASSWORD))).isPositive();

        // and the secret stays secret: not in any service's log, not in the files written into the project
        Path stackDir = env.dir.resolve("stack");
        try (Stream<Path> files = Stream.concat(Files.walk(stackDir.resolve("logs")), Files.walk(env.root))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")
                    || f.toString().endsWith(".json")).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(PASSWORD);
            }
        }
    }

    /** Nodes of the cluster, as a client with this JAAS line sees them. */
    private static int describe(String jaas) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Properties c = new Properties();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.broker.bootstrapServers());
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", "PLAIN");
        c.put("sasl.jaas.config", jaas);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        try (Admin admin = Admin.create(c)) {
            return admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
        }
    }
}
