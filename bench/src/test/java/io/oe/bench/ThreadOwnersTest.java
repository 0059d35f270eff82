package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The standalone process's threads are told apart by name (names as seen in a profile of the standalone stack). */
class ThreadOwnersTest {
    @Test
    void streamsThreadsAndTheirClientsBelongToTheirApplication() {
        assertThat(ThreadOwners.of("oe-phase-scheduler-d1ec2-e3-4da-5aee-6da7c8cd9-StreamThread-1")).isEqualTo("phase-scheduler");
        assertThat(ThreadOwners.of("kafka-producer-network-thread | oe-handoff-service-1ec2-StreamThread-1-producer"))
                .isEqualTo("handoff-service");
        assertThat(ThreadOwners.of("kafka-coordinator-heartbeat-thread | oe-agent-gateway")).isEqualTo("agent-gateway");
        assertThat(ThreadOwners.of("kafka-admin-client-thread | oe-phase-scheduler-probe")).isEqualTo("phase-scheduler");
    }

    @Test
    void theServicesOwnThreads() {
        assertThat(ThreadOwners.of("phase-ready-consumer")).isEqualTo("agent-gateway");
        assertThat(ThreadOwners.of("agent-run")).isEqualTo("agent-gateway");
        assertThat(ThreadOwners.of("execution-directory")).isEqualTo("plan-loader");
        assertThat(ThreadOwners.of("project-files")).isEqualTo("monitor-service");
    }

    @Test
    void theBrokerTheJvmAndWhatIsShared() {
        assertThat(ThreadOwners.of("data-plane-kafka-request-handler-3")).isEqualTo("kafka-broker");
        assertThat(ThreadOwners.of("group-coordinator-event-processor-0")).isEqualTo("kafka-broker");
        assertThat(ThreadOwners.of("TxnMarkerSenderThread-1")).isEqualTo("kafka-broker");
        assertThat(ThreadOwners.of("kafka-producer-network-thread | producer-2")).isEqualTo(ThreadOwners.CLIENTS);
        assertThat(ThreadOwners.of("executor-thread-1")).isEqualTo(ThreadOwners.HTTP);
        assertThat(ThreadOwners.of("C2 CompilerThre")).isEqualTo(ThreadOwners.JVM);
        assertThat(ThreadOwners.of("something else")).isEqualTo(ThreadOwners.OTHER);
        assertThat(ThreadOwners.of(null)).isEqualTo(ThreadOwners.OTHER);
    }

    @Test
    void aPoolsThreadsFoldIntoOneGroup() {
        assertThat(ThreadOwners.group("oe-phase-scheduler-3f2a9c1e-1b2c-4d5e-8f90-0123456789ab-StreamThread-1"))
                .isEqualTo("oe-phase-scheduler-*-StreamThread-#");
        assertThat(ThreadOwners.group("data-plane-kafka-request-handler-7")).isEqualTo("data-plane-kafka-request-handler-#");
    }
}
