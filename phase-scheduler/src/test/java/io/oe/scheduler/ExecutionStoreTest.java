package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Artifact;
import io.oe.core.scheduler.Decision;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.Scheduler;
import io.oe.core.scheduler.SchedulerInput;
import io.oe.core.scheduler.Spend;
import io.oe.core.plan.BudgetLimit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's layout: an input costs the entries it changed, and a fresh cache rebuilds the same state. */
class ExecutionStoreTest {
    private static final byte[] UNTOUCHED = "untouched".getBytes(StandardCharsets.UTF_8);

    private final Scheduler scheduler = new Scheduler(TestSettings.SCHEDULER);
    private KeyValueStore<String, byte[]> entries;

    @BeforeEach
    void setUp() {
        entries = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("executions"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
        entries.init(context.getStateStoreContext(), entries);
    }

    /** A wide tier of {@code n} phases, all free to run at once. */
    private ExecutionState wide(String id, int n) {
        StringBuilder phases = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            phases.append(i > 1 ? "," : "").append("{\"id\": ").append(i).append(", \"name\": \"p").append(i)
                    .append("\", \"agent\": \"@a\"}");
            ids.append(i > 1 ? "," : "").append(i);
        }
        var plan = PlanJson.plan(PlanJson.parse("{\"plan_id\": \"p\", \"project_name\": \"P\", \"tiers\": [{\"name\": \"all\","
                + " \"mode\": \"parallel\", \"phases\": [" + ids + "]}], \"phases\": [" + phases + "]}"));
        Decision d = scheduler.register(id, "/tmp/p", plan, PlanJson.parse("{}"),
                PlanJson.config(PlanJson.parse("{\"max_concurrent_phases\": " + n + "}")), Map.of(), Map.of("a", "---\nname: a\n---\n"),
                List.of(), 1_000);
        return d.state();
    }

    private ExecutionState start(ExecutionState registered) {
        return scheduler.handle(registered, new SchedulerInput.Command(SchedulerInput.CommandKind.START, null, "me", null,
                null, 2_000)).state();
    }

    @Test
    void anInputRewritesOnlyTheEntriesItChanged() {
        ExecutionStore store = new ExecutionStore(entries);
        ExecutionState registered = wide("e1", 5);
        store.put(null, registered);
        ExecutionState started = start(registered);
        store.put(registered, started);
        // every phase went ready: all five were rewritten. Now mark two entries and let one phase finish.
        entries.put(ExecutionStore.runKey("e1", 3), UNTOUCHED);
        entries.put(ExecutionStore.PLAN + "e1", UNTOUCHED);
        ExecutionState running = scheduler.handle(started, new SchedulerInput.AgentStarted(1, 1, "w1", 2_100)).state();
        ExecutionState done = scheduler.handle(running, new SchedulerInput.AttemptSucceeded(1, 1,
                List.of(new Artifact("a.json", 1, "store/a", "ab", 3L)), 2_200)).state();
        store.put(started, running);
        store.put(running, done);

        assertThat(entries.get(ExecutionStore.runKey("e1", 3))).isEqualTo(UNTOUCHED);
        assertThat(entries.get(ExecutionStore.PLAN + "e1")).isEqualTo(UNTOUCHED);
        assertThat(new String(entries.get(ExecutionStore.runKey("e1", 1)), StandardCharsets.UTF_8)).contains("\"status\":\"completed\"");
        assertThat(entries.get(ExecutionStore.ARTIFACT + "e1/1/a.json")).isNotNull();
    }

    @Test
    void aNewTaskRebuildsTheSameStateFromTheEntries() {
        ExecutionStore first = new ExecutionStore(entries);
        ExecutionState registered = wide("e1", 12);
        first.put(null, registered);
        ExecutionState started = start(registered);
        first.put(registered, started);
        ExecutionState done = scheduler.handle(scheduler.handle(started, new SchedulerInput.AgentStarted(10, 1, "w1", 2_100))
                .state(), new SchedulerInput.AttemptSucceeded(10, 1, List.of(new Artifact("x", 10, "store/x", "cd", 1L)), 2_300))
                .state();
        first.put(started, done);
        first.put(null, wide("e2", 2)); // another execution in the same task; ids that prefix each other stay apart
        first.put(null, wide("e22", 3));

        ExecutionStore afterRestart = new ExecutionStore(entries);
        assertThat(afterRestart.get("e1")).isEqualTo(done);
        assertThat(afterRestart.get("e1").phases()).hasSize(12);
        assertThat(afterRestart.get("e2").phases()).hasSize(2);
        assertThat(afterRestart.get("nope")).isNull();
        assertThat(afterRestart.liveExecutionIds()).containsExactlyInAnyOrder("e1", "e2", "e22");
    }

    @Test
    void endedExecutionsAreNotLive() {
        ExecutionStore store = new ExecutionStore(entries);
        ExecutionState registered = wide("e1", 1);
        store.put(null, registered);
        ExecutionState cancelled = scheduler.handle(registered, new SchedulerInput.Command(SchedulerInput.CommandKind.CANCEL,
                null, "me", "stop", null, 2_000)).state();
        assertThat(cancelled.status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(store.liveExecutionIds()).containsExactly("e1"); // read from the headers, then kept
        store.put(registered, cancelled);
        assertThat(store.liveExecutionIds()).isEmpty();
        assertThat(new ExecutionStore(entries).liveExecutionIds()).isEmpty();
    }

    @Test
    void whenAnExecutionWasFoundBehindItsEstimateSurvivesARestartAndAnOlderHeaderReadsAsNotYet() {
        ExecutionStore store = new ExecutionStore(entries);
        var plan = PlanJson.plan(PlanJson.parse("""
                {"plan_id": "p", "project_name": "P", "tiers": [{"name": "t", "mode": "sequential", "phases": [1]}],
                 "phases": [{"id": 1, "name": "One", "agent": "@a", "tasks": [{"id": "T1", "estimate_minutes": 1}]}]}"""));
        ExecutionState registered = scheduler.register("e1", "/tmp/p", plan, PlanJson.parse("{}"), PlanJson.config(null),
                Map.of(), Map.of(), List.of(), 1_000).state();
        store.put(null, registered);
        ExecutionState started = start(registered);
        store.put(registered, started);
        var late = scheduler.handle(started, new SchedulerInput.Tick(2_000 + 61_000));
        assertThat(late.effects()).anySatisfy(e -> assertThat(e).isInstanceOf(Effect.RaiseAlert.class));
        store.put(started, late.state());
        assertThat(new ExecutionStore(entries).get("e1").behindEstimateAt()).isEqualTo(63_000L);

        String header = new String(entries.get(ExecutionStore.HEADER + "e1"), StandardCharsets.UTF_8);
        entries.put(ExecutionStore.HEADER + "e1", header.replaceAll(",?\"behindEstimateAt\":\\d+", "")
                .getBytes(StandardCharsets.UTF_8)); // as a release before the field wrote it
        assertThat(new ExecutionStore(entries).get("e1").behindEstimateAt()).isNull();
    }

    @Test
    void whatAttemptsUsedAndARaisedBudgetSurviveARestartSoTheSumsCountOn() {
        ExecutionStore store = new ExecutionStore(entries);
        var plan = PlanJson.plan(PlanJson.parse("""
                {"plan_id": "p", "project_name": "P", "tiers": [{"name": "t", "mode": "sequential", "phases": [1]}],
                 "phases": [{"id": 1, "name": "One", "agent": "@a"}]}"""));
        ExecutionState registered = scheduler.register("e1", "/tmp/p", plan, PlanJson.parse("{}"), PlanJson.config(
                PlanJson.parse("{\"budget\": {\"phase\": {\"tokens\": 1000}}}")), Map.of(), Map.of(), List.of(), 1_000).state();
        store.put(null, registered);
        ExecutionState started = start(registered);
        store.put(registered, started);
        var running = scheduler.handle(started, new SchedulerInput.AgentStarted(1, 1, "w1", 2_100)).state();
        var used = scheduler.handle(running, new SchedulerInput.UsageReported(1, 1, new Spend(700, 0.2), 2_200)).state();
        store.put(started, used);

        ExecutionState restarted = new ExecutionStore(entries).get("e1");
        assertThat(restarted).isEqualTo(used);
        assertThat(restarted.phase(1).spent()).isEqualTo(new Spend(700, 0.2));
        // counted on from the stored figure: 700 + nothing new, then a report of 850 crosses 80 % once
        var warned = scheduler.handle(restarted, new SchedulerInput.UsageReported(1, 1, new Spend(850, 0.2), 2_300));
        assertThat(warned.effects()).filteredOn(Effect.RaiseAlert.class::isInstance).hasSize(1);

        var raised = scheduler.handle(warned.state(), new SchedulerInput.Command(SchedulerInput.CommandKind.BUDGET, 1, "me",
                null, null, 2_400, false, null, null, new BudgetLimit(5000L, null))).state();
        store.put(used, raised);
        assertThat(new ExecutionStore(entries).get("e1").config().budget().forPhase(1).tokens()).isEqualTo(5000L);
    }
}
