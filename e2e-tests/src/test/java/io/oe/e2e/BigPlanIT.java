package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.events.AgentResult;
import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plan too big for Kafka's default 1 MB record, run to the end on the real broker: 1,500 phases (one, a parallel
 * tier of 1,498, one) whose registered plan and engine state are each over 1 MB. Every phase runs once, the state the
 * monitor serves counts every phase, and the state is published far less often than there are events (at most once
 * a second for a plan this size), while the audit trail keeps every event.
 */
class BigPlanIT {
    static final int PHASES = 1_500;
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("BigPlanIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> options.runnersFile(
                new TestRunners().command("noop", "/bin/true").agent("*", "noop").write(root.resolve("runners.json"))));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aPlanOverOneMegabyteRunsToTheEndWithEveryPhaseOnce() throws Exception {
        TestProject p = new TestProject(env.root, "big-plan").tier("first", "sequential", 1)
                .tier("wide", "parallel", IntStream.rangeClosed(2, PHASES - 1).toArray()).tier("last", "sequential", PHASES);
        String title = "a task title long enough that the plan passes one megabyte ".repeat(7); // ~420 bytes, < 500
        for (int i = 1; i <= PHASES; i++) {
            var tasks = p.phase(i, "@noop").putArray("tasks");
            tasks.addObject().put("id", "T" + i).put("title", title + i);
            tasks.addObject().put("id", "U" + i).put("title", title + i);
        }
        p.engineConfig = "{\"max_concurrent_phases\": " + PHASES + ", \"retry_policy\": {\"max_retries\": 0}}";
        Api api = env.api();
        long t0 = System.nanoTime();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), Duration.ofMinutes(6), "completion");
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(s.path("tiers").get(1).path("completed").asInt()).isEqualTo(PHASES - 2);
        assertThat(s.path("tiers").get(2).path("completed").asInt()).isEqualTo(1);
        assertThat(s.path("current_phases")).isEmpty();
        // /bin/true reports no task: its tasks ended with their phase, shown as the agent never reporting them
        assertThat(s.path("tasks").path("T" + PHASES).path("status").asText()).isEqualTo("not_reported");
        long completed = 0;
        for (JsonNode phase : s.path("phases")) {
            completed += "completed".equals(phase.path("status").asText()) ? 1 : 0;
        }
        assertThat(completed).isEqualTo(PHASES);

        String bootstrap = env.broker.bootstrapServers();
        Map<Integer, List<AgentResult>> runs = Events.readAll(bootstrap, Topics.AGENT_RESULT, Duration.ofSeconds(1),
                        Duration.ofSeconds(30)).stream().map(ConsumerRecord::value).filter(r -> r.getExecutionId().equals(id))
                .collect(Collectors.groupingBy(AgentResult::getPhaseId));
        assertThat(runs).hasSize(PHASES);
        assertThat(runs.values()).allSatisfy(r -> assertThat(r).singleElement());

        ConsumerRecord<String, PlanLoaded> loaded = Events.readAll(bootstrap, Topics.PLAN_LOADED, Duration.ofSeconds(1),
                Duration.ofSeconds(30)).stream().filter(r -> r.key().equals(id)).findFirst().orElseThrow();
        List<ConsumerRecord<String, EngineState>> states = Events.readAll(bootstrap, Topics.ENGINE_STATE,
                Duration.ofSeconds(1), Duration.ofSeconds(60)).stream().filter(r -> r.key().equals(id)).toList();
        long logEntries = Events.<LogEntry>readAll(bootstrap, Topics.EXECUTION_LOG, Duration.ofSeconds(1),
                Duration.ofSeconds(30)).stream().filter(r -> r.key().equals(id)).count();
        int biggestState = states.stream().mapToInt(ConsumerRecord::serializedValueSize).max().orElse(0);
        System.out.printf("[e2e] BigPlanIT: %d phases in %.1f s; plan-loaded %,d bytes; %d engine states published "
                + "(largest %,d bytes) for %d log entries%n", PHASES, seconds, loaded.serializedValueSize(), states.size(),
                biggestState, logEntries);
        assertThat(loaded.serializedValueSize()).as("plan-loaded bytes").isGreaterThan(1_048_576);
        assertThat(biggestState).as("engine-state bytes").isGreaterThan(1_048_576);
        assertThat(logEntries).as("one log entry per event").isGreaterThan(4L * PHASES);
        assertThat(states.size()).as("engine states published").isLessThan((int) (logEntries / 10));
        assertThat(states.get(states.size() - 1).value().getStatus()).isEqualTo("completed");
    }
}
