package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits across executions (docs/architecture.md, "Limits across executions"): two executions whose phases share an
 * agent capped at 1 in the runner configuration, run by two scheduler instances (one each) and two gateways. By the agents' own
 * start and end times (files they write), no two ever ran at once; a waiting phase said "limit agent:@shared" on the
 * monitor; both executions completed.
 */
class LimitsIT {
    static E2eStack env;
    static Path runs;

    @BeforeAll
    static void startStack() throws Exception {
        env = E2eStack.start("LimitsIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            runs = root.resolve("runs");
            // each run writes its own file: "<start ns> <end ns>", the agent's own clock
            Path runners = new TestRunners().script("seat", root.resolve("seat-agent.sh"), """
                            #!/bin/sh
                            mkdir -p "%s"
                            start=$(date +%%s%%N)
                            sleep 2
                            end=$(date +%%s%%N)
                            echo "$start $end" > "%s/$start-$$"
                            """.formatted(runs, runs), "{phase_file}")
                    .agent("@shared", "seat").agent("*", "seat").agentLimit("@shared", 1)
                    .write(root.resolve("runners.json"));
            options.runnersFile(runners);
        });
        env.stack.startInstance("phase-scheduler", "phase-scheduler-2");
        env.stack.startInstance("agent-gateway", "agent-gateway-2");
        var groups = ConsumerGroups.awaitSpread(env.broker.bootstrapServers(), 2, Duration.ofSeconds(120),
                "oe-phase-scheduler", "oe-agent-gateway");
        // which scheduler instance owns each partition of the execution-keyed topics
        for (MemberDescription m : groups.get("oe-phase-scheduler").members()) {
            m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(Topics.PLAN_LOADED.name()))
                    .forEach(tp -> schedulerOf.put(tp.partition(), m.consumerId()));
        }
    }

    /** The scheduler instance (its member id) that owns each partition of plan-loaded. */
    static final Map<Integer, String> schedulerOf = new HashMap<>();

    /** The scheduler instance that runs an execution: its key's partition, as the producer's partitioner picks it. */
    private static String schedulerRunning(String executionId) {
        int partition = Utils.toPositive(Utils.murmur2(executionId.getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
        return schedulerOf.get(partition);
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void twoExecutionsSharingAnAgentCappedAtOneNeverRunItTwiceAtOnce() throws Exception {
        Api api = env.api();
        List<String> ids = new ArrayList<>();
        Set<String> schedulers = new HashSet<>();
        // executions of two phases each, until the two scheduler instances each run one (the ids are random: 2 or 3)
        while (ids.size() < 2 || schedulers.size() < 2 && ids.size() < 5) {
            TestProject p = new TestProject(env.root, "limits-" + ids.size()).tier("build", "parallel", 1, 2);
            p.phase(1, "@shared");
            p.phase(2, "@shared");
            String id = p.submit(api);
            ids.add(id);
            schedulers.add(schedulerRunning(id));
        }
        assertThat(schedulers).as("the executions run on both scheduler instances").hasSize(2);
        AtomicReference<String> shown = new AtomicReference<>();
        await(api, ids.get(0), s -> ids.stream().anyMatch(id -> waitingForLimitIn(api, id, shown)),
                Duration.ofSeconds(120), "a phase waiting for a seat of limit agent:@shared");
        assertThat(shown.get()).contains("limit agent:@shared");
        for (String id : ids) {
            await(api, id, execution("completed"), Duration.ofSeconds(180), "completion of " + id);
        }

        List<long[]> intervals = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path f : files.toList()) {
                String[] parts = Files.readString(f).trim().split(" ");
                intervals.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
            }
        }
        intervals.sort(Comparator.comparingLong(a -> a[0]));
        System.out.printf("[e2e] LimitsIT: %d executions, %d agent runs on two schedulers and two gateways, the waiting"
                + " phase showed \"%s\"%n", ids.size(), intervals.size(), shown.get());
        assertThat(intervals).as("one run per phase of the executions").hasSize(2 * ids.size());
        for (int i = 1; i < intervals.size(); i++) {
            assertThat(intervals.get(i)[0]).as("run %d starts after run %d ended", i, i - 1)
                    .isGreaterThanOrEqualTo(intervals.get(i - 1)[1]);
        }
    }

    /** Whether a phase of the state waits for a seat; keeps what the monitor said. */
    private static boolean waitingForLimit(JsonNode s, AtomicReference<String> shown) {
        for (JsonNode p : s.path("phases")) {
            JsonNode w = p.path("waiting_for");
            if ("limit".equals(w.path("kind").asText())) {
                shown.set(w.path("text").asText());
                return true;
            }
        }
        return false;
    }

    private static boolean waitingForLimitIn(Api api, String id, AtomicReference<String> shown) {
        Api.Response r = api.state(id);
        return r.status() == 200 && waitingForLimit(r.json(), shown);
    }
}
