package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's authorization settings, without starting one. */
class KafkaBrokerIdentitiesTest {
    private static final Path DIR = Path.of("target/broker-identities");

    @Test
    void withIdentitiesTheBrokerAuthorizesAndKnowsEachServiceAsAPlainUser() {
        KafkaBroker b = KafkaBroker.builder().dir(DIR).port(1).controllerPort(2).classpathFile(DIR)
                .saslPlain("admin", "a").identities(Map.of("agent-gateway", "g\"w")).build();
        String props = b.serverProperties();
        assertThat(props).contains("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .contains("super.users=User:admin;User:ANONYMOUS")
                .contains("user_oe-agent-gateway=\"g\\\"w\"");
        assertThat(b.clientSecurity("agent-gateway").get("sasl.jaas.config").toString()).contains("username=\"oe-agent-gateway\"");
    }

    @Test
    void withoutIdentitiesNoAuthorizer() {
        KafkaBroker b = KafkaBroker.builder().dir(DIR).port(1).controllerPort(2).classpathFile(DIR).saslPlain("admin", "a").build();
        assertThat(b.serverProperties()).doesNotContain("authorizer.class.name");
    }

    @Test
    void anUnknownIdentityOrOneWithoutAnAdminIsRefused() {
        assertThatThrownBy(() -> KafkaBroker.builder().dir(DIR).port(1).controllerPort(2).classpathFile(DIR)
                .saslPlain("admin", "a").identities(Map.of("gateway", "x")).build())
                .hasMessageStartingWith("no Kafka identity 'gateway': one of plan-loader,");
        assertThatThrownBy(() -> KafkaBroker.builder().dir(DIR).port(1).controllerPort(2).classpathFile(DIR)
                .identities(Map.of("agent-gateway", "x")).build())
                .hasMessageContaining("need saslPlain(user, password) for the admin");
    }
}
