package io.oe.deploy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What the local stack's Kafka broker is: a single-node KRaft broker (combined broker + controller) whose
 * {@code server.properties} are the same whether it runs in its own process ({@link KafkaBroker}) or inside the
 * standalone stack's one process. The settings marked "or things hang" are what a single node needs.
 */
public final class BrokerSettings {
    private BrokerSettings() {
    }

    /** {@code listenersProtocol}: PLAINTEXT or SASL_PLAINTEXT (then {@code extraLines} carry the SASL settings). */
    public static String serverProperties(Path dataDir, int port, int controllerPort, String listenersProtocol,
            List<String> extraLines) {
        String host = "localhost";
        List<String> lines = new ArrayList<>(List.of(
                "# written by io.oe.deploy.BrokerSettings: single-node KRaft, combined broker + controller",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + host + ":" + controllerPort,
                "listeners=" + listenersProtocol + "://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort,
                "advertised.listeners=" + listenersProtocol + "://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listenersProtocol,
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT," + listenersProtocol + ":" + listenersProtocol));
        lines.addAll(extraLines);
        lines.addAll(List.of(
                "log.dirs=" + dataDir,
                "num.partitions=4",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                // a single node: or things hang
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "log.segment.bytes=67108864",
                "log.retention.hours=168",
                "log.cleaner.backoff.ms=5000",
                // one node, no other controller to show liveness to: a no-op metadata record every 5 s, not 0.5 s
                "metadata.max.idle.interval.ms=5000"));
        lines.addAll(overrides(System.getenv(OVERRIDES_ENV)));
        return String.join("\n", lines) + "\n";
    }

    /** Broker settings that replace the ones above (for measuring one against another): {@code key=value;key=value}. */
    public static final String OVERRIDES_ENV = "OE_BROKER_SETTINGS";

    /**
     * The lines of {@link #OVERRIDES_ENV}, each a {@code key=value} written after the defaults so that it wins (the
     * broker reads its properties file as {@link java.util.Properties}: the last of a key holds). A malformed item is
     * refused with its place, before any file is written.
     */
    static List<String> overrides(String spec) {
        List<String> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        String[] items = spec.split(";");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int eq = item.indexOf('=');
            if (eq <= 0 || item.contains("\n")) {
                throw new IllegalArgumentException(OVERRIDES_ENV + ": item " + (i + 1) + " (\"" + item
                        + "\") is not key=value; write settings as key=value;key=value");
            }
            out.add(item);
        }
        if (!out.isEmpty()) {
            out.add(0, "# " + OVERRIDES_ENV);
        }
        return out;
    }

    /** True when the data directory was formatted before: the broker starts on the data it has. */
    public static boolean formatted(Path dataDir) {
        return Files.exists(dataDir.resolve("meta.properties"));
    }

    /**
     * A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (as StorageTool random-uuid). Like Kafka's
     * own Uuid.randomUuid, never one that starts with '-': the storage tool would read it as an option (1 start in 64
     * failed with "argument --cluster-id: expected one argument").
     */
    public static String clusterId() {
        String id;
        do {
            UUID u = UUID.randomUUID();
            ByteBuffer bb = ByteBuffer.allocate(16);
            bb.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bb.array());
        } while (id.startsWith("-"));
        return id;
    }

    /** The arguments of {@code kafka.tools.StorageTool} that format a fresh data directory for this broker. */
    public static List<String> formatArguments(Path propertiesFile) {
        return List.of("format", "--standalone", "-t", clusterId(), "-c", propertiesFile.toString());
    }
}
