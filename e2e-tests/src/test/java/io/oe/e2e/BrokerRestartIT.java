package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.deploy.MavenJarBrokerProviderFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker itself restarted mid-run (stopped, down a while, started again on the same data), with every service
 * left running: they reconnect, and the execution finishes with every phase completed exactly once. One outage
 * shorter than the heartbeat timeout, and one longer, where only the scheduler's lag guard keeps healthy attempts from
 * being declared lost.
 */
class BrokerRestartIT {
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("BrokerRestartIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            Path runners = new TestRunners().profile("steady", Map.of("OE_DEMO_DELAY_MS", "3000")).agent("*", "steady")
                    .write(root.resolve("runners.json"));
            options.runnersFile(runners).env("OE_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT.toSeconds() + "s");
        });
        assumeTrue(String.valueOf(env.broker).startsWith(MavenJarBrokerProviderFactory.NAME),
                "only the maven-jar broker can be restarted by the test; this run uses " + env.broker);
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aShortOutageDuringAParallelTierLosesNothing() throws Exception {
        outage("short", Duration.ofSeconds(6));
    }

    @Test
    void anOutageLongerThanTheHeartbeatTimeoutLosesNothingAndRunsNothingTwice() throws Exception {
        outage("long", HEARTBEAT_TIMEOUT.plusSeconds(5));
    }

    private void outage(String name, Duration down) throws Exception {
        TestProject p = new TestProject(env.root, "broker-" + name).tier("prep", "sequential", 1, 2)
                .tier("build", "parallel", 3, 4, 5, 6).tier("ship", "sequential", 7, 8);
        for (int i = 1; i <= 8; i++) {
            p.phase(i, "@steady").putObject("retry").put("max_retries", 3).put("backoff_seconds", 0.5);
        }
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, s -> s.path("phases").path("3").path("status").asText().equals("in_progress"), Duration.ofSeconds(120),
                "the parallel tier running");
        long t0 = System.nanoTime();
        env.broker.restart(down);
        System.out.printf("[e2e] BrokerRestartIT %s: broker down %d s, back after %.1f s%n", name, down.toSeconds(),
                (System.nanoTime() - t0) / 1e9);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(240), "completion after the broker restart");

        List<Integer> toRun = IntStream.rangeClosed(1, 8).boxed().toList();
        AgentRuns runs = AgentRuns.of(env.broker.bootstrapServers(), id, toRun);
        for (int phase : toRun) {
            assertThat(s.path("phases").path(String.valueOf(phase)).path("status").asText()).as("phase %d", phase)
                    .isEqualTo("completed");
        }
        System.out.printf("[e2e] BrokerRestartIT %s figures: agent runs %d for 8 phases, broker restarts 1 (%d s down), "
                + "phases lost %d, phases completed twice %d%n", name, runs.runs(), down.toSeconds(), runs.lost().size(),
                runs.twice().size());
        assertThat(runs.lost()).as("phases lost").isEmpty();
        assertThat(runs.twice()).as("phases completed twice (%s)", runs.twiceExplained()).isEmpty();
    }
}
