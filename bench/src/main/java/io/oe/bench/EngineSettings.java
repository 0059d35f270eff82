package io.oe.bench;

import io.oe.schemas.KafkaClientSecurity;
import io.oe.service.KafkaSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka client settings the engine's services run with, taken from the engine's own code and configuration rather
 * than written again here: producers and consumers from service-kit's {@link KafkaSettings}, Kafka Streams from the
 * {@code kafka-streams.*} defaults in service-kit's {@code META-INF/microprofile-config.properties}, resolved against
 * the environment the stack was started with (so {@code bench/run --env OE_STREAMS_COMMIT_MS=10} changes the floor's
 * commit interval as it changes the services').
 */
final class EngineSettings {
    static final String STREAMS_PREFIX = "kafka-streams.";
    /** The only expression form the file uses: {@code ${NAME:default}}. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_]+):([^}]*)}");

    private final KafkaSettings clients;
    private final Map<String, String> streams;

    private EngineSettings(KafkaSettings clients, Map<String, String> streams) {
        this.clients = clients;
        this.streams = streams;
    }

    /** {@code env}: what the services see (the bench's environment with the stack's extra variables over it). */
    static EngineSettings of(String bootstrap, Map<String, String> env) {
        Map<String, Object> kafkaConfig = new HashMap<>(KafkaClientSecurity.fromEnv(env));
        kafkaConfig.put("bootstrap.servers", bootstrap);
        Properties defaults = serviceKitDefaults();
        Map<String, String> streams = streamsSettings(defaults, env);
        String fetchMaxWaitKey = KafkaSettings.FETCH_MAX_WAIT_KEY.substring("kafka-streams.".length());
        int fetchMaxWait = Integer.parseInt(Objects.requireNonNull(streams.get(fetchMaxWaitKey),
                () -> "service-kit's defaults no longer set " + KafkaSettings.FETCH_MAX_WAIT_KEY));
        int offPathFetchWait = Integer.parseInt(resolve(Objects.requireNonNull(defaults.getProperty(
                KafkaSettings.OFF_PATH_FETCH_WAIT_KEY), () -> "service-kit's defaults no longer set "
                + KafkaSettings.OFF_PATH_FETCH_WAIT_KEY), env).strip());
        return new EngineSettings(new KafkaSettings(kafkaConfig, fetchMaxWait, offPathFetchWait), streams);
    }

    /** The bench's own environment with {@code extra} (bench/run --env) over it: what every service process gets. */
    static Map<String, String> serviceEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extra);
        return env;
    }

    /** Bootstrap servers and security, for an admin client. */
    Map<String, Object> connection() {
        return clients.connection();
    }

    Map<String, Object> producer() {
        return clients.producer();
    }

    Map<String, Object> consumer(String groupId) {
        return clients.consumer(groupId);
    }

    /** Connection and the services' {@code kafka-streams.*} settings, without the prefix (as StreamsApps passes them). */
    Properties streams() {
        Properties p = new Properties();
        p.putAll(clients.connection());
        p.putAll(streams);
        return p;
    }

    /** One setting of Kafka Streams as the services get it (e.g. {@code commit.interval.ms}), or null. */
    String streams(String name) {
        return streams.get(name);
    }

    /** How often the services' exactly-once transactions commit (Kafka Streams' own default if unset). */
    long commitIntervalMs() {
        String v = streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        return v != null ? Long.parseLong(v.strip()) : 100;
    }

    /** The Kafka Streams settings that set a hop's latency, as they were read: for the output beside the floor. */
    String describeStreams() {
        return Stream.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                StreamsConfig.POLL_MS_CONFIG, "consumer.fetch.max.wait.ms", "producer.linger.ms", StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)
                .filter(streams::containsKey).map(k -> k + "=" + streams.get(k)).collect(Collectors.joining(", "));
    }

    /**
     * The {@code kafka-streams.*} entries of a MicroProfile Config file, each resolved as SmallRye Config resolves it:
     * an environment variable named after the property ({@code KAFKA_STREAMS_POLL_MS}) wins, else the expression's
     * variable, else its default; blank values are left out (StreamsApps skips them too).
     */
    static Map<String, String> streamsSettings(Properties file, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : file.stringPropertyNames().stream().sorted().toList()) {
            if (!name.startsWith(STREAMS_PREFIX)) {
                continue;
            }
            String byName = env.get(name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase());
            String value = byName != null ? byName : resolve(file.getProperty(name), env);
            if (!value.isBlank()) {
                out.put(name.substring(STREAMS_PREFIX.length()), value);
            }
        }
        return out;
    }

    static String resolve(String value, Map<String, String> env) {
        Matcher m = EXPRESSION.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(env.getOrDefault(r.group(1), r.group(2))));
    }

    /** service-kit's defaults file, from the jar (or classes directory) that holds {@link KafkaSettings}. */
    static Properties serviceKitDefaults() {
        URL base = KafkaSettings.class.getProtectionDomain().getCodeSource().getLocation();
        try {
            String root = base.toString();
            URL file = new URL(root.endsWith(".jar") ? "jar:" + root + "!/" + MP_CONFIG : root + MP_CONFIG);
            try (InputStream in = file.openStream()) {
                Properties p = new Properties();
                p.load(in);
                return p;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service-kit's " + MP_CONFIG + " beside " + base, e);
        }
    }

    private static final String MP_CONFIG = "META-INF/microprofile-config.properties";
}
