package io.oe.scheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.limit.ConcurrencyLimits;
import io.oe.core.scheduler.Scheduler;
import io.oe.core.scheduler.SchedulerSettings;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.service.StreamsApps;
import io.oe.service.traces.Tracing;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * plan-loaded, execution-control, agent-progress, handoff-validated and seat-grants (all keyed by execution id, so
 * co-partitioned) → one processor over the executions store → phase-ready, execution-status, alerts, seat-requests.
 * A second sub-topology, the seat keeper ({@link SeatKeeper}): seat-requests (keyed by limit) → the seats store →
 * seat-grants, and seat-requests for the next limit of a chain.
 */
@ApplicationScoped
public class SchedulerTopology {
    static final String SERVICE = "phase-scheduler";
    static final String APPLICATION_ID = KafkaAccess.SCHEDULER_APPLICATION;
    static final String EXECUTIONS_STORE = "executions";
    static final String PROCESSOR = "scheduler";
    static final String PHASE_READY_SINK = "to-phase-ready";
    static final String STATUS_SINK = "to-execution-status";
    static final String ALERTS_SINK = "to-alerts";
    /** A person's replacement of a reviewed output goes to the handoff-service as a result to validate. */
    static final String AGENT_RESULT_SINK = "to-agent-result";
    static final String SEAT_REQUESTS_SINK = "to-seat-requests";
    static final String KEEPER = "seat-keeper";
    /** The seat keeper's ledgers, one per limit in use (docs/architecture.md, "Limits across executions"). */
    static final String SEATS_STORE = "seats";
    static final String SEAT_GRANTS_SINK = "keeper-to-seat-grants";
    /** The keeper asks the next limit of a chain on the same topic (its own sink keeps the sub-topologies apart). */
    static final String KEEPER_SEAT_REQUESTS_SINK = "keeper-to-seat-requests";

    // defaults: microprofile-config.properties, the one place (an operator's variable beside each)
    @ConfigProperty(name = "oe.scheduler.tick-interval")
    Duration tickInterval;
    @ConfigProperty(name = "oe.scheduler.heartbeat-timeout")
    Duration heartbeatTimeout;
    @ConfigProperty(name = "oe.scheduler.heartbeat-interval")
    Duration heartbeatInterval;
    @ConfigProperty(name = "oe.scheduler.timeout-grace")
    Duration timeoutGrace;
    /**
     * How often the scheduler's transaction commits when nothing asks for it sooner: a dispatch commits at once (a
     * gateway waits for it), and so does a change of the execution's own status (a reader waits for the end of a
     * run); the rest (agents started, heartbeats, results whose handoff is on its way, a phase's transitions that
     * readers show) shares transactions within this interval. Each transaction costs the broker about ten records
     * (docs/performance.md, "records per step").
     */
    @ConfigProperty(name = "oe.scheduler.commit-interval") // microprofile-config.properties
    Duration commitInterval;

    /** The trusted runner configuration (the gateway's and the plan-loader's): its {@code limits}, caps across executions. */
    @ConfigProperty(name = "oe.home")
    String oeHome;
    @ConfigProperty(name = "oe.runners-file")
    String runnersFile;

    @Inject
    BrokerProbe probe;
    @Inject
    MeterRegistry registry;
    @Inject
    StreamsApps apps;
    @Inject
    Tracing tracing;

    void start(@Observes StartupEvent event) {
        probe.start();
        long window = heartbeatTimeout.toMillis();
        // read as the plan-loader reads it: a bad cap (zero, negative, above 10000, an unknown agent or profile) stops
        // the service at start with the file's name and the cap's place
        RunnerConfig runners = RunnerConfig.read(RunnerConfig.locate(oeHome, runnersFile));
        apps.start(SERVICE, APPLICATION_ID, build(new SchedulerSettings(heartbeatTimeout, timeoutGrace, runners::limitsFor),
                runners.limits(), tickInterval, heartbeatInterval, now -> probe.contact().allowanceMs(now, window),
                new SchedulerMetrics(registry), new SchedulerSpans(tracing)),
                Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis()));
    }

    /** {@code cutOffAllowance}: milliseconds of silence not to count at a given time (see {@link BrokerProbe}). */
    static Topology build(SchedulerSettings settings, Duration tickInterval, Duration heartbeatInterval,
            LongUnaryOperator cutOffAllowance, SchedulerMetrics metrics, SchedulerSpans spans) {
        return build(settings, ConcurrencyLimits.NONE, tickInterval, heartbeatInterval, cutOffAllowance, metrics, spans);
    }

    /** {@code caps}: the limits across executions the seat keeper grants seats by. */
    static Topology build(SchedulerSettings settings, ConcurrencyLimits caps, Duration tickInterval,
            Duration heartbeatInterval, LongUnaryOperator cutOffAllowance, SchedulerMetrics metrics, SchedulerSpans spans) {
        Scheduler scheduler = new Scheduler(settings);
        Topology t = new Topology();
        source(t, Topics.PLAN_LOADED);
        source(t, Topics.EXECUTION_CONTROL);
        source(t, Topics.AGENT_PROGRESS);
        source(t, Topics.HANDOFF_VALIDATED);
        source(t, Topics.AGENT_RESULT); // only to know an agent is done while its handoff is validated
        source(t, Topics.SEAT_GRANTS);
        source(t, Topics.EXECUTION_PRUNED); // a finished execution aged out: the store forgets it
        t.addProcessor(PROCESSOR, () -> new SchedulerProcessor(scheduler, tickInterval, heartbeatInterval,
                settings.heartbeatTimeout(), cutOffAllowance, metrics, spans),
                "from-" + Topics.PLAN_LOADED.name(), "from-" + Topics.EXECUTION_CONTROL.name(),
                "from-" + Topics.AGENT_PROGRESS.name(), "from-" + Topics.HANDOFF_VALIDATED.name(),
                "from-" + Topics.AGENT_RESULT.name(), "from-" + Topics.SEAT_GRANTS.name(), "from-" + Topics.EXECUTION_PRUNED.name());
        // Entries per phase (ExecutionStore). Cached: a chatty phase's entry reaches the changelog once per commit.
        // The plan entry of a big plan is as large as its plan-loaded event, hence the changelog's message size.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXECUTIONS_STORE), Serdes.String(),
                Serdes.ByteArray()).withCachingEnabled()
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_EVENT_BYTES))),
                PROCESSOR);
        sink(t, PHASE_READY_SINK, Topics.PHASE_READY);
        sink(t, STATUS_SINK, Topics.EXECUTION_STATUS);
        sink(t, ALERTS_SINK, Topics.ALERTS);
        sink(t, AGENT_RESULT_SINK, Topics.AGENT_RESULT);
        sink(t, SEAT_REQUESTS_SINK, Topics.SEAT_REQUESTS);
        // the seat keeper: its own sub-topology, partitioned by limit
        source(t, Topics.SEAT_REQUESTS);
        t.addProcessor(KEEPER, () -> new SeatKeeper(caps), "from-" + Topics.SEAT_REQUESTS.name());
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEATS_STORE), Serdes.String(),
                Serdes.ByteArray()), KEEPER);
        sink(t, SEAT_GRANTS_SINK, Topics.SEAT_GRANTS, KEEPER);
        sink(t, KEEPER_SEAT_REQUESTS_SINK, Topics.SEAT_REQUESTS, KEEPER);
        return t;
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> void source(Topology t, Topic<V> topic) {
        t.addSource("from-" + topic.name(), topic.keySerde().deserializer(),
                (Deserializer<SpecificRecord>) (Deserializer<?>) topic.valueSerde().deserializer(), topic.name());
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> void sink(Topology t, String name, Topic<V> topic) {
        sink(t, name, topic, PROCESSOR);
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> void sink(Topology t, String name, Topic<V> topic, String parent) {
        t.addSink(name, topic.name(), topic.keySerde().serializer(),
                (Serializer<SpecificRecord>) (Serializer<?>) topic.valueSerde().serializer(), parent);
    }
}
