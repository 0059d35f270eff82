package io.oe.standalone;

import io.oe.deploy.BrokerSettings;
import io.oe.deploy.TopicAdmin;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The standalone stack's Kafka broker, in its process: the same single-node KRaft broker as the separate stack's
 * ({@link BrokerSettings}), on the same data directory, so a stack keeps its executions whichever way it runs. It
 * starts first, in the background (the services wait for their topics, so they start side by side with it), creates
 * the engine's topics, and stops last, after every service has closed its clients.
 */
@ApplicationScoped
public class EmbeddedBroker {
    private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

    @ConfigProperty(name = "oe.standalone.broker.enabled") // application.properties
    boolean enabled;
    @ConfigProperty(name = "oe.standalone.broker.dir")
    Path dir;
    @ConfigProperty(name = "oe.standalone.broker.port")
    int port;
    @ConfigProperty(name = "oe.standalone.broker.controller-port")
    int controllerPort;

    @Inject
    @Readiness
    HealthRegistry readiness;

    private volatile KafkaRaftServer server;
    private volatile String problem = "starting";
    private Thread starter;

    void start(@Observes @Priority(1) StartupEvent event) {
        readiness.register("kafka-broker (embedded)", () -> HealthCheckResponse.named("kafka-broker (embedded)")
                .status(!enabled || server != null).withData("state", enabled ? (server != null ? "RUNNING" : problem) : "disabled").build());
        if (!enabled) {
            LOG.info("embedded broker disabled: the services use the broker at kafka.bootstrap.servers");
            return;
        }
        starter = new Thread(this::run, "embedded-broker-start");
        starter.setDaemon(true);
        starter.start();
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
            server = s;
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

    /** After every service (their observers run first, with the default priority): none of them loses its broker. */
    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        KafkaRaftServer s = server;
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
            LOG.info("embedded Kafka broker stopped");
        }
    }
}
