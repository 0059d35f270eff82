package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.agent.RunnerConfig;
import io.oe.core.limit.ConcurrencyLimits;
import io.oe.core.scheduler.SchedulerSettings;
import io.oe.events.AgentProgress;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseReady;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.traces.Tracing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler and its seat keeper in one topology: executions whose phases share a capped agent (and profile) run
 * one at a time, the waiting one says why, and every seat comes back.
 */
class SeatKeeperTopologyTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo",
             "tiers": [{"name": "only", "mode": "sequential", "phases": [1]}],
             "phases": [{"id": 1, "name": "Write", "agent": "@dev"}]}
            """;
    private static final RunnerConfig.Profile BIN_TRUE = new RunnerConfig.Profile(null, List.of("/bin/true"), null, null,
            null);

    private TopologyTestDriver driver;
    private TestInputTopic<String, PlanLoaded> planLoaded;
    private TestInputTopic<String, AgentProgress> progress;
    private TestInputTopic<String, HandoffValidated> handoffs;
    private TestInputTopic<String, ExecutionCommand> control;
    private TestOutputTopic<String, PhaseReady> ready;
    private TestOutputTopic<String, StatusChanged> status;

    private void start(ConcurrencyLimits caps) {
        RunnerConfig runners = new RunnerConfig(Map.of("claude", BIN_TRUE), Map.of("@dev", "claude", "*", "claude"), null,
                null, caps);
        assertThat(runners.problems()).isEmpty();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        SchedulerSettings settings = new SchedulerSettings(TestSettings.SCHEDULER.heartbeatTimeout(),
                TestSettings.SCHEDULER.timeoutGrace(), runners::limitsFor);
        driver = new TopologyTestDriver(SchedulerTopology.build(settings, runners.limits(), Duration.ofMillis(500),
                Duration.ofSeconds(2), now -> 0, new SchedulerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new SchedulerSpans(Tracing.of(io.opentelemetry.api.OpenTelemetry.noop(), false))), props);
        planLoaded = input(Topics.PLAN_LOADED);
        progress = input(Topics.AGENT_PROGRESS);
        handoffs = input(Topics.HANDOFF_VALIDATED);
        control = input(Topics.EXECUTION_CONTROL);
        ready = output(Topics.PHASE_READY);
        status = output(Topics.EXECUTION_STATUS);
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private void load(String execution, int priority) {
        planLoaded.pipeInput(execution, PlanLoaded.newBuilder().setExecutionId(execution).setSubmissionId("s-" + execution)
                .setPlanId("p1").setProjectName("Demo").setProjectDir("/tmp/demo").setSubmittedAt(Instant.now())
                .setPlanJson(PLAN).setProjectPlanJson("{\"project_name\": \"Demo\"}")
                .setConfigJson("{\"priority\": " + priority + "}").setContracts(Map.of())
                .setAgents(Map.of("dev", "---\nname: dev\n---\nWrite")).setAutostart(true).build());
    }

    private void succeed(PhaseReady r) {
        String e = r.getExecutionId();
        progress.pipeInput(e, new AgentProgress(e, r.getPhaseId(), r.getAttempt(), ProgressKind.STARTED, null, null, null,
                "w1", Instant.now(), List.of()));
        Instant now = Instant.now();
        handoffs.pipeInput(e, new HandoffValidated("ho", e, r.getPhaseId(), r.getAttempt(), r.getAgent(), List.of(),
                HandoffStatus.SUCCESS, List.of(), List.of(), null, null, now, now, now, Map.of(), null));
    }

    private List<String> dispatched() {
        return ready.readValuesToList().stream().map(PhaseReady::getExecutionId).toList();
    }

    private KeyValueStore<String, byte[]> seats() {
        return driver.getKeyValueStore(SchedulerTopology.SEATS_STORE);
    }

    @Test
    void twoExecutionsSharingAnAgentCappedAtOneRunOneAfterTheOtherAndTheWaitingOneSaysWhy() {
        start(new ConcurrencyLimits(Map.of("@dev", 1), Map.of()));
        load("e1", 0);
        load("e2", 0);
        List<PhaseReady> first = ready.readValuesToList();
        assertThat(first).extracting(PhaseReady::getExecutionId).containsExactly("e1");
        assertThat(status.readValuesToList()).filteredOn(s -> s.getExecutionId().equals("e2") && s.getPhaseId() != null)
                .singleElement().satisfies(s -> {
                    assertThat(s.getCause()).isEqualTo(TransitionCause.LIMIT);
                    assertThat(s.getReason()).isEqualTo("waits for a seat: limit agent:@dev");
                });
        succeed(first.get(0));
        List<PhaseReady> second = ready.readValuesToList();
        assertThat(second).extracting(PhaseReady::getExecutionId).containsExactly("e2");
        succeed(second.get(0));
        assertThat(seats().approximateNumEntries()).as("no seat leaks: every ledger is empty and dropped").isZero();
        assertThat(seats().all().hasNext()).isFalse();
    }

    @Test
    void theHigherPriorityGoesFirstAmongWaiters() {
        start(new ConcurrencyLimits(Map.of("@dev", 1), Map.of()));
        load("e1", 0);
        load("e2", 0);
        load("e3", 50);
        List<PhaseReady> first = ready.readValuesToList();
        assertThat(first).extracting(PhaseReady::getExecutionId).containsExactly("e1");
        succeed(first.get(0));
        List<PhaseReady> next = ready.readValuesToList();
        assertThat(next).extracting(PhaseReady::getExecutionId).containsExactly("e3");
        succeed(next.get(0));
        assertThat(dispatched()).containsExactly("e2");
    }

    @Test
    void anAttemptNeedingTheAgentsAndTheProfilesSeatGoesOnlyWithBoth() {
        start(new ConcurrencyLimits(Map.of("@dev", 2), Map.of("claude", 1)));
        load("e1", 0);
        load("e2", 0);
        List<PhaseReady> first = ready.readValuesToList();
        assertThat(first).extracting(PhaseReady::getExecutionId).as("the profile's one seat").containsExactly("e1");
        succeed(first.get(0));
        List<PhaseReady> second = ready.readValuesToList();
        assertThat(second).extracting(PhaseReady::getExecutionId).containsExactly("e2");
        succeed(second.get(0));
        assertThat(seats().all().hasNext()).as("both limits' seats came back").isFalse();
    }

    @Test
    void cancellingAWaitingExecutionWithdrawsItsRequestAndLeavesNoSeatBehind() {
        start(new ConcurrencyLimits(Map.of("@dev", 1), Map.of()));
        load("e1", 0);
        load("e2", 0);
        List<PhaseReady> first = ready.readValuesToList();
        control.pipeInput("e2", new ExecutionCommand("c1", "e2", CommandKind.CANCEL, null, "me", null, null, Instant.now(),
                false, null, null, null, null, null, null));
        succeed(first.get(0));
        assertThat(dispatched()).as("the cancelled execution is not dispatched").isEmpty();
        assertThat(seats().all().hasNext()).isFalse();
    }
}
