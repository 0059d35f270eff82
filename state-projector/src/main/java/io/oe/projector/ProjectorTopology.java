package io.oe.projector;

import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.EngineState;
import io.oe.events.ExecutionPruned;
import io.oe.events.PlanLoaded;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.StreamsApps;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every event topic keyed by execution id (co-partitioned) → one fold over the {@code engine-state-store} →
 * engine-state (the new state) and execution-log (one line per event). phase-ready is not read: its key is
 * per phase, and the scheduler's "ready" transition on execution-status says the same thing.
 */
@ApplicationScoped
public class ProjectorTopology {
    static final String SERVICE = "state-projector";
    static final String APPLICATION_ID = KafkaAccess.PROJECTOR_APPLICATION;
    static final String STORE = "engine-state-store";
    static final String PROCESSOR = "fold";
    /** Above this many phases an execution's state is published at most once per interval (see FoldProcessor). */
    static final int LARGE_PLAN_PHASES = 500;

    /**
     * How often an execution's state is published at most while it runs: every event goes to the audit trail, but
     * the state (all its phases and tasks) once per interval, and at once whenever the execution itself changes status
     * (loaded, started, paused, completed...), so the last state of a run is always published. A busy execution would
     * otherwise publish its whole state several times per step (docs/performance.md).
     */
    @ConfigProperty(name = "oe.projector.publish-interval") // microprofile-config.properties
    Duration publishInterval;
    /** The same for an execution of more than {@link #LARGE_PLAN_PHASES} phases, whose state is several MB. */
    @ConfigProperty(name = "oe.projector.large-plan-interval") // microprofile-config.properties
    Duration largePlanInterval;
    /**
     * The projector's transactions: it is not on the way of any step (only readers read what it writes), so it
     * commits less often than the services a step goes through, and each commit carries more events; a change of the
     * execution's own status (started, completed, waiting for a person...) is committed at once, so that a reader
     * waiting for the end of a run does not wait out the interval. Each transaction costs the broker about ten
     * records (coordinator, offsets, a marker per partition written): docs/performance.md, "records per step".
     */
    @ConfigProperty(name = "oe.projector.commit-interval") // microprofile-config.properties
    Duration commitInterval;
    /** The events folded, and execution-pruned: the monitor's word that an execution aged out (the fold drops it). */
    static final List<Topic<?>> INPUTS = List.of(Topics.PLAN_LOADED, Topics.EXECUTION_CONTROL, Topics.AGENT_PROGRESS,
            Topics.AGENT_RESULT, Topics.HANDOFF_VALIDATED, Topics.EXECUTION_STATUS, Topics.ALERTS, Topics.EXECUTION_PRUNED);

    @Inject
    StreamsApps apps;
    @Inject
    Tracing tracing;

    void start(@Observes StartupEvent event) {
        Map<String, Object> settings = new HashMap<>(apps.offTheStepPath());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        apps.start(SERVICE, APPLICATION_ID, build(publishInterval, largePlanInterval, tracing), settings);
    }

    static Topology build() {
        return build(Tracing.of(OpenTelemetry.noop(), false));
    }

    static Topology build(Tracing tracing) {
        return build(Duration.ofMillis(100), Duration.ofSeconds(1), tracing);
    }

    @SuppressWarnings("unchecked")
    static Topology build(Duration publishInterval, Duration largePlanInterval, Tracing tracing) {
        Topology t = new Topology();
        String[] sources = INPUTS.stream().map(topic -> "from-" + topic.name()).toArray(String[]::new);
        for (Topic<?> topic : INPUTS) {
            t.addSource("from-" + topic.name(), topic.keySerde().deserializer(),
                    (Deserializer<SpecificRecord>) (Deserializer<?>) topic.valueSerde().deserializer(), topic.name());
        }
        t.addProcessor(PROCESSOR, () -> new FoldProcessor(publishInterval, largePlanInterval, new FoldSpans(tracing)), sources);
        // Entries per phase (EngineStateStore). Cached: a chatty execution's header reaches the changelog once per commit.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Topics.ENGINE_STATE.keySerde(), Topics.ENGINE_STATE.valueSerde()).withCachingEnabled(), PROCESSOR);
        t.addSink("to-engine-state", Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().serializer(),
                (Serializer<SpecificRecord>) (Serializer<?>) Topics.ENGINE_STATE.valueSerde().serializer(), PROCESSOR);
        t.addSink("to-execution-log", Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().serializer(),
                (Serializer<SpecificRecord>) (Serializer<?>) Topics.EXECUTION_LOG.valueSerde().serializer(), PROCESSOR);
        return t;
    }

    /**
     * Folds each event into its execution's state, logs it, and publishes the state: at once when the execution itself
     * changes status or when its last publication is older than its interval, else once the interval has passed (a
     * punctuation publishes what is due). Every event goes to the audit trail. A pending state lost with a crash is
     * published with the next event. With traces on, each fold is a span ({@link FoldSpans}) and what it publishes (the
     * log line, the state, also when the punctuation publishes it later) carries that span as its trace context.
     */
    static final class FoldProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
        private final EngineStateFold fold = new EngineStateFold();
        private final Duration publishInterval;
        private final Duration largePlanInterval;
        private final FoldSpans spans;
        private ProcessorContext<String, SpecificRecord> context;
        private EngineStateStore states;
        /** Executions whose latest state is not published yet, and when each was last published. */
        private final Map<String, Long> unpublished = new LinkedHashMap<>();
        private final Map<String, Long> publishedAt = new HashMap<>();
        /** The span of the last fold into each unpublished state (traces on only): the state's trace context. */
        private final Map<String, SpanContext> unpublishedFold = new HashMap<>();
        /**
         * The punctuation that publishes what is due, scheduled only while something waits: under exactly-once
         * every punctuation commits a transaction, so one every 25 ms with nothing to do kept an idle stack busy.
         */
        private Cancellable publisher;

        FoldProcessor(Duration publishInterval, Duration largePlanInterval, FoldSpans spans) {
            this.publishInterval = publishInterval;
            this.largePlanInterval = largePlanInterval;
            this.spans = spans;
        }

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            KeyValueStore<String, EngineState> store = context.getStateStore(STORE);
            this.states = new EngineStateStore(store);
            unpublished.clear();
            publishedAt.clear();
            unpublishedFold.clear();
            publisher = null;
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            if (record.value() == null || record.key() == null) {
                return;
            }
            if (record.value() instanceof ExecutionPruned) {
                prune(record.key(), record.timestamp());
                return;
            }
            var metadata = context.recordMetadata();
            String source = metadata.map(m -> m.topic()).orElse("?");
            FoldSpans.Fold span = spans.start(record.key(), source, record.headers(),
                    metadata.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse(source));
            try {
                foldAndPublish(record, source, span);
            } finally {
                span.end();
            }
        }

        private void foldAndPublish(Record<String, SpecificRecord> record, String source, FoldSpans.Fold span) {
            boolean loaded = record.value() instanceof PlanLoaded;
            // a redelivered plan-loaded finds its execution and changes nothing (the fold says so)
            fold.apply(states.get(record.key()), source, record.value()).ifPresent(f -> {
                span.folded(f);
                states.put(f.state(), f.phaseId(), loaded);
                if (f.entry() != null) { // none for a running attempt's usage: the state shows it, the log has its result's
                    context.forward(new Record<>(record.key(), (SpecificRecord) f.entry(), record.timestamp(),
                            FoldSpans.headers(span.context())), "to-execution-log");
                }
                boolean executionChanged = loaded || f.entry() != null && f.entry().getType().startsWith("execution_");
                if (executionChanged) {
                    publish(record.key(), f.state(), record.timestamp(), span.context());
                    context.commit(); // a request: the transaction ends after this record, not at the interval
                } else if (due(record.key(), f.state(), context.currentSystemTimeMs())) {
                    publish(record.key(), f.state(), record.timestamp(), span.context());
                } else {
                    unpublished.putIfAbsent(record.key(), record.timestamp());
                    if (span.context() != null) {
                        unpublishedFold.put(record.key(), span.context());
                    }
                    if (publisher == null) {
                        publisher = context.schedule(Duration.ofMillis(Math.max(10, publishInterval.toMillis() / 4)),
                                PunctuationType.WALL_CLOCK_TIME, this::publishDue);
                    }
                }
            });
        }

        /**
         * Drops a pruned execution from the store and tombstones its engine-state, so that the compacted topic (and the
         * monitor's view, which follows it) loses it too. No log line: the audit trail was archived with it.
         */
        private void prune(String executionId, long timestamp) {
            EngineState state = states.get(executionId);
            if (state != null && !ExecutionStatus.isTerminal(state.getStatus())) {
                return; // rerun after its end in the instant the monitor decided: it runs on (the scheduler keeps it too)
            }
            states.delete(executionId);
            unpublished.remove(executionId);
            publishedAt.remove(executionId);
            context.forward(new Record<String, SpecificRecord>(executionId, null, timestamp), "to-engine-state");
        }

        private boolean due(String executionId, EngineState state, long now) {
            long interval = (state.getPhases().size() > LARGE_PLAN_PHASES ? largePlanInterval : publishInterval).toMillis();
            return now - publishedAt.getOrDefault(executionId, Long.MIN_VALUE / 2) >= interval;
        }

        /** {@code lastFold}: the span of the last fold into this state (null: traces off, or a fold before a restart). */
        private void publish(String executionId, EngineState state, long timestamp, SpanContext lastFold) {
            context.forward(new Record<>(executionId, (SpecificRecord) state, timestamp, FoldSpans.headers(lastFold)),
                    "to-engine-state");
            unpublished.remove(executionId);
            unpublishedFold.remove(executionId);
            if (ExecutionStatus.isTerminal(state.getStatus())) {
                publishedAt.remove(executionId);
            } else {
                publishedAt.put(executionId, context.currentSystemTimeMs()); // the clock punctuations run on
            }
        }

        private void publishDue(long now) {
            for (String id : List.copyOf(unpublished.keySet())) {
                EngineState state = states.get(id);
                if (state == null) {
                    unpublished.remove(id);
                    unpublishedFold.remove(id);
                } else if (due(id, state, now)) {
                    publish(id, state, now, unpublishedFold.get(id));
                }
            }
            if (unpublished.isEmpty() && publisher != null) {
                publisher.cancel();
                publisher = null;
            }
        }
    }
}
