package io.oe.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private final KafkaSettings kafka = new KafkaSettings(Map.of("bootstrap.servers", "broker:9092",
            "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", "x required;"), 3000, 250);

    @Test
    void anAdminClientConnectsAsEveryClientDoesAndNoticesTheBrokerSoon() {
        Map<String, Object> admin = kafka.admin("oe-probe");
        assertThat(admin).containsEntry("bootstrap.servers", "broker:9092").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "oe-probe").containsEntry("reconnect.backoff.max.ms", 250);
        assertThat(kafka.admin(null)).doesNotContainKey("client.id");
    }

    @Test
    void aReaderNoStepWaitsForFetchesWhatGatheredAtItsWaitNotEachRecord() {
        Map<String, Object> offPath = kafka.offPathConsumer("g");
        assertThat(offPath).containsEntry("group.id", "g").containsEntry("isolation.level", "read_committed")
                .containsEntry("fetch.max.wait.ms", 250).containsEntry("fetch.min.bytes", 1 << 20);
        assertThat(kafka.consumer("g")).containsEntry("fetch.max.wait.ms", 3000).doesNotContainKey("fetch.min.bytes");
    }

    @Test
    void aWaitOfZeroMakesAnOffPathReaderFetchAsEveryConsumerDoes() {
        KafkaSettings plain = new KafkaSettings(Map.of("bootstrap.servers", "broker:9092"), 3000, 0);
        assertThat(plain.offPathConsumer("g")).isEqualTo(plain.consumer("g"));
        assertThat(plain.offPathFetch()).isEmpty();
    }

    @Test
    void eachCallGivesItsOwnCopyOfTheSettings() {
        kafka.admin("a").put("bootstrap.servers", "elsewhere:1");
        assertThat(kafka.connection()).containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void aServiceWithItsOwnLoginUsesItInsteadOfTheSharedOne() {
        Map<String, Object> sasl = Map.of("bootstrap.servers", "b:1", "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "shared required;");
        assertThat(new KafkaSettings(sasl, 3000, 0, "agent-gateway", Optional.of("own required;")).connection())
                .containsEntry("sasl.jaas.config", "own required;");
        assertThat(new KafkaSettings(sasl, 3000, 0, "agent-gateway", Optional.of(" ")).connection())
                .containsEntry("sasl.jaas.config", "shared required;");
        assertThat(new KafkaSettings(sasl, 3000, 0, "agent-gateway", Optional.empty()).producer())
                .containsEntry("sasl.jaas.config", "shared required;");
    }

    @Test
    void anOwnLoginWithoutSaslIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> new KafkaSettings(Map.of("bootstrap.servers", "b:1"), 3000, 0, "plan-loader", Optional.of("own required;")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OE_KAFKA_JAAS_PLAN_LOADER is set, but KAFKA_SECURITY_PROTOCOL is PLAINTEXT, not SASL_PLAINTEXT or "
                        + "SASL_SSL: a login needs SASL");
    }
}
