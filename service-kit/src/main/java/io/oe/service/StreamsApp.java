package io.oe.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.jboss.logging.Logger;

/**
 * One Kafka Streams application of one service: its own application id, consumer group, state and clients, as when
 * the service runs alone, whether it shares its process with others (the standalone stack) or not. It starts once the
 * topics it reads and writes exist, sets aside records it cannot take ({@link DeadLetterHandler}), and says truly
 * whether it can serve: {@link #ready()} only while RUNNING (stores queryable), {@link #alive()} false once the
 * client has stopped for good.
 */
public final class StreamsApp {
    private static final Logger LOG = Logger.getLogger(StreamsApp.class);
    /** A stream thread that dies is replaced, unless this many died within {@link #REPLACEMENT_WINDOW}: then stop. */
    static final int MAX_REPLACEMENTS = 5;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(1);

    private final String service;
    private final String applicationId;
    private final KafkaStreams streams;
    private final Set<String> topics;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile String waitingFor = "not started";
    private volatile boolean closing;
    private Thread starter;

    StreamsApp(String service, String applicationId, Topology topology, Properties settings) {
        this.service = service;
        this.applicationId = applicationId;
        this.topics = topicsOf(topology);
        this.streams = new KafkaStreams(topology, settings);
        streams.setUncaughtExceptionHandler(this::onThreadDeath);
        streams.setStateListener((now, before) -> LOG.infof("%s (%s): %s -> %s", service, applicationId, before, now));
    }

    public String service() {
        return service;
    }

    public String applicationId() {
        return applicationId;
    }

    /** The client, for what only it answers (which instance holds a key); queries go through {@link #store}. */
    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Serving: every stream thread running and every local store queryable. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** False once the client stopped for good (an error it could not recover from), unless we are closing it. */
    public boolean alive() {
        var s = streams.state();
        return closing || !(s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                || (s == KafkaStreams.State.NOT_RUNNING && starter != null && !starter.isAlive()));
    }

    /** Why it is not ready, for health checks and logs. */
    public String status() {
        var s = streams.state();
        return s == KafkaStreams.State.CREATED ? waitingFor : s.name();
    }

    /**
     * A local store, queryable now; {@link StoreNotReadyException} while the client is rebalancing or restoring (the
     * caller answers "try again later", never an error).
     */
    public <T> T store(String name, QueryableStoreType<T> type) {
        if (!ready()) {
            throw new StoreNotReadyException(service + ": store " + name + " is not queryable while " + status());
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, type));
        } catch (InvalidStateStoreException e) {
            throw new StoreNotReadyException(service + ": store " + name + " is not queryable yet (" + e.getMessage() + ")");
        }
    }

    /** Starts in the background once every topic of the topology exists (Kafka Streams would stop on a missing one). */
    void start(java.util.function.Supplier<Admin> admins) {
        starter = new Thread(() -> {
            try (Admin admin = admins.get()) {
                while (!closing) {
                    Set<String> missing = new TreeSet<>(topics);
                    try {
                        missing.removeAll(admin.listTopics().names().get(10, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        waitingFor = "waiting for the broker (" + e.getClass().getSimpleName() + ")";
                        sleep(250); // a start-up loop only: every quarter second the service is ready sooner
                        continue;
                    }
                    if (missing.isEmpty()) {
                        break;
                    }
                    waitingFor = "waiting for topics " + missing;
                    sleep(200);
                }
            }
            if (!closing) {
                waitingFor = "starting";
                streams.start();
            }
        }, "streams-start-" + service);
        starter.setDaemon(true);
        starter.start();
    }

    void close(Duration timeout) {
        closing = true;
        streams.close(new KafkaStreams.CloseOptions().timeout(timeout).leaveGroup(true));
    }

    private synchronized StreamThreadExceptionResponse onThreadDeath(Throwable e) {
        long now = System.currentTimeMillis();
        replacements.addLast(now);
        while (!replacements.isEmpty() && replacements.peekFirst() < now - REPLACEMENT_WINDOW.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() > MAX_REPLACEMENTS) {
            LOG.errorf(e, "%s: a stream thread died %d times within %s; stopping the client (not live any more)",
                    service, replacements.size(), REPLACEMENT_WINDOW);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.errorf(e, "%s: a stream thread died; replacing it", service);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The topics the topology reads and writes (not its internal ones: Kafka Streams creates those). */
    static Set<String> topicsOf(Topology topology) {
        Set<String> out = new TreeSet<>(sourcesOf(topology));
        out.addAll(sinksOf(topology));
        return out;
    }

    /** The topics the topology reads (a service's tests check them against its Kafka identity, {@code KafkaAccess}). */
    public static Set<String> sourcesOf(Topology topology) {
        Set<String> out = new TreeSet<>();
        nodesOf(topology).forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                out.addAll(source.topicSet());
            }
        });
        return out;
    }

    /** The topics the topology writes (its dead letters aside: {@link DeadLetterHandler} sends those itself). */
    public static Set<String> sinksOf(Topology topology) {
        Set<String> out = new TreeSet<>();
        nodesOf(topology).forEach(node -> {
            if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                out.add(sink.topic());
            }
        });
        return out;
    }

    private static List<TopologyDescription.Node> nodesOf(Topology topology) {
        return topology.describe().subtopologies().stream().flatMap(sub -> sub.nodes().stream()).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A store asked for while its client is not serving: answer "try again", not an error. */
    public static class StoreNotReadyException extends RuntimeException {
        public StoreNotReadyException(String message) {
            super(message);
        }
    }
}
