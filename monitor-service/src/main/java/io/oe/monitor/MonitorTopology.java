package io.oe.monitor;

import io.oe.core.retention.Retention;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.EngineState;
import io.oe.events.ExecutionPruned;
import io.oe.events.LogEntry;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.service.StreamsApp;
import io.oe.service.StreamsApps;
import io.oe.service.traces.TraceHeaders;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Views for interactive queries: the latest engine state per execution, agents' live output ({@link OutputView}), and
 * the audit trail per execution keyed
 * {@code <execution>/<seq>} so that a range scan pages it in order (one entry per key rather than one list per
 * execution: an append is one small put, not a rewrite of the whole list). The trail keeps every entry of an
 * execution: the REST API pages through all of them, and execution-log.json holds the last {@link #FILE_LOG_LIMIT}
 * and says when it was cut. Each update also tells the file writer and the live streams; a state
 * that reached a terminal status is announced as such so that its files are written at once.
 *
 * <p>With several instances each holds the executions of its partitions (and writes their files); the REST layer
 * asks the instance that holds an execution ({@link Instances}, {@code KafkaStreams#queryMetadataForKey}).
 */
@ApplicationScoped
public class MonitorTopology {
    static final String SERVICE = "monitor-service";
    static final String APPLICATION_ID = KafkaAccess.MONITOR_APPLICATION;
    public static final String STATE_VIEW = "engine-state-view";
    public static final String LOG_VIEW = "execution-log-view";
    /** Entries of an execution in execution-log.json: its last ones (the API pages through every one). */
    public static final int FILE_LOG_LIMIT = 10_000;

    /** What the views tell the rest of the service. */
    public interface Listener {
        /** The state or the log of the execution changed. */
        void changed(String executionId);

        /** The execution's state is now terminal: its files should be written without delay. */
        default void finished(String executionId) {
            changed(executionId);
        }

        /**
         * The execution's latest state came with this trace context: the projector's fold that made it (docs/architecture.md,
         * "Traces"). Told before {@link #changed} or {@link #finished}; only when the record carries one.
         */
        default void traced(String executionId, SpanContext fold) {
        }
    }

    @Inject
    ProjectFiles files;
    @Inject
    StateChanges changes;
    @Inject
    StreamsApps apps;
    /** Where other monitor instances reach this one (host:port; OE_ADVERTISED_HOST is the pod IP on Kubernetes). */
    @ConfigProperty(name = "oe.monitor.application-server")
    Optional<String> applicationServer;

    /**
     * How often the views commit their offsets. Not on the way of anything a reader sees: the REST views read the
     * stores as they are, not as last committed; a crash replays at most this much into views that are idempotent
     * (a state replaces the state, a log line is keyed by its sequence). Each commit is broker writes for every
     * partition read, so it is not per event (docs/performance.md, "records per step").
     */
    @ConfigProperty(name = "oe.monitor.commit-interval") // microprofile-config.properties
    Duration commitInterval;
    /** How long a finished execution is kept (service-kit's microprofile-config.properties; {@link Retention#parse}). */
    @ConfigProperty(name = "oe.retention")
    String retention;
    /** How often the state view looks for executions whose retention ran out (microprofile-config.properties). */
    @ConfigProperty(name = "oe.monitor.retention-sweep")
    Duration retentionSweep;
    @ConfigProperty(name = "oe.project-root")
    String projectRoot;

    private volatile StreamsApp app;

    /**
     * The views only read: at-least-once is enough (they are rebuilt from their topics, the files are rewritten
     * whole), reading only committed transactions of the exactly-once projector.
     */
    void start(@Observes StartupEvent event) {
        Pruning pruning = pruning(); // a retention that is not allowed stops the start, naming the setting
        Map<String, Object> settings = new HashMap<>(Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis(),
                StreamsConfig.consumerPrefix("isolation.level"), "read_committed"));
        settings.putAll(apps.offTheStepPath());
        applicationServer.filter(s -> !s.isBlank()).ifPresent(s -> settings.put(StreamsConfig.APPLICATION_SERVER_CONFIG, s));
        app = apps.start(SERVICE, APPLICATION_ID, topology(pruning), settings);
    }

    Pruning pruning() {
        return new Pruning(Retention.parse("oe.retention (OE_RETENTION)", retention), retentionSweep, projectRoot);
    }

    /** The running views; empty until start-up has begun. */
    Optional<StreamsApp> app() {
        return Optional.ofNullable(app);
    }

    /** The application server this instance announces, if any (see {@link Instances}). */
    Optional<String> applicationServer() {
        return applicationServer.filter(s -> !s.isBlank());
    }

    Topology topology(Pruning pruning) {
        return build(new Listener() {
            @Override
            public void changed(String id) {
                files.changed(id);
                changes.changed(id);
            }

            @Override
            public void finished(String id) {
                files.finished(id);
                changes.changed(id);
            }

            @Override
            public void traced(String id, SpanContext fold) {
                files.traced(id, fold);
            }
        }, pruning);
    }

    static String logKey(String executionId, long seq) {
        return executionId + "/" + String.format("%012d", seq);
    }

    /**
     * Keeps the latest state of each execution, and says which execution changed (or finished) and, when its record
     * carries one, the trace context it came with. A tombstone (the projector's, once an execution is pruned) removes
     * it. Its punctuation prunes what aged out ({@link Pruner}).
     */
    private static final class StateViewProcessor implements Processor<String, EngineState, String, ExecutionPruned> {
        private final Listener listener;
        private final Pruning pruning;
        private ProcessorContext<String, ExecutionPruned> context;
        private KeyValueStore<String, EngineState> store;

        StateViewProcessor(Listener listener, Pruning pruning) {
            this.listener = listener;
            this.pruning = pruning;
        }

        @Override
        public void init(ProcessorContext<String, ExecutionPruned> context) {
            this.context = context;
            store = context.getStateStore(STATE_VIEW);
            Pruner pruner = new Pruner(pruning, store, context.getStateStore(LOG_VIEW), context.getStateStore(OutputView.STORE),
                    context.getStateStore(OutputView.SEEN), listener,
                    pruned -> context.forward(new Record<>(pruned.getExecutionId(), pruned, pruned.getPrunedAt().toEpochMilli()),
                            PRUNED_SINK));
            context.schedule(pruning.sweep(), PunctuationType.WALL_CLOCK_TIME, now -> pruner.sweep(java.time.Instant.ofEpochMilli(now)));
        }

        @Override
        public void process(Record<String, EngineState> r) {
            if (r.key() == null) {
                return;
            }
            if (r.value() == null) {
                store.delete(r.key());
                return;
            }
            store.put(r.key(), r.value());
            // a header is a hint: a garbage one is logged with its place and the state taken as any other
            TraceHeaders.read(r.headers(), context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@"
                    + m.offset()).orElse(Topics.ENGINE_STATE.name())).ifPresent(fold -> listener.traced(r.key(), fold));
            if (ExecutionStatus.isTerminal(r.value().getStatus())) {
                listener.finished(r.key());
            } else {
                listener.changed(r.key());
            }
        }
    }

    /** Appends each entry under {@code <execution>/<seq>}: the whole audit trail, in order. */
    private static final class LogViewProcessor implements Processor<String, LogEntry, Void, Void> {
        private final Listener listener;
        private KeyValueStore<String, LogEntry> store;

        LogViewProcessor(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(LOG_VIEW);
        }

        @Override
        public void process(Record<String, LogEntry> r) {
            if (r.key() == null || r.value() == null) {
                return;
            }
            long seq = r.value().getSeq();
            store.put(logKey(r.key(), seq), r.value());
            listener.changed(r.key());
        }
    }

    static final String PRUNED_SINK = "to-execution-pruned";

    /** The views with the default retention (30 days), swept every 10 minutes (tests). */
    static Topology build(Listener listener) {
        return build(listener, new Pruning(new Retention(Retention.DEFAULT), Duration.ofMinutes(10), "/"));
    }

    static Topology build(Listener listener, Pruning pruning) {
        Topology t = new Topology();
        t.addSource("from-engine-state", Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer(), Topics.ENGINE_STATE.name());
        t.addSource("from-execution-log", Topics.EXECUTION_LOG.keySerde().deserializer(),
                Topics.EXECUTION_LOG.valueSerde().deserializer(), Topics.EXECUTION_LOG.name());
        t.addProcessor("state-view", () -> new StateViewProcessor(listener, pruning), "from-engine-state");
        t.addProcessor("log-view", () -> new LogViewProcessor(listener), "from-execution-log");
        // Cached: an execution's state is rewritten on every event, but its changelog gets one record per commit,
        // not one per event: fewer broker writes for chatty executions (no change measured on the bench graphs).
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_VIEW), Serdes.String(),
                Topics.ENGINE_STATE.valueSerde()).withCachingEnabled().withLoggingEnabled(Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_EVENT_BYTES))), "state-view");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LOG_VIEW), Serdes.String(),
                Topics.EXECUTION_LOG.valueSerde()), "log-view", "state-view"); // the state view prunes it too
        OutputView.addTo(t, "state-view");
        t.addSink(PRUNED_SINK, Topics.EXECUTION_PRUNED.name(), Topics.EXECUTION_PRUNED.keySerde().serializer(),
                Topics.EXECUTION_PRUNED.valueSerde().serializer(), "state-view");
        return t;
    }
}
