package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits across executions (docs/architecture.md, "Limits across executions"): two executions whose phases share an
 * agent capped at 1 in the runner configuration, on two scheduler instances and two gateways. By the agents' own
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
        ConsumerGroups.awaitSpread(env.broker.bootstrapServers(), 2, Duration.ofSeconds(120), "oe-phase-scheduler",
                "oe-agent-gateway");
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
        for (String name : List.of("limits-a", "limits-b")) {
            TestProject p = new TestProject(env.root, name).tier("build", "parallel", 1, 2);
            p.phase(1, "@shared");
            p.phase(2, "@shared");
            ids.add(p.submit(api));
        }
        AtomicReference<String> shown = new AtomicReference<>();
        await(api, ids.get(1), s -> waitingForLimit(s, shown) || waitingForLimitIn(api, ids.get(0), shown),
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
        System.out.printf("[e2e] LimitsIT: %d agent runs on two schedulers and two gateways, the waiting phase showed \"%s\"%n",
                intervals.size(), shown.get());
        assertThat(intervals).as("one run per phase of the two executions").hasSize(4);
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
