package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.schemas.KafkaAccess.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    @Test
    void everyTopicHasAWriterAndAReader() {
        for (Topic<?> t : Topics.ALL) {
            assertThat(KafkaAccess.all()).as("writers of %s", t.name()).anyMatch(a -> a.writes().contains(t));
            assertThat(KafkaAccess.all()).as("readers of %s", t.name()).anyMatch(a -> a.reads().contains(t));
        }
    }

    @Test
    void everyServiceSetsRecordsAsideAndOnlyThePlanLoaderCommands() {
        assertThat(KafkaAccess.services()).extracting(Access::name).containsExactly("plan-loader", "phase-scheduler",
                "agent-gateway", "handoff-service", "state-projector", "monitor-service");
        for (Access a : KafkaAccess.services()) {
            assertThat(a.writes()).as(a.name()).contains(Topics.DEAD_LETTERS, Topics.ALERTS);
        }
        assertThat(KafkaAccess.all()).filteredOn(a -> a.writes().contains(Topics.EXECUTION_CONTROL))
                .extracting(Access::name).containsExactly("plan-loader");
        assertThat(KafkaAccess.all()).filteredOn(a -> a.writes().contains(Topics.HANDOFF_VALIDATED))
                .extracting(Access::name).containsExactly("handoff-service");
    }

    @Test
    void aStreamsApplicationOwnsItsInternalTopicsItsGroupAndExactlyOnceItsTransactionalIds() {
        List<AclBinding> scheduler = KafkaAccess.acls(KafkaAccess.of("phase-scheduler"));
        assertThat(scheduler).allMatch(b -> b.entry().principal().equals("User:oe-phase-scheduler"));
        assertThat(scheduler).anyMatch(b -> b.pattern().resourceType() == ResourceType.TOPIC
                && b.pattern().name().equals("oe-phase-scheduler-") && b.pattern().patternType() == PatternType.PREFIXED
                && b.entry().operation() == AclOperation.ALL);
        assertThat(scheduler).anyMatch(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID
                && b.entry().operation() == AclOperation.WRITE);
        assertThat(scheduler).anyMatch(b -> b.pattern().resourceType() == ResourceType.CLUSTER
                && b.entry().operation() == AclOperation.DESCRIBE);
        // the monitor's views are at-least-once: no transactions, so no transactional id
        assertThat(KafkaAccess.acls(KafkaAccess.of("monitor-service")))
                .noneMatch(b -> b.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID);
    }

    @Test
    void theGatewayMayNotWriteCommandsOrHandoffsNorJoinAnotherServicesGroup() {
        List<AclBinding> gateway = KafkaAccess.acls(KafkaAccess.of("agent-gateway"));
        assertThat(gateway).noneMatch(b -> b.pattern().name().equals("execution-control") && b.entry().operation() == AclOperation.WRITE);
        assertThat(gateway).noneMatch(b -> b.pattern().name().equals("handoff-validated"));
        assertThat(gateway).filteredOn(b -> b.pattern().resourceType() == ResourceType.GROUP)
                .extracting(b -> b.pattern().name()).containsExactly("oe-agent-gateway");
    }

    @Test
    void anUnknownIdentityIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> KafkaAccess.of("agent-gatway")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Kafka identity 'agent-gatway': one of plan-loader, phase-scheduler, agent-gateway, "
                        + "handoff-service, state-projector, monitor-service, submitter, operator");
    }

    @Test
    void eachServiceHasItsOwnLoginVariable() {
        assertThat(KafkaClientSecurity.serviceJaasVariable("plan-loader")).isEqualTo("OE_KAFKA_JAAS_PLAN_LOADER");
        assertThat(KafkaAccess.of("state-projector").user()).isEqualTo("oe-state-projector");
    }

    @Test
    void docsSecurityShowsTheTableAsItIs() throws IOException {
        assertThat(Files.readString(Path.of("../docs/security.md"))).contains(KafkaAccess.markdown());
    }
}
