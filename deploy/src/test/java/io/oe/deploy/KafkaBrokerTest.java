package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.ExecutionCommand;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real Maven-jar broker, creates the engine topics (and brings drifted settings back to the contract),
 * produces and consumes an Avro event.
 */
class KafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void startsCreatesTopicsRoundTripsAnEventAndStops() throws Exception {
        long t0 = System.nanoTime();
        KafkaBroker broker = KafkaBroker.builder().dir(dir).build().start();
        try {
            System.out.printf("broker ready in %d ms on %s%n", (System.nanoTime() - t0) / 1_000_000,
                    broker.bootstrapServers());
            String props = Files.readString(broker.propertiesFile());
            assertThat(props).contains("offsets.topic.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.min.isr=1", "advertised.listeners=PLAINTEXT://localhost:" + broker.port());
            broker.createEngineTopics();
            ConfigResource engineState = new ConfigResource(ConfigResource.Type.TOPIC, "engine-state");
            ConfigResource agentOutput = new ConfigResource(ConfigResource.Type.TOPIC, "agent-output");
            try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                // a stack made by an earlier release: a topic not compacted yet, another without its retention
                admin.incrementalAlterConfigs(Map.of(
                        engineState, List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET)),
                        agentOutput, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET))))
                        .all().get(10, TimeUnit.SECONDS);
            }
            broker.createEngineTopics(); // idempotent, and brings the settings of existing topics to the contract

            try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(names).containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
                Map<String, TopicDescription> d = admin.describeTopics(List.of("engine-state", "plan-loaded"))
                        .allTopicNames().get(10, TimeUnit.SECONDS);
                assertThat(d.get("plan-loaded").partitions()).hasSize(Topics.PARTITIONS);
                var cfg = admin.describeConfigs(List.of(engineState, agentOutput)).all().get(10, TimeUnit.SECONDS);
                assertThat(cfg.get(engineState).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(cfg.get(agentOutput).get("retention.ms").value())
                        .isEqualTo(String.valueOf(Topics.AGENT_OUTPUT.retention().toMillis()));
            }

            String executionId = "exec-" + UUID.randomUUID();
            ExecutionCommand cmd = ExecutionCommand.newBuilder()
                    .setExecutionId(executionId)
                    .setCommand(io.oe.events.CommandKind.START)
                    .setActor("test").setCommandId(UUID.randomUUID().toString()).setAt(java.time.Instant.now())
                    .build();
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            pp.put(ProducerConfig.ACKS_CONFIG, "all");
            pp.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            try (var producer = new KafkaProducer<>(pp, new StringSerializer(),
                    Topics.EXECUTION_CONTROL.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(Topics.EXECUTION_CONTROL.name(), executionId, cmd))
                        .get(10, TimeUnit.SECONDS);
            }
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, ExecutionCommand>> got = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(cp, new StringDeserializer(),
                    Topics.EXECUTION_CONTROL.valueSerde().deserializer())) {
                consumer.subscribe(List.of(Topics.EXECUTION_CONTROL.name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                }
            }
            assertThat(got).hasSize(1);
            assertThat(got.get(0).key()).isEqualTo(executionId);
            assertThat(got.get(0).value().getCommand()).isEqualTo(io.oe.events.CommandKind.START);
            assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");
        } finally {
            long t1 = System.nanoTime();
            broker.stop();
            System.out.printf("broker stopped in %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        }
        assertThat(broker.process().isAlive()).isFalse();
    }

    @Test
    void clusterIdLooksLikeKafkas() {
        assertThat(BrokerSettings.clusterId()).matches("[A-Za-z0-9_-]{22}");
        // one random id in 64 starts with '-', which the storage tool takes for an option
        for (int i = 0; i < 2_000; i++) {
            assertThat(BrokerSettings.clusterId()).doesNotStartWith("-");
        }
    }
}
