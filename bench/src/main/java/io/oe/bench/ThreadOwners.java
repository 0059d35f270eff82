package io.oe.bench;

import io.oe.deploy.LocalStack;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which part of a stack a thread works for, from its name: the standalone stack runs the broker and the six services
 * in one JVM, so its profile is split by thread. Kafka Streams names its threads (and its clients' network threads)
 * after the application id ({@code oe-phase-scheduler-<uuid>-StreamThread-1}); the services name their own threads
 * ({@code phase-ready-consumer}, {@code agent-run}, ...; see ConsumerLoops and each service). What no name ties to one
 * service (HTTP event loops, clients with generated ids, the JVM's own threads) gets a group of its own.
 */
final class ThreadOwners {
    private ThreadOwners() {
    }

    static final String HTTP = "Quarkus: HTTP, metrics (shared)";
    static final String STORES = "RocksDB (the Streams services' stores)";
    static final String FILES = "engine-core file access (shared)";
    static final String CLIENTS = "Kafka clients without a service in their name";
    static final String JVM = "JVM (GC, JIT, VM threads)";
    static final String PROFILER = "profiler";
    static final String OTHER = "other";

    /** First match wins: a Streams producer's network thread names its application, so it goes to its service. */
    private static final List<Map.Entry<String, List<String>>> RULES = List.of(
            Map.entry("phase-scheduler", List.of("oe-phase-scheduler", "oe-broker-probe")),
            Map.entry("handoff-service", List.of("oe-handoff-service")),
            Map.entry("state-projector", List.of("oe-state-projector")),
            Map.entry("monitor-service", List.of("oe-monitor-service", "project-files", "alert-webhook")),
            // the JDK's process reaper waits for the agents, and only the gateway starts processes
            Map.entry("agent-gateway", List.of("oe-agent-gateway", "phase-ready-consumer", "cancellations", "agent-run",
                    "agent-output", "heartbeats", "process reaper")),
            Map.entry("plan-loader", List.of("oe-plan-loader", "plan-submissions", "execution-directory")),
            Map.entry(PROFILER, List.of("Async-profiler", "JFR ")),
            Map.entry(CLIENTS, List.of("kafka-producer-network-thread", "kafka-coordinator-heartbeat-thread",
                    "kafka-admin-client-thread", "kafka-consumer-background")),
            Map.entry(STORES, List.of("rocksdb:")),
            Map.entry(FILES, List.of("confined-open")),
            Map.entry(HTTP, List.of("vert.x-", "vertx-", "executor-thread", "quarkus-", "smallrye-", "micrometer-")),
            Map.entry(Machine.BROKER, List.of("kafka-request-handler", "data-plane-kafka", "kafka-network-thread",
                    "ReplicaFetcher", "LogCleaner", "kafka-log-cleaner", "kafka-scheduler", "raft-", "quorum-", "controller-",
                    "broker-", "group-coordinator", "share-coordinator", "share-group", "transaction-", "TxnMarkerSender",
                    "AddPartitionsToTxnSender", "ExpirationReaper", "ThrottledChannelReaper", "metadata-", "kafka-",
                    "embedded-broker", "executor-", "event-process-thread", "client-metrics-reaper", "persister-state-manager",
                    "PersisterStateManager", "LogDirFailureHandler", "SensorExpiryThread", "metrics-meter-tick-thread")),
            Map.entry(JVM, List.of("C1 Compiler", "C2 Compiler", "GC Thread", "VM Thread", "VM Periodic", "G1 ", "Signal Dispatcher",
                    "Reference Handler", "Finalizer", "Common-Cleaner", "Attach Listener", "Service Thread", "Monitor Deflati",
                    "Sweeper", "Notification Thread", "DestroyJavaVM")));

    /** Whether an owner is one of the stack's own parts (the broker or a service), not a shared or JVM group. */
    static boolean isPartOfTheStack(String owner) {
        return LocalStack.SERVICES.containsKey(owner) || owner.equals(Machine.BROKER);
    }

    /** The owner of a thread (its Java name, else its OS name). */
    static String of(String threadName) {
        if (threadName == null || threadName.isBlank()) {
            return OTHER;
        }
        for (var rule : RULES) {
            for (String marker : rule.getValue()) {
                if (threadName.contains(marker)) {
                    return rule.getKey();
                }
            }
        }
        return OTHER;
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /**
     * A thread's name without what differs between its siblings (uuids, numbers), so that a pool's threads add up:
     * {@code oe-phase-scheduler-<uuid>-StreamThread-1} → {@code oe-phase-scheduler-*-StreamThread-#}.
     */
    static String group(String threadName) {
        if (threadName == null) {
            return "?";
        }
        return NUMBER.matcher(UUID.matcher(threadName).replaceAll("*")).replaceAll("#");
    }
}
