package io.oe.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Starts the Kafka Streams applications of the services in this process and stops them at shutdown. A service
 * builds its topology and asks for it to run here; it never builds a {@code KafkaStreams} itself, so every stream
 * gets the same connection, the shared {@code kafka-streams.*} settings of the process (exactly-once, commit and poll
 * intervals, state directory: docs/reliability.md), the dead-letter handlers, metrics and health checks, whether one
 * service runs in the process or all six.
 */
@ApplicationScoped
public class StreamsApps {
    static final String SETTINGS_PREFIX = "kafka-streams.";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    KafkaSettings kafka;
    @Inject
    DeadLetters deadLetters;
    @Inject
    MeterRegistry registry;
    @Inject
    Config config;
    @Inject
    @Readiness
    HealthRegistry readiness;
    @Inject
    @Liveness
    HealthRegistry liveness;

    /** {@link #offTheStepPath()}'s linger (microprofile-config.properties). */
    @ConfigProperty(name = "oe.streams.off-path-producer-linger")
    Duration offPathLinger;

    private final List<StreamsApp> apps = new CopyOnWriteArrayList<>();

    /**
     * Overrides for an application that no step waits for (the projector, the monitor's views): its producer waits
     * {@code oe.streams.off-path-producer-linger} to gather what it writes for a step (log entries, a state, changelog
     * records) into one produce request, where the process's {@code linger.ms=0} serves the services a step goes
     * through. Measured: a chain step's produce requests 15.3 → 11.5 with the projector's (docs/performance.md). Its
     * main consumer fetches as {@link KafkaSettings#offPathConsumer} does: what gathered, not once per record.
     */
    public Map<String, Object> offTheStepPath() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), offPathLinger.toMillis());
        kafka.offPathFetch().forEach((k, v) -> settings.put(StreamsConfig.mainConsumerPrefix(k), v));
        return settings;
    }

    /**
     * Runs {@code topology} as the Kafka Streams application {@code applicationId} of {@code service}, with
     * {@code overrides} on top of the process's {@code kafka-streams.*} settings (a reader that needs no
     * exactly-once, say). Returns at once; the application starts when its topics exist.
     */
    public StreamsApp start(String service, String applicationId, Topology topology, Map<String, Object> overrides) {
        Properties p = settings();
        p.putAll(overrides);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(DeadLetterHandler.SERVICE_CONFIG, service);
        StreamsApp app = new StreamsApp(service, applicationId, topology, p);
        apps.add(app);
        // tagged by client id as every Kafka client's meters are (one tag set per meter name: Prometheus needs it)
        new KafkaStreamsMetrics(app.streams()).bindTo(registry);
        readiness.register(service + " streams", () -> HealthCheckResponse.named(service + " streams")
                .status(app.ready()).withData("application", applicationId).withData("state", app.status()).build());
        liveness.register(service + " streams", () -> HealthCheckResponse.named(service + " streams")
                .status(app.alive()).withData("application", applicationId).withData("state", app.status()).build());
        app.start(() -> Admin.create(kafka.admin(null)));
        return app;
    }

    /** Connection, the process's {@code kafka-streams.*} settings and the dead-letter handlers. */
    Properties settings() {
        Properties p = new Properties();
        p.putAll(kafka.connection());
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(SETTINGS_PREFIX)) {
                config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                        .ifPresent(v -> p.put(name.substring(SETTINGS_PREFIX.length()), v));
            }
        }
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(DeadLetterHandler.DEAD_LETTERS_CONFIG, deadLetters);
        return p;
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        // together: each commits and leaves its group, which takes a moment; one after another would add them up
        List<Thread> closing = apps.stream().map(app -> new Thread(() -> app.close(CLOSE_TIMEOUT), "streams-close-" + app.service())).toList();
        closing.forEach(Thread::start);
        for (Thread t : closing) {
            t.join();
        }
    }
}
