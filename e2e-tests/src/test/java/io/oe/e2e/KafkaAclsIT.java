package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.deploy.MavenJarBrokerProviderFactory;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every service on its own Kafka identity, on a broker that authorizes by the ACLs of {@link KafkaAccess}: a plan runs
 * to the end, and a client authenticated as one service is refused, with the broker's authorization error, when it
 * writes a topic it does not own or joins another service's consumer group.
 */
class KafkaAclsIT {
    static final String ADMIN = "oe-admin";
    static final String ADMIN_PASSWORD = secret();
    static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        KafkaAccess.services().forEach(a -> PASSWORDS.put(a.name(), secret()));
        env = E2eStack.start("KafkaAclsIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            options.runnersFile(new TestRunners().profile("demo", Map.of("OE_DEMO_DELAY_MS", "200")).agent("*", "demo")
                            .write(root.resolve("runners.json")))
                    .env("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT").env("KAFKA_SASL_MECHANISM", "PLAIN")
                    // the shared login is the stack's admin (it creates the topics); every service has its own
                    .env("KAFKA_SASL_JAAS_CONFIG", KafkaClientSecurity.jaas("PLAIN", ADMIN, ADMIN_PASSWORD));
            PASSWORDS.forEach((service, password) -> options.env(KafkaClientSecurity.serviceJaasVariable(service), jaas(service)));
        }, () -> MavenJarBrokerProviderFactory.create(b -> b.saslPlain(ADMIN, ADMIN_PASSWORD).identities(PASSWORDS)));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aPlanRunsToTheEndWithEveryServiceOnItsOwnIdentity() throws Exception {
        TestProject p = new TestProject(env.root, "acls").tier("t", "sequential", 1, 2).tier("p", "parallel", 3, 4);
        for (int i = 1; i <= 4; i++) {
            p.phase(i, "@demo");
        }
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(180), "completion with ACLs on");
        assertThat(s.path("phases").findValuesAsText("status")).containsOnly("completed");
        for (String service : LocalStack.SERVICES.keySet()) {
            String log = Files.readString(env.dir.resolve("stack/logs").resolve(service + ".log"), StandardCharsets.ISO_8859_1);
            assertThat(log).as(service).contains("Kafka identity: " + service + "'s own login");
            assertThat(log).as(service).doesNotContain(PASSWORDS.get(service));
        }
    }

    @Test
    void theGatewaysIdentityMayNotWriteCommandsOrHandoffs() {
        try (KafkaProducer<byte[], byte[]> producer = producer("agent-gateway")) {
            for (String topic : List.of(Topics.EXECUTION_CONTROL.name(), Topics.HANDOFF_VALIDATED.name())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "x".getBytes(), "x".getBytes())).get(20, TimeUnit.SECONDS))
                        .as(topic).hasCauseInstanceOf(TopicAuthorizationException.class).hasMessageContaining(topic);
            }
        }
    }

    @Test
    void theGatewaysIdentityMayNotJoinAnotherServicesGroupButReadsWhatItOwns() {
        // a topic it may read, in the plan-loader's group: the group is what is refused
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("agent-gateway", "oe-plan-loader")) {
            consumer.subscribe(List.of(Topics.PHASE_READY.name()));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class)
                    .hasMessageContaining("oe-plan-loader");
        }
        // and what it owns it may read (without a group, as its cancellation reader does)
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("agent-gateway", null)) {
            TopicPartition p0 = new TopicPartition(Topics.EXECUTION_STATUS.name(), 0);
            assertThat(consumer.endOffsets(List.of(p0), Duration.ofSeconds(20))).containsKey(p0);
            TopicPartition control = new TopicPartition(Topics.EXECUTION_CONTROL.name(), 0);
            assertThatThrownBy(() -> consumer.endOffsets(List.of(control), Duration.ofSeconds(20)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String identity) {
        Properties c = client(identity);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String identity, String group) {
        Properties c = client(identity);
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Properties client(String identity) {
        Properties c = new Properties();
        c.put("bootstrap.servers", env.broker.bootstrapServers());
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", "PLAIN");
        c.put("sasl.jaas.config", jaas(identity));
        return c;
    }

    private static String jaas(String identity) {
        return KafkaClientSecurity.jaas("PLAIN", KafkaAccess.of(identity).user(), PASSWORDS.get(identity));
    }

    private static String secret() {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    }
}
