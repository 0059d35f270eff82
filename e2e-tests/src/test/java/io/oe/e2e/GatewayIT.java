package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.deploy.LocalStack;
import io.oe.events.AgentResult;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway with real agent processes (a shell script) on the real broker: two instances share phase-ready through
 * their consumer group (a parallel tier of ten phases is spread over both, every phase runs exactly once), progress
 * reported in steps reaches the engine state in order, and hostile plan text stays inert data.
 */
class GatewayIT {
    static E2eStack env;
    static final String SECOND = "agent-gateway-2";

    @BeforeAll
    static void startStack() throws Exception {
        env = E2eStack.start("GatewayIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            try {
                Path agent = root.resolve("agent.sh");
                // Works for a while, reporting its one task; long enough that a parallel tier overlaps.
                Files.writeString(agent, """
                        #!/bin/sh
                        echo "::task-started T$OE_PHASE_ID::"
                        if [ "$OE_AGENT" = "@stepper" ]; then
                          for p in 25 50 75; do sleep 0.7; echo "::progress task=T$OE_PHASE_ID percent=$p::"; done
                          sleep 0.7
                        else
                          sleep 2
                        fi
                        echo "::task-completed T$OE_PHASE_ID::"
                        """);
                Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
                ObjectNode runners = Json.MAPPER.createObjectNode();
                runners.with("runners").putObject("script").putArray("argv").add(agent.toString()).add("{phase_file}");
                runners.with("agents").put("*", "script");
                options.runnersFile(Files.writeString(root.resolve("runners.json"), Json.pretty(runners)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        env.stack.startInstance("agent-gateway", SECOND);
        // both instances must own partitions before the plan is submitted, or the first could take the whole tier
        var group = ConsumerGroups.awaitSpread(env.broker.bootstrapServers(), 2, Duration.ofSeconds(60), "oe-agent-gateway")
                .get("oe-agent-gateway");
        System.out.printf("[e2e] GatewayIT: 2 gateways in the group: %s%n", group.members().stream()
                .map(m -> m.consumerId() + "=" + m.assignment().topicPartitions()).toList());
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aParallelTierIsSpreadOverTwoGatewaysAndEveryPhaseRunsOnce() throws Exception {
        TestProject p = new TestProject(env.root, "scale-out").tier("prep", "sequential", 1)
                .tier("build", "parallel", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        for (int i = 1; i <= 11; i++) {
            p.phase(i, "@worker").putArray("tasks").addObject().put("id", "T" + i).put("title", "work of phase " + i);
        }
        p.engineConfig = "{\"max_concurrent_phases\": 10}";
        Api api = env.api();
        long t0 = System.nanoTime();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(120), "completion");
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<Integer, List<AgentResult>> results = Events.readAll(env.broker.bootstrapServers(), Topics.AGENT_RESULT,
                        Duration.ofSeconds(1), Duration.ofSeconds(20)).stream().map(r -> r.value())
                .filter(r -> r.getExecutionId().equals(id))
                .collect(Collectors.groupingBy(AgentResult::getPhaseId, TreeMap::new, Collectors.toList()));
        assertThat(results.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        results.forEach((phase, rs) -> assertThat(rs).as("runs of phase %d", phase).singleElement()
                .satisfies(r -> assertThat(r.getSuccess()).isTrue()));
        Map<String, Long> byWorker = results.values().stream().flatMap(List::stream)
                .filter(r -> r.getPhaseId() >= 2)
                .collect(Collectors.groupingBy(AgentResult::getWorkerId, TreeMap::new, Collectors.counting()));
        System.out.printf("[e2e] GatewayIT: 11 phases (10 in parallel, 2 s each) in %.1f s; parallel tier by gateway: %s%n",
                seconds, byWorker);
        assertThat(byWorker).as("the parallel tier's phases by gateway").hasSize(2);
        long pid2 = env.stack.process(SECOND).orElseThrow().pid();
        assertThat(byWorker.keySet()).anyMatch(w -> w.endsWith(":" + pid2));
        // Ten two-second phases with ten slots: the tier ran side by side, not one after another.
        assertThat(s.path("tiers").get(1).path("completed").asInt()).isEqualTo(10);
        assertThat(seconds).isLessThan(60);
        for (int i = 2; i <= 11; i++) {
            assertThat(s.path("tasks").path("T" + i).path("status").asText()).as("task T%d", i).isEqualTo("completed");
        }
    }

    @Test
    void progressInStepsReachesTheStateInOrderAndHostileTextStaysData() throws Exception {
        String tag = Long.toHexString(System.nanoTime());
        Path victim = Files.createDirectories(env.root.resolve("victim-" + tag));
        String hostile = "Build $(touch /tmp/oe-pwned-" + tag + ") `touch /tmp/oe-pwned2-" + tag + "`; rm -rf " + victim
                + " && echo pwned | sh";
        TestProject p = new TestProject(env.root, "steps-and-hostile-text").tier("only", "sequential", 1);
        ObjectNode phase = p.phase(1, "@stepper").put("name", hostile);
        phase.putArray("tasks").addObject().put("id", "T1").put("title", "$(id) `id`; echo pwned > " + victim + "/x");
        Api api = env.api();
        String id = p.submit(api);
        List<Integer> seen = new java.util.ArrayList<>();
        JsonNode s = await(api, id, state -> {
            int pct = state.path("tasks").path("T1").path("progress").asInt(-1);
            if (pct >= 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != pct)) {
                seen.add(pct);
            }
            return execution("completed").test(state);
        }, Duration.ofSeconds(60), "completion");

        System.out.printf("[e2e] GatewayIT: task T1 progress as the monitor showed it: %s%n", seen);
        assertThat(seen).isSorted().contains(100).anyMatch(v -> v > 0 && v < 100);
        List<String> logged = new java.util.ArrayList<>();
        api.log(id).json().path("entries").forEach(e -> {
            if (e.path("type").asText().startsWith("task_")) {
                logged.add(e.path("message").asText());
            }
        });
        assertThat(logged).containsExactly("T1 in_progress 0%", "T1 in_progress 25%", "T1 in_progress 50%",
                "T1 in_progress 75%", "T1 completed 100%");
        // The hostile text is data everywhere: in the state, in the prompt, and nothing ran.
        assertThat(s.path("phases").path("1").path("name").asText()).isEqualTo(hostile);
        Path prompt = p.dir.resolve("tee-output/workspaces/" + id + "/1/1/prompt.md");
        assertThat(Files.readString(prompt)).contains(hostile, "$(id) `id`; echo pwned > " + victim + "/x");
        assertThat(Path.of("/tmp/oe-pwned-" + tag)).doesNotExist();
        assertThat(Path.of("/tmp/oe-pwned2-" + tag)).doesNotExist();
        assertThat(victim).isDirectory().isEmptyDirectory();
    }
}
