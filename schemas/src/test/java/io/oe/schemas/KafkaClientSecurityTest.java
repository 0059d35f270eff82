package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void plaintextByDefault() {
        assertThat(KafkaClientSecurity.fromEnv(Map.of())).isEmpty();
        assertThat(KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "KAFKA_SASL_MECHANISM", "PLAIN"))).isEmpty();
    }

    @Test
    void saslAndTlsSettingsFromTheEnvironment() {
        String jaas = KafkaClientSecurity.jaas("SCRAM-SHA-512", "oe", "p\"w\\d");
        assertThat(jaas).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"oe\" password=\"p\\\"w\\\\d\";");
        var c = KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", jaas, "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12", "KAFKA_SSL_TRUSTSTORE_TYPE", ""));
        assertThat(c).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", jaas).containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
                .doesNotContainKey("ssl.truststore.type");
    }

    @Test
    void contradictionsNameTheVariable() {
        assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL")))
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL=SASL is not one of");
        assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")))
                .hasMessageContaining("needs KAFKA_SASL_MECHANISM");
        assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "GSSAPI")))
                .hasMessageContaining("got GSSAPI");
        assertThatThrownBy(() -> KafkaClientSecurity.fromEnv(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "PLAIN")))
                .hasMessageContaining("needs KAFKA_SASL_JAAS_CONFIG");
    }

    @Test
    void aHandBuiltClientCopiesOnlyTheSecurityOfTheQuarkusConfiguration() {
        Map<String, Object> quarkus = Map.of("bootstrap.servers", "b:9092", "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "x", "ssl.truststore.location", " ", "health.enabled", "true");
        assertThat(KafkaClientSecurity.of(quarkus)).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(KafkaClientSecurity.connectionOf(quarkus)).containsEntry("bootstrap.servers", "b:9092")
                .containsOnlyKeys("bootstrap.servers", "security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(KafkaClientSecurity.of(Map.of("security.protocol", "PLAINTEXT", "sasl.mechanism", "PLAIN")))
                .containsOnlyKeys("security.protocol");
    }
}
