package io.oe.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentProgress;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.PresetSpanIds;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The projector's fold spans (docs/architecture.md, "Traces"): each under the span its record names. */
class FoldSpansTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo", "tiers": [{"name": "all", "mode": "sequential", "phases": [1]}],
             "phases": [{"id": 1, "name": "Plan", "agent": "@plan"}]}
            """;
    private final Instant t0 = Instant.parse("2026-01-13T12:00:00Z");
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    private static Properties props(String app) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        return props;
    }

    private Tracing tracingOn() {
        return Tracing.of(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .setIdGenerator(new PresetSpanIds()).addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build(), true);
    }

    private static <V extends SpecificRecord> void send(TopologyTestDriver driver, Topic<V> t, V v, Headers headers) {
        driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer())
                .pipeInput(new TestRecord<>("e1", v, headers, Instant.now()));
    }

    private static Headers traced(SpanContext context) {
        return TraceHeaders.write(new RecordHeaders(), context);
    }

    private PlanLoaded loaded() {
        return PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1").setProjectName("Demo")
                .setProjectDir("/tmp/d").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}").setConfigJson("{}").build();
    }

    @Test
    void eachFoldIsASpanUnderTheSpanItsRecordNamesAndTheStateAndLogLineItPublishesCarryIt() {
        try (var driver = new TopologyTestDriver(ProjectorTopology.build(tracingOn()), props("fold-spans"))) {
            send(driver, Topics.PLAN_LOADED, loaded(), traced(ExecutionSpans.execution("e1")));
            send(driver, Topics.EXECUTION_STATUS, new StatusChanged("e1", 1, "pending", "ready", 1, null, "in_progress",
                    t0.plusSeconds(1), null, null, null, null, TransitionCause.UNKNOWN, null), traced(ExecutionSpans.phase("e1", 1)));
            send(driver, Topics.AGENT_PROGRESS, new AgentProgress("e1", 1, 1, ProgressKind.HEARTBEAT, null, null, null, "w",
                    t0.plusSeconds(2), List.of()), traced(ExecutionSpans.attempt("e1", 1, 1)));

            List<SpanData> spans = exported.getFinishedSpanItems();
            assertThat(spans).extracting(SpanData::getName).containsOnly("state fold").hasSize(3);
            assertThat(spans).extracting(SpanData::getParentSpanId).containsExactly(ExecutionSpans.execution("e1").getSpanId(),
                    ExecutionSpans.phase("e1", 1).getSpanId(), ExecutionSpans.attempt("e1", 1, 1).getSpanId());
            assertThat(spans.get(1).getAttributes().get(FoldSpans.PHASE)).isEqualTo(1L);
            assertThat(spans.get(1).getAttributes().get(FoldSpans.LOG_TYPE)).isEqualTo("phase_ready");
            assertThat(spans.get(1).getAttributes().get(FoldSpans.TOPIC)).isEqualTo(Topics.EXECUTION_STATUS.name());
            assertThat(spans.get(2).getAttributes().get(FoldSpans.CHANGED)).as("a heartbeat changes nothing").isFalse();

            // the log lines and the state it published carry the span of the fold that made them
            var log = driver.createOutputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().deserializer(),
                    Topics.EXECUTION_LOG.valueSerde().deserializer()).readRecordsToList();
            assertThat(log).hasSize(2);
            assertThat(TraceHeaders.read(log.get(1).headers(), "log").orElseThrow().getSpanId()).isEqualTo(spans.get(1).getSpanId());
            var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                    Topics.ENGINE_STATE.valueSerde().deserializer()).readRecordsToList();
            assertThat(TraceHeaders.read(states.get(0).headers(), "state").orElseThrow().getSpanId())
                    .isEqualTo(spans.get(0).getSpanId());
        }
    }

    @Test
    void aGarbageTraceparentStartsANewTraceAndTheEventIsFoldedAsAnyOther() {
        try (var driver = new TopologyTestDriver(ProjectorTopology.build(tracingOn()), props("fold-spans-garbage"))) {
            Headers garbage = new RecordHeaders();
            garbage.add(TraceHeaders.TRACEPARENT, "00-zzzz\nforged log line".getBytes(StandardCharsets.UTF_8));
            send(driver, Topics.PLAN_LOADED, loaded(), garbage);
            assertThat(exported.getFinishedSpanItems()).singleElement()
                    .satisfies(s -> assertThat(s.getParentSpanContext().isValid()).isFalse());
            var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                    Topics.ENGINE_STATE.valueSerde().deserializer()).readValuesToList();
            assertThat(states).singleElement().satisfies(s -> assertThat(s.getStatus()).isEqualTo("initialized"));
        }
    }

    @Test
    void withTracesOffWhatItPublishesCarriesNoTraceContext() {
        try (var driver = new TopologyTestDriver(ProjectorTopology.build(Tracing.of(OpenTelemetry.noop(), false)),
                props("fold-spans-off"))) {
            send(driver, Topics.PLAN_LOADED, loaded(), traced(ExecutionSpans.execution("e1")));
            var states = driver.createOutputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().deserializer(),
                    Topics.ENGINE_STATE.valueSerde().deserializer()).readRecordsToList();
            assertThat(states).singleElement().satisfies(r -> assertThat(r.headers().toArray()).isEmpty());
        }
    }
}
