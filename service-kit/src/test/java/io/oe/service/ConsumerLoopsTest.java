package io.oe.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ConsumerLoopsTest {
    static final class Checks implements HealthRegistry {
        final Map<String, HealthCheck> checks = new LinkedHashMap<>();

        @Override
        public HealthRegistry register(String id, HealthCheck check) {
            checks.put(id, check);
            return this;
        }

        @Override
        public HealthRegistry register(String id, AsyncHealthCheck check) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HealthRegistry remove(String id) {
            checks.remove(id);
            return this;
        }

        boolean up(String id) {
            return checks.get(id).call().getStatus() == HealthCheckResponse.Status.UP;
        }
    }

    final Checks readiness = new Checks();
    final Checks liveness = new Checks();
    final ConsumerLoops loops = new ConsumerLoops();

    {
        loops.readiness = readiness;
        loops.liveness = liveness;
    }

    @Test
    void aLoopWhoseBodyFailsIsStartedAgainAndIsReadyOnlyOnceItPolls() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        loops.start("agent-gateway", "phase-ready-consumer", loop -> {
            if (starts.incrementAndGet() == 1) {
                throw new IllegalStateException("the broker went away");
            }
            while (loop.running()) {
                loop.polled();
                sleep(20);
            }
        });
        assertThat(readiness.checks).containsKey("agent-gateway phase-ready-consumer");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!readiness.up("agent-gateway phase-ready-consumer") && System.currentTimeMillis() < deadline) {
            sleep(50);
        }
        assertThat(starts.get()).as("started again after the failure").isEqualTo(2);
        assertThat(readiness.up("agent-gateway phase-ready-consumer")).isTrue();
        assertThat(liveness.up("agent-gateway phase-ready-consumer")).isTrue();
        loops.stop(null);
    }

    @Test
    void aLoopThatHasNotPolledYetIsNotReady() throws Exception {
        loops.start("plan-loader", "plan-submissions", loop -> {
            while (loop.running()) {
                sleep(20); // waiting for the broker: never polls
            }
        });
        sleep(100);
        assertThat(readiness.up("plan-loader plan-submissions")).isFalse();
        assertThat(liveness.up("plan-loader plan-submissions")).isTrue();
        loops.stop(null);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
