package io.oe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
}
