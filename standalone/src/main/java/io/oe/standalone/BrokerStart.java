package io.oe.standalone;

import io.oe.deploy.BrokerSettings;
import io.oe.deploy.TopicAdmin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.jboss.logging.Logger;

/**
 * One start of the in-process broker, on a thread of its own: format the data directory if new, start the single-node
 * KRaft broker ({@link BrokerSettings}), create the engine's topics. The standalone's {@link StandaloneMain} begins it
 * before Quarkus boots, from the environment the local stack gives the process, because the broker is the longest
 * part of a start and nothing in it needs the services; {@link EmbeddedBroker} adopts that start, or begins one from
 * its configuration when the process was started otherwise (a test booting the application).
 */
final class BrokerStart {
    private static final Logger LOG = Logger.getLogger(BrokerStart.class);
    /** The environment the local stack sets for the standalone process (LocalStack), all four or none. */
    static final String ENABLED_ENV = "OE_EMBEDDED_BROKER";
    static final String DIR_ENV = "OE_BROKER_DIR";
    static final String PORT_ENV = "OE_BROKER_PORT";
    static final String CONTROLLER_PORT_ENV = "OE_BROKER_CONTROLLER_PORT";

    private static volatile BrokerStart early;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private volatile KafkaRaftServer server;
    private volatile String problem = "starting";

    private BrokerStart(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Begins the broker's start now if the environment asks for an embedded broker and says where; else nothing. */
    static void beginEarly(Map<String, String> env) {
        if (!"true".equals(env.get(ENABLED_ENV)) || env.get(DIR_ENV) == null || env.get(PORT_ENV) == null
                || env.get(CONTROLLER_PORT_ENV) == null) {
            return;
        }
        try {
            early = begin(Path.of(env.get(DIR_ENV)), Integer.parseInt(env.get(PORT_ENV)), Integer.parseInt(env.get(CONTROLLER_PORT_ENV)));
        } catch (RuntimeException e) { // a malformed port: the configuration's start says it, with the setting's name
            early = null;
        }
    }

    /** The start that {@link #beginEarly} began for this directory and ports, if it did. */
    static Optional<BrokerStart> early(Path dir, int port, int controllerPort) {
        BrokerStart b = early;
        return b != null && b.dir.equals(dir) && b.port == port && b.controllerPort == controllerPort ? Optional.of(b) : Optional.empty();
    }

    static BrokerStart begin(Path dir, int port, int controllerPort) {
        BrokerStart b = new BrokerStart(dir, port, controllerPort);
        Thread t = new Thread(b::run, "embedded-broker-start");
        t.setDaemon(true);
        t.start();
        return b;
    }

    /** The running broker, or null while it starts or when it failed ({@link #problem}). */
    KafkaRaftServer server() {
        return server;
    }

    String problem() {
        return problem;
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            Path data = dir.resolve("data");
            Path properties = dir.resolve("server.properties");
            Files.createDirectories(dir);
            Files.writeString(properties, BrokerSettings.serverProperties(data, port, controllerPort, "PLAINTEXT", List.of()));
            if (!BrokerSettings.formatted(data)) {
                format(properties);
            }
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(properties)) {
                p.load(in);
            }
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            s.startup();
            server = s; // from here on it is stopped at the end, even if a topic cannot be created
            TopicAdmin.createAll("localhost:" + port);
            LOG.infof("embedded Kafka broker ready on localhost:%d in %.1f s (data in %s)", port, (System.nanoTime() - t0) / 1e9, data);
        } catch (IOException | RuntimeException e) {
            problem = "failed: " + e.getMessage();
            LOG.error("embedded Kafka broker did not start; the services wait for it (not ready)", e);
        }
    }

    private static void format(Path properties) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = StorageTool.execute(BrokerSettings.formatArguments(properties).toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("kafka storage format failed (exit " + code + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
