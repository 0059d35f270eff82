package io.oe.standalone;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import kafka.server.KafkaRaftServer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The standalone stack's Kafka broker, in its process: the same single-node KRaft broker as the separate stack's, on
 * the same data directory, so a stack keeps its executions whichever way it runs. Its start ({@link BrokerStart}) runs
 * in the background, begun by {@link StandaloneMain} before Quarkus boots when the local stack started the process
 * (the services wait for their topics, so they start side by side with it); it stops last, after every service has
 * closed its clients.
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

    private volatile BrokerStart start;

    void start(@Observes @Priority(1) StartupEvent event) {
        readiness.register("kafka-broker (embedded)", () -> {
            BrokerStart s = start;
            boolean up = !enabled || (s != null && s.server() != null);
            String state = !enabled ? "disabled" : s == null ? "starting" : s.server() != null ? "RUNNING" : s.problem();
            return HealthCheckResponse.named("kafka-broker (embedded)").status(up).withData("state", state).build();
        });
        if (!enabled) {
            LOG.info("embedded broker disabled: the services use the broker at kafka.bootstrap.servers");
            return;
        }
        start = BrokerStart.early(dir, port, controllerPort).orElseGet(() -> BrokerStart.begin(dir, port, controllerPort));
    }

    /** After every service (their observers run first, with the default priority): none of them loses its broker. */
    void stop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        BrokerStart b = start;
        KafkaRaftServer s = b == null ? null : b.server();
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
            LOG.info("embedded Kafka broker stopped");
        }
    }
}
