package io.oe.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.AgentProgress;
import io.oe.events.ArtifactRef;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseReady;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.StatusChanged;
import io.oe.events.Violation;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.PresetSpanIds;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.TraceParent;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTopologyTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo",
             "tiers": [{"name": "prep", "mode": "sequential", "phases": [1, 2]},
                       {"name": "build", "mode": "parallel", "phases": [3, 4]},
                       {"name": "ship", "mode": "sequential", "phases": [5]}],
             "phases": [
               {"id": 1, "name": "Spec", "agent": "@doc", "outputs": [{"artifact": "spec.json", "contract": "contracts/spec.schema.json"}]},
               {"id": 2, "name": "Design", "agent": "@architect", "inputs": [{"artifact": "spec.json", "from": 1}], "retry": {"max_retries": 1, "backoff_seconds": 0}},
               {"id": 3, "name": "Backend", "agent": "@nodejs", "tasks": [{"id": "T1", "title": "API"}]},
               {"id": 4, "name": "Frontend", "agent": "@react"},
               {"id": 5, "name": "Ship", "agent": "@devops"}]}
            """;

    private TopologyTestDriver driver;
    /** What BrokerProbe would excuse: the time the scheduler was cut off from the broker. */
    private long cutOffAllowanceMs;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private TestInputTopic<String, PlanLoaded> planLoaded;
    private TestInputTopic<String, AgentProgress> progress;
    private TestInputTopic<String, HandoffValidated> handoffs;
    private TestInputTopic<String, ExecutionCommand> control;
    private TestOutputTopic<String, PhaseReady> ready;
    private TestOutputTopic<String, StatusChanged> status;

    /** Traces on, to an in-memory exporter, with the id generator the services use. */
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build(), true);

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        driver = new TopologyTestDriver(SchedulerTopology.build(TestSettings.SCHEDULER, Duration.ofMillis(500),
                Duration.ofSeconds(2), now -> cutOffAllowanceMs, new SchedulerMetrics(registry), new SchedulerSpans(tracing)), props);
        planLoaded = input(Topics.PLAN_LOADED);
        progress = input(Topics.AGENT_PROGRESS);
        handoffs = input(Topics.HANDOFF_VALIDATED);
        control = input(Topics.EXECUTION_CONTROL);
        ready = output(Topics.PHASE_READY);
        status = output(Topics.EXECUTION_STATUS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private void load(boolean autostart) {
        planLoaded.pipeInput("e1", PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s1").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/tmp/demo").setSubmittedAt(Instant.now())
                .setPlanJson(PLAN).setProjectPlanJson("{\"project_name\": \"Demo\"}").setConfigJson("{\"max_concurrent_phases\": 3}")
                .setContracts(Map.of("contracts/spec.schema.json", "{\"type\": \"object\"}"))
                .setAgents(Map.of("doc", "---\nname: doc\n---\nWrite docs")).setAutostart(autostart).build());
    }

    private void succeed(PhaseReady r, List<ArtifactRef> artifacts) {
        progress.pipeInput("e1", new AgentProgress("e1", r.getPhaseId(), r.getAttempt(), ProgressKind.STARTED, null, null,
                null, "w1", Instant.now(), java.util.List.of()));
        handoffs.pipeInput("e1", handoff(r, HandoffStatus.SUCCESS, artifacts, List.of(), null));
    }

    private static HandoffValidated handoff(PhaseReady r, HandoffStatus s, List<ArtifactRef> artifacts,
            List<Violation> violations, String error) {
        Instant now = Instant.now();
        return new HandoffValidated("ho_" + r.getPhaseId(), "e1", r.getPhaseId(), r.getAttempt(), r.getAgent(), List.of(), s,
                artifacts, violations, error, null, now, now, now, java.util.Map.of(), null);
    }

    private ExecutionState stored() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(SchedulerTopology.EXECUTIONS_STORE);
        return ExecutionStore.load(store, "e1");
    }

    @Test
    void runsThePlanThroughItsTiersAndPublishesEveryTransition() {
        load(false);
        assertThat(ready.isEmpty()).isTrue(); // initialized: waits for START
        control.pipeInput("e1", new ExecutionCommand("c1", "e1", CommandKind.START, null, "me", null, null, Instant.now(), false, null, null, null, null, null, null));
        PhaseReady first = ready.readKeyValue().value;
        assertThat(first.getPhaseId()).isEqualTo(1);
        assertThat(first.getAgentDefinition()).contains("Write docs");
        assertThat(first.getOutputs()).singleElement().satisfies(o -> {
            assertThat(o.getContractJson()).isEqualTo("{\"type\": \"object\"}");
            assertThat(o.getConsumers()).containsExactly("@architect");
        });
        var spec = new ArtifactRef("spec.json", 1, "tee-output/artifacts/sha256/ab", "ab", 10L, true, null);
        succeed(first, List.of(spec));
        var second = ready.readKeyValue();
        assertThat(second.key).isEqualTo("e1/2");
        assertThat(second.value.getInputs()).containsExactly(spec);
        assertThat(second.value.getInputContracts()).containsExactly(java.util.Map.entry("spec.json", "{\"type\": \"object\"}"));
        succeed(second.value, List.of());
        var parallel = ready.readValuesToList();
        assertThat(parallel).extracting(PhaseReady::getPhaseId).containsExactly(3, 4);
        succeed(parallel.get(0), List.of());
        assertThat(ready.isEmpty()).isTrue(); // sync point: 5 waits for 4
        succeed(parallel.get(1), List.of());
        succeed(ready.readValue(), List.of());
        assertThat(stored().status().json()).isEqualTo("completed");
        List<StatusChanged> transitions = status.readValuesToList();
        assertThat(transitions).filteredOn(s -> s.getPhaseId() == null).extracting(StatusChanged::getToStatus)
                .containsExactly("initialized", "in_progress", "completed");
        assertThat(transitions).filteredOn(s -> Integer.valueOf(3).equals(s.getPhaseId()))
                .extracting(StatusChanged::getToStatus).containsExactly("ready", "in_progress", "completed");
        // the same decisions as Prometheus meters (/q/metrics)
        assertThat(registry.get("oe.phase.transitions").tag("to", "in_progress").counter().count()).isEqualTo(5);
        assertThat(registry.get("oe.phase.transitions").tag("to", "completed").counter().count()).isEqualTo(5);
        assertThat(registry.get("oe.execution.transitions").tag("to", "completed").counter().count()).isEqualTo(1);
        assertThat(registry.get("oe.phase.attempt.duration").tag("outcome", "completed").timer().count()).isEqualTo(5);
    }

    private void pruned() {
        input(Topics.EXECUTION_PRUNED).pipeInput("e1", io.oe.events.ExecutionPruned.newBuilder().setExecutionId("e1")
                .setStatus("cancelled").setEndedAt(Instant.now()).setPrunedAt(Instant.now()).build());
    }

    @Test
    void aPrunedFinishedExecutionLeavesNoEntryInTheStore() {
        load(true);
        ready.readValuesToList();
        control.pipeInput("e1", new ExecutionCommand("c2", "e1", CommandKind.CANCEL, null, "me", null, null, Instant.now(), false, null, null, null, null, null, null));
        assertThat(stored().status().json()).isEqualTo("cancelled");

        pruned();

        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(SchedulerTopology.EXECUTIONS_STORE);
        try (var all = store.all()) {
            assertThat(all.hasNext()).as("no header, plan, run or artifact of e1 is left").isFalse();
        }
    }

    @Test
    void aPruneOfAnExecutionThatRunsHereIsIgnored() {
        load(true);
        pruned();
        assertThat(stored().status().json()).isEqualTo("in_progress");
    }

    @Test
    void theSpansOfAnExecutionFormOneTreeAndEveryRecordCarriesTheSpanItBelongsTo() {
        load(true);
        var first = ready.readRecord();
        assertThat(header(first.headers())).isEqualTo(TraceParent.format(ExecutionSpans.attempt("e1", 1, 1)));
        succeed(first.value(), List.of());
        var design = ready.readRecord().value();
        handoffs.pipeInput("e1", handoff(design, HandoffStatus.FAILED, List.of(), List.of(), "exited with code 1"));
        var retry = ready.readRecord();
        assertThat(header(retry.headers())).isEqualTo(TraceParent.format(ExecutionSpans.attempt("e1", 2, 2)));
        succeed(retry.value(), List.of());
        while (!ready.isEmpty()) {
            succeed(ready.readValue(), List.of());
        }
        assertThat(stored().status().json()).isEqualTo("completed");
        assertThat(status.readRecordsToList()).allSatisfy(r -> assertThat(header(r.headers())).isEqualTo(TraceParent.format(
                r.value().getPhaseId() == null ? ExecutionSpans.execution("e1") : ExecutionSpans.phase("e1", r.value().getPhaseId()))));

        var sent = spans.getFinishedSpanItems();
        var execution = sent.stream().filter(s -> s.getName().equals("execution")).toList();
        assertThat(execution).singleElement().satisfies(e -> {
            assertThat(e.getSpanId()).isEqualTo(ExecutionSpans.execution("e1").getSpanId());
            assertThat(e.getParentSpanContext().isValid()).isFalse();
        });
        assertThat(sent.stream().filter(s -> s.getName().equals("phase"))).hasSize(5).allSatisfy(p -> {
            assertThat(p.getParentSpanId()).isEqualTo(execution.get(0).getSpanId());
            assertThat(p.getSpanId()).isEqualTo(ExecutionSpans.phase("e1", p.getAttributes().get(SchedulerSpans.PHASE).intValue()).getSpanId());
        });
        var attempts = sent.stream().filter(s -> s.getName().equals("attempt")).toList();
        assertThat(attempts).hasSize(6).allSatisfy(a -> {
            int phase = a.getAttributes().get(SchedulerSpans.PHASE).intValue();
            assertThat(a.getParentSpanId()).isEqualTo(ExecutionSpans.phase("e1", phase).getSpanId());
            assertThat(a.getSpanId()).isEqualTo(ExecutionSpans.attempt("e1", phase, a.getAttributes().get(SchedulerSpans.ATTEMPT).intValue()).getSpanId());
        });
        assertThat(attempts.get(1).getAttributes().get(SchedulerSpans.PHASE)).isEqualTo(2L);
        assertThat(attempts.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempts.get(1).getAttributes().get(SchedulerSpans.OUTCOME)).isEqualTo("failed");
        assertThat(sent).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(ExecutionSpans.execution("e1").getTraceId()));
    }

    @Test
    void withTracesOffRecordsCarryNoTraceContextAndNoSpanIsMade() {
        driver.close();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scheduler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        driver = new TopologyTestDriver(SchedulerTopology.build(TestSettings.SCHEDULER, Duration.ofMillis(500),
                Duration.ofSeconds(2), now -> 0, new SchedulerMetrics(registry),
                new SchedulerSpans(Tracing.of(io.opentelemetry.api.OpenTelemetry.noop(), false))), props);
        planLoaded = input(Topics.PLAN_LOADED);
        handoffs = input(Topics.HANDOFF_VALIDATED);
        progress = input(Topics.AGENT_PROGRESS);
        ready = output(Topics.PHASE_READY);
        load(true);
        var first = ready.readRecord();
        assertThat(first.headers().lastHeader(TraceHeaders.TRACEPARENT)).isNull();
        succeed(first.value(), List.of());
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    private static String header(org.apache.kafka.common.header.Headers headers) {
        var h = headers.lastHeader(TraceHeaders.TRACEPARENT);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void aContractViolationIsRetriedWithTheViolationsAsPreviousError() {
        load(true);
        PhaseReady first = ready.readValue();
        succeed(first, List.of());
        PhaseReady design = ready.readValue();
        handoffs.pipeInput("e1", handoff(design, HandoffStatus.FAILED, List.of(),
                List.of(new Violation("design.json", "/services/0/port", "maximum", "must be at most 65535")),
                "handoff failed: 1 contract violation"));
        PhaseReady retry = ready.readValue();
        assertThat(retry.getAttempt()).isEqualTo(2);
        assertThat(retry.getPreviousError()).contains("design.json /services/0/port: must be at most 65535 (maximum)");
        // the late result of attempt 1 is stale and changes nothing
        handoffs.pipeInput("e1", handoff(design, HandoffStatus.SUCCESS, List.of(), List.of(), null));
        assertThat(stored().phase(2).status()).isEqualTo(PhaseStatus.READY);
        assertThat(ready.isEmpty()).isTrue();
    }

    @Test
    void aDuplicatePlanLoadedDoesNotRestartTheExecution() {
        load(true);
        ready.readValue();
        load(true);
        assertThat(ready.isEmpty()).isTrue();
        assertThat(stored().phase(1).attempt()).isEqualTo(1);
    }

    @Test
    void silenceWhileCutOffFromTheBrokerDoesNotFailARunningAttempt() {
        load(true);
        PhaseReady first = ready.readValue();
        progress.pipeInput("e1", new AgentProgress("e1", 1, 1, ProgressKind.STARTED, null, null, null, "w1", Instant.now(), java.util.List.of()));
        status.readValuesToList();
        // 20 s without a heartbeat (the timeout is 15 s), all of it while the scheduler could not reach the broker
        cutOffAllowanceMs = 20_000;
        driver.advanceWallClockTime(Duration.ofSeconds(20));
        assertThat(stored().phase(1).status()).isEqualTo(io.oe.core.scheduler.PhaseStatus.IN_PROGRESS);
        assertThat(status.readValuesToList()).isEmpty();
        // in contact again and still silent: now it counts
        cutOffAllowanceMs = 0;
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(status.readValuesToList()).anySatisfy(c -> assertThat(c.getReason()).startsWith("no heartbeat from w1"));
        assertThat(first.getPhaseId()).isEqualTo(1);
    }
}
