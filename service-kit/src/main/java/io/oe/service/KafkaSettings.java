package io.oe.service;

import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topics;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where and how every Kafka client of a service connects, read once from the service's configuration
 * ({@code kafka.bootstrap.servers} and the TLS/SASL block, docs/security.md), and the client settings the engine's
 * guarantees rest on (docs/reliability.md), so that no client is built with one of them left out.
 */
@ApplicationScoped
public class KafkaSettings {
    private static final Logger LOG = Logger.getLogger(KafkaSettings.class);
    /** A killed instance's partitions move to a live one after this long instead of the 45 s default. */
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int HEARTBEAT_INTERVAL_MS = 2_000;

    /** The key that sets how long an idle fetch waits at the broker, for the stream threads' consumers and the rest. */
    public static final String FETCH_MAX_WAIT_KEY = "kafka-streams.consumer.fetch.max.wait.ms";

    /** The key that sets how long a reader no step waits for gathers records before its fetch returns. */
    public static final String OFF_PATH_FETCH_WAIT_KEY = "oe.kafka.off-path-fetch-wait-ms";
    /** More than a step writes: an off-path fetch returns at its wait, or early in a burst (a 1,000-phase tier). */
    static final int OFF_PATH_FETCH_MIN_BYTES = 1 << 20;

    private final Map<String, Object> connection;
    private final int fetchMaxWaitMs;
    private final int offPathFetchWaitMs;

    /**
     * {@code fetchMaxWaitMs}: the process's {@value #FETCH_MAX_WAIT_KEY}, so that every consumer asks as seldom;
     * {@code offPathFetchWaitMs}: {@value #OFF_PATH_FETCH_WAIT_KEY}, for {@link #offPathConsumer}. Both set once, in
     * service-kit's defaults. The login is the application's own when {@link KafkaClientSecurity#serviceJaasVariable}
     * of its name is set (each service on its own Kafka identity, whichever way it is run), else the shared
     * {@code KAFKA_SASL_JAAS_CONFIG}.
     */
    @Inject
    public KafkaSettings(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = FETCH_MAX_WAIT_KEY) int fetchMaxWaitMs,
            @ConfigProperty(name = OFF_PATH_FETCH_WAIT_KEY) int offPathFetchWaitMs,
            @ConfigProperty(name = "quarkus.application.name") String application, Config config) {
        this(kafkaConfig, fetchMaxWaitMs, offPathFetchWaitMs, application,
                config.getOptionalValue(KafkaClientSecurity.serviceJaasVariable(application), String.class));
    }

    /** With the shared login (tools, tests). */
    public KafkaSettings(Map<String, Object> kafkaConfig, int fetchMaxWaitMs, int offPathFetchWaitMs) {
        this(kafkaConfig, fetchMaxWaitMs, offPathFetchWaitMs, null, Optional.empty());
    }

    KafkaSettings(Map<String, Object> kafkaConfig, int fetchMaxWaitMs, int offPathFetchWaitMs, String application,
            Optional<String> ownJaas) {
        Map<String, Object> c = KafkaClientSecurity.connectionOf(kafkaConfig);
        Optional<String> own = ownJaas.filter(j -> !j.isBlank());
        if (own.isPresent()) {
            String variable = KafkaClientSecurity.serviceJaasVariable(application);
            if (!String.valueOf(c.get("security.protocol")).startsWith("SASL_")) {
                throw new IllegalArgumentException(variable + " is set, but KAFKA_SECURITY_PROTOCOL is "
                        + c.getOrDefault("security.protocol", "PLAINTEXT") + ", not SASL_PLAINTEXT or SASL_SSL: a login needs SASL");
            }
            c.put("sasl.jaas.config", own.get());
            LOG.infof("Kafka identity: %s's own login (%s)", application, variable);
        } else if (application != null && c.containsKey("sasl.jaas.config")) {
            LOG.infof("Kafka identity: the shared login (KAFKA_SASL_JAAS_CONFIG; %s not set)",
                    KafkaClientSecurity.serviceJaasVariable(application));
        }
        this.connection = Map.copyOf(c);
        this.fetchMaxWaitMs = fetchMaxWaitMs;
        this.offPathFetchWaitMs = offPathFetchWaitMs;
    }

    /** Bootstrap servers and security: what any client (admin, producer, consumer, Kafka Streams) needs. */
    public Map<String, Object> connection() {
        return new HashMap<>(connection);
    }

    /**
     * An admin client's contact with the broker: it asks until the broker answers (the broker may start after the
     * service) and notices it within a quarter second. {@code clientId} null: Kafka's generated one.
     */
    public Map<String, Object> admin(String clientId) {
        Map<String, Object> a = connection();
        if (clientId != null) {
            a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        }
        a.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250);
        return a;
    }

    /** An acknowledged event is durable and never duplicated by the producer's own retries; no batching delay. */
    public Map<String, Object> producer() {
        Map<String, Object> p = connection();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_EVENT_BYTES);
        return p;
    }

    /**
     * A consumer that commits by itself (never automatically), reads only committed transactions (the Kafka Streams
     * services write exactly-once) and leaves a dead instance's partitions quickly. {@code groupId} null: an
     * assign-only consumer.
     */
    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> c = connection();
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        }
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a fetch returns as soon as a record is there: this only sets how often an idle consumer asks the broker
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        return c;
    }

    /**
     * A {@link #consumer} that no step waits for (the gateway's watch for cancellations, the alert webhook; not the
     * plan-loader's directory, which a command is checked against): while records come it asks the broker once per
     * {@value #OFF_PATH_FETCH_WAIT_KEY} and takes what gathered, where a consumer that fetches from 1 byte on asks once
     * per record (a chain step wakes each reader of execution-status three or four times).
     */
    public Map<String, Object> offPathConsumer(String groupId) {
        Map<String, Object> c = consumer(groupId);
        c.putAll(offPathFetch());
        return c;
    }

    /**
     * The fetch settings of {@link #offPathConsumer}, for a Kafka Streams application's main consumer too; none when
     * the wait is 0 (such readers then fetch as every consumer does: to measure one against the other).
     */
    public Map<String, Object> offPathFetch() {
        return offPathFetchWaitMs <= 0 ? Map.of() : Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, OFF_PATH_FETCH_MIN_BYTES,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, offPathFetchWaitMs);
    }
}
