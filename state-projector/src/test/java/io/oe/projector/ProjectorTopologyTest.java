package io.oe.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentProgress;
import io.oe.events.ArtifactRef;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectorTopologyTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo",
             "tiers": [{"name": "prep", "mode": "sequential", "phases": [1, 2]}, {"name": "build", "mode": "parallel", "phases": [3]}],
             "phases": [{"id": 1, "name": "Plan", "agent": "@plan", "status": "completed"},
                        {"id": 2, "name": "Docs", "agent": "@doc", "tasks": [{"id": "T1", "title": "Overview"}, {"id": "T2", "title": "Glossary"}]},
                        {"id": 3, "name": "Build", "agent": "@dev"}]}
            """;
    private TopologyTestDriver driver;
    private final Instant t0 = Instant.parse("2026-01-13T12:00:00Z");

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "projector-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        driver = new TopologyTestDriver(ProjectorTopology.build(), props);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private <V extends SpecificRecord> void send(Topic<V> t, V v) {
        TestInputTopic<String, V> in = driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
        in.pipeInput("e1", v);
    }

    private StatusChanged phase(int id, String from, String to, int attempt, long sec) {
        return new StatusChanged("e1", id, from, to, attempt, null, "in_progress", t0.plusSeconds(sec), null, null, null, null, TransitionCause.UNKNOWN, null);
    }

    @Test
    void aPrunedExecutionLeavesTheStoreAndItsEngineStateIsTombstoned() {
        send(Topics.PLAN_LOADED, PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}")
                .setConfigJson("{}").build());
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "in_progress", "cancelled", 0, "cancelled", "cancelled", t0.plusSeconds(1), null, null, null, null, TransitionCause.UNKNOWN, null));
        var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer());
        states.readKeyValuesToList(); // what the fold published

        send(Topics.EXECUTION_PRUNED, io.oe.events.ExecutionPruned.newBuilder().setExecutionId("e1").setStatus("cancelled")
                .setEndedAt(t0.plusSeconds(1)).setPrunedAt(t0.plusSeconds(60)).setArchive("tee-output/archive/e1.tar.gz").build());

        var store = driver.<String, EngineState>getKeyValueStore(ProjectorTopology.STORE);
        assertThat(EngineStateStore.load(store, "e1")).isNull();
        try (var all = store.all()) {
            assertThat(all.hasNext()).as("no entry of e1 is left (header, tiers, phases)").isFalse();
        }
        var tombstone = states.readKeyValue();
        assertThat(tombstone.key).isEqualTo("e1");
        assertThat(tombstone.value).isNull();
        assertThat(states.isEmpty()).isTrue();
    }

    @Test
    void foldsEventsIntoTheEngineStateAndWritesTheAuditTrailInOrder() {
        send(Topics.PLAN_LOADED, PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}")
                .setConfigJson("{}").build());
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "initialized", "in_progress", 0, "started", "in_progress", t0.plusSeconds(1), null, null, null, null, TransitionCause.UNKNOWN, null));
        send(Topics.EXECUTION_STATUS, phase(2, "pending", "ready", 1, 1));
        // a phase transition carries the execution's status after the whole input; the fold must not jump ahead
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", 3, "pending", "pending", 0, null, "waiting_for_intervention", t0.plusSeconds(1), null, null, null, null, TransitionCause.UNKNOWN, null));
        send(Topics.EXECUTION_STATUS, phase(2, "ready", "in_progress", 1, 2));
        send(Topics.AGENT_PROGRESS, new AgentProgress("e1", 2, 1, ProgressKind.TASK_STARTED, "T1", 0, null, "w", t0.plusSeconds(2), java.util.List.of()));
        send(Topics.AGENT_PROGRESS, new AgentProgress("e1", 2, 1, ProgressKind.TASK_PROGRESS, "T1", 65, null, "w", t0.plusSeconds(3), java.util.List.of()));
        send(Topics.AGENT_PROGRESS, new AgentProgress("e1", 2, 1, ProgressKind.HEARTBEAT, null, null, null, "w", t0.plusSeconds(3), java.util.List.of()));

        var store = driver.<String, EngineState>getKeyValueStore(ProjectorTopology.STORE);
        EngineState mid = EngineStateStore.load(store, "e1");
        assertThat(mid.getStatus()).isEqualTo("in_progress");
        assertThat(mid.getCurrentPhase()).isEqualTo(2);
        assertThat(mid.getTasks().get("T1").getProgress()).isEqualTo(65);
        assertThat(mid.getTiers().get(0).getCompleted()).isEqualTo(1);
        assertThat(mid.getTiers().get(0).getRunning()).isEqualTo(1);

        send(Topics.HANDOFF_VALIDATED, new HandoffValidated("ho_e1_2_1", "e1", 2, 1, "@doc", List.of("@dev"),
                HandoffStatus.SUCCESS, List.of(new ArtifactRef("docs.json", 2, "tee-output/artifacts/sha256/ab", "ab", 3L, true, null)),
                List.of(), null, 0, t0.plusSeconds(2), t0.plusSeconds(4), t0.plusSeconds(4), java.util.Map.of(), null));
        send(Topics.EXECUTION_STATUS, phase(2, "in_progress", "completed", 1, 5));
        send(Topics.EXECUTION_STATUS, phase(3, "pending", "skipped", 0, 5));
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "in_progress", "completed", 0, null, "completed", t0.plusSeconds(5), null, null, null, null, TransitionCause.UNKNOWN, null));

        EngineState end = EngineStateStore.load(store, "e1");
        assertThat(end.getStatus()).isEqualTo("completed");
        assertThat(end.getEndTime()).isEqualTo(t0.plusSeconds(5));
        assertThat(end.getPhases().get("2").getStartedAt()).isEqualTo(t0.plusSeconds(2));
        assertThat(end.getPhases().get("2").getCompletedAt()).isEqualTo(t0.plusSeconds(5));
        assertThat(end.getPhases().get("2").getAttempts()).isEqualTo(1);
        assertThat(end.getPhases().get("2").getAttemptHistory()).singleElement().satisfies(a -> {
            assertThat(a.getNumber()).isEqualTo(1);
            assertThat(a.getReadyAt()).isEqualTo(t0.plusSeconds(1));
            assertThat(a.getStartedAt()).isEqualTo(t0.plusSeconds(2));
            assertThat(a.getEndedAt()).isEqualTo(t0.plusSeconds(5));
            assertThat(a.getOutcome()).isEqualTo("completed");
        });
        // ended with its phase: the agent reported neither done
        assertThat(end.getTasks().get("T1").getStatus()).isEqualTo("not_reported");
        assertThat(end.getTasks().get("T1").getProgress()).isEqualTo(65);
        assertThat(end.getTasks().get("T2").getStatus()).isEqualTo("not_reported");
        assertThat(end.getPhases().get("3").getStatus()).isEqualTo("skipped");
        assertThat(end.getHandoffs()).hasSize(1);
        assertThat(end.getCurrentPhases()).isEmpty();

        var log = driver.createOutputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().deserializer(),
                Topics.EXECUTION_LOG.valueSerde().deserializer()).readValuesToList();
        assertThat(log).extracting(LogEntry::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(log).extracting(LogEntry::getType).containsExactly("plan_loaded", "execution_in_progress", "phase_ready",
                "phase_pending",
                "phase_in_progress", "task_started", "task_progress", "handoff_validated", "phase_completed", "phase_skipped",
                "execution_completed");
        assertThat(log.get(7).getMessage()).isEqualTo("handoff ho_e1_2_1 validated: 1 artifact(s) → @dev");
        var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer()).readValuesToList();
        // published when the execution changed status (loaded, started, completed); the burst between was coalesced
        assertThat(states).extracting(EngineState::getStatus).containsExactly("initialized", "in_progress", "completed");
        assertThat(states.get(2).toString()).isEqualTo(end.toString()); // Avro array equals ignores logical types
    }

    @Test
    void aBurstOfPhaseEventsPublishesTheStateOncePerIntervalAndTheLastOneStill() {
        send(Topics.PLAN_LOADED, PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}")
                .setConfigJson("{}").build());
        var out = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer());
        assertThat(out.readValuesToList()).hasSize(1);

        driver.advanceWallClockTime(Duration.ofMillis(150));
        send(Topics.EXECUTION_STATUS, phase(2, "pending", "ready", 1, 1)); // the first after a quiet interval: at once
        assertThat(out.readValuesToList()).singleElement().satisfies(s -> assertThat(s.getPhases().get("2").getStatus()).isEqualTo("ready"));

        send(Topics.EXECUTION_STATUS, phase(2, "ready", "in_progress", 1, 2));
        send(Topics.AGENT_PROGRESS, new AgentProgress("e1", 2, 1, ProgressKind.TASK_PROGRESS, "T1", 65, null, "w", t0.plusSeconds(3), java.util.List.of()));
        assertThat(out.isEmpty()).as("within the interval: kept for later").isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(110)); // the punctuation publishes what is due
        assertThat(out.readValuesToList()).singleElement().satisfies(s -> {
            assertThat(s.getPhases().get("2").getStatus()).isEqualTo("in_progress");
            assertThat(s.getTasks().get("T1").getProgress()).isEqualTo(65);
        });
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertThat(out.isEmpty()).as("nothing new: nothing published").isTrue();
    }

    @Test
    void aBigPlanPublishesItsStateAtMostOncePerIntervalAndAtOnceWhenTheExecutionChanges() {
        int n = ProjectorTopology.LARGE_PLAN_PHASES + 100;
        StringBuilder phases = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            phases.append(i > 1 ? "," : "").append("{\"id\": ").append(i).append(", \"name\": \"p").append(i)
                    .append("\", \"agent\": \"@a\", \"tasks\": [{\"id\": \"T").append(i).append("\"}]}");
            ids.append(i > 1 ? "," : "").append(i);
        }
        String plan = "{\"plan_id\": \"big\", \"project_name\": \"Big\", \"tiers\": [{\"name\": \"all\", \"mode\": \"parallel\", "
                + "\"phases\": [" + ids + "]}], \"phases\": [" + phases + "]}";
        send(Topics.PLAN_LOADED, PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("big")
                .setProjectName("Big").setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(plan).setProjectPlanJson("{}")
                .setConfigJson("{}").build());
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "initialized", "in_progress", 0, "started", "in_progress", t0, null, null, null, null, TransitionCause.UNKNOWN, null));
        var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer());
        assertThat(states.readValuesToList()).hasSize(2); // loaded, started: the execution changed each time

        for (int i = 1; i <= 40; i++) {
            send(Topics.EXECUTION_STATUS, phase(i, "pending", "ready", 1, 1));
            send(Topics.EXECUTION_STATUS, phase(i, "ready", "in_progress", 1, 2));
            send(Topics.EXECUTION_STATUS, phase(i, "in_progress", "completed", 1, 3));
        }
        assertThat(states.isEmpty()).as("120 phase events, no interval passed").isTrue();
        driver.advanceWallClockTime(Duration.ofMillis(1_100));
        EngineState published = states.readValue();
        assertThat(states.isEmpty()).isTrue();
        assertThat(published.getPhases().values().stream().filter(p -> "completed".equals(p.getStatus()))).hasSize(40);
        assertThat(published.getTasks().get("T40").getStatus()).isEqualTo("not_reported"); // ended with its phase
        assertThat(published.getEventCount()).isEqualTo(122);

        send(Topics.EXECUTION_STATUS, phase(41, "pending", "ready", 1, 4));
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "in_progress", "cancelled", 0, "stop", "cancelled", t0.plusSeconds(5), null, null, null, null, TransitionCause.UNKNOWN, null));
        EngineState last = states.readValue();
        assertThat(last.getStatus()).isEqualTo("cancelled");
        assertThat(last.getPhases().get("41").getStatus()).isEqualTo("ready");
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(states.isEmpty()).as("nothing left to publish").isTrue();

        var log = driver.createOutputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().deserializer(),
                Topics.EXECUTION_LOG.valueSerde().deserializer()).readValuesToList();
        assertThat(log).hasSize(124); // the audit trail keeps every event
        // the store holds one entry per phase besides the header and the tiers; a fresh read of it is the state published last
        var store = driver.<String, EngineState>getKeyValueStore(ProjectorTopology.STORE);
        try (var all = store.all()) {
            int entries = 0;
            for (; all.hasNext(); all.next()) {
                entries++;
            }
            assertThat(entries).isEqualTo(n + 2); // the header, the tiers, a phase each
        }
        EngineState reloaded = EngineStateStore.load(store, "e1");
        assertThat(reloaded.getPhases()).hasSize(n);
        assertThat(reloaded.getPhases().get("41").getStatus()).isEqualTo("ready");
        assertThat(reloaded.getPhases().get("40").getAttemptHistory()).hasSize(1);
        assertThat(reloaded.getTasks()).hasSize(n);
    }

    @Test
    void aRedeliveredPlanLoadedLeavesTheExecutionAsItIs() {
        PlanLoaded loaded = PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}")
                .setConfigJson("{}").build();
        send(Topics.PLAN_LOADED, loaded);
        send(Topics.EXECUTION_STATUS, new StatusChanged("e1", null, "initialized", "in_progress", 0, "started", "in_progress", t0.plusSeconds(1), null, null, null, null, TransitionCause.UNKNOWN, null));
        send(Topics.EXECUTION_STATUS, phase(2, "pending", "ready", 1, 1));
        send(Topics.PLAN_LOADED, loaded);

        EngineState s = EngineStateStore.load(driver.<String, EngineState>getKeyValueStore(ProjectorTopology.STORE), "e1");
        assertThat(s.getStatus()).isEqualTo("in_progress");
        assertThat(s.getPhases().get("2").getStatus()).isEqualTo("ready");
        assertThat(s.getEventCount()).isEqualTo(3);
        var log = driver.createOutputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().deserializer(),
                Topics.EXECUTION_LOG.valueSerde().deserializer()).readValuesToList();
        assertThat(log).hasSize(3);
    }
}
