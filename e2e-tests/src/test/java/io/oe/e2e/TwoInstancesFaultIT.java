package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of every service but the monitor (whose two instances MonitorInstancesIT covers), then one instance
 * of each SIGKILLed mid-run and not restarted: the survivors take its partitions
 * and the execution finishes with every phase completed exactly once.
 */
class TwoInstancesFaultIT {
    static final List<String> SCALED = List.of("plan-loader", "phase-scheduler", "agent-gateway", "handoff-service", "state-projector");
    static final Map<String, String> GROUPS = Map.of("phase-scheduler", "oe-phase-scheduler", "agent-gateway", "oe-agent-gateway",
            "handoff-service", "oe-handoff-service", "state-projector", "oe-state-projector");
    static E2eStack env;

    @BeforeAll
    static void startStack() throws Exception {
        env = E2eStack.start("TwoInstancesFaultIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            Path runners = new TestRunners().profile("steady", Map.of("OE_DEMO_DELAY_MS", "2500")).agent("*", "steady")
                    .write(root.resolve("runners.json"));
            options.runnersFile(runners).env("OE_HEARTBEAT_TIMEOUT", "4s");
        });
        for (String service : SCALED) {
            env.stack.startInstance(service, service + "-2");
        }
        // every scaled group has two members that both own partitions, so the kill takes real work away
        var groups = ConsumerGroups.awaitSpread(env.broker.bootstrapServers(), 2, Duration.ofSeconds(90),
                GROUPS.values().toArray(String[]::new));
        System.out.printf("[e2e] TwoInstancesFaultIT: partitions per member %s%n", groups.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().members().stream()
                        .map(m -> m.assignment().topicPartitions().size()).toList())));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void oneInstanceOfEachServiceKilledMidRunLosesNoPhaseAndCompletesNoneTwice() throws Exception {
        TestProject p = new TestProject(env.root, "two-each").tier("prep", "sequential", 1, 2)
                .tier("build", "parallel", 3, 4, 5, 6, 7, 8).tier("ship", "sequential", 9, 10);
        for (int i = 1; i <= 10; i++) {
            p.phase(i, "@steady").putObject("retry").put("max_retries", 3).put("backoff_seconds", 0.5);
        }
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, s -> s.path("phases").path("3").path("status").asText().equals("in_progress"), Duration.ofSeconds(120),
                "the parallel tier running");
        List<String> killed = new ArrayList<>();
        for (String service : SCALED) { // the first instance of each, while the parallel tier runs
            env.stack.kill(service);
            killed.add(service);
        }
        System.out.printf("[e2e] TwoInstancesFaultIT: SIGKILLed %s mid-run; their second instances carry on%n", killed);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(240), "completion on the surviving instances");

        List<Integer> toRun = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        AgentRuns runs = AgentRuns.of(env.broker.bootstrapServers(), id, toRun);
        for (int phase : toRun) {
            assertThat(s.path("phases").path(String.valueOf(phase)).path("status").asText()).isEqualTo("completed");
        }
        System.out.printf("[e2e] TwoInstancesFaultIT figures: agent runs %d for 10 phases, instances killed %d, phases lost %d, "
                + "phases completed twice %d%n", runs.runs(), killed.size(), runs.lost().size(), runs.twice().size());
        assertThat(runs.lost()).as("phases lost").isEmpty();
        assertThat(runs.twice()).as("phases completed twice (%s)", runs.twiceExplained()).isEmpty();
    }
}
