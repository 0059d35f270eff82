package io.oe.schemas;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every Kafka client of the engine (services, CLI, tools) authenticates and encrypts, named by the environment
 * once so that no client is configured differently:
 *
 * <ul>
 * <li>{@code KAFKA_SECURITY_PROTOCOL}: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL;</li>
 * <li>{@code KAFKA_SASL_MECHANISM}: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, and {@code KAFKA_SASL_JAAS_CONFIG} (the
 * login module line, a secret: from a Kubernetes Secret, never logged);</li>
 * <li>{@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code …_PASSWORD}, {@code …_TYPE}, and for mutual TLS
 * {@code KAFKA_SSL_KEYSTORE_LOCATION}, {@code …_PASSWORD}, {@code …_TYPE}.</li>
 * </ul>
 *
 * The Quarkus services read the same variables in their application.properties ({@code kafka.*} and
 * {@code kafka-streams.*}); clients they build by hand copy them from the Quarkus Kafka configuration with
 * {@link #of(Map)}.
 */
public final class KafkaClientSecurity {
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final Map<String, String> VARIABLES = Map.of("KAFKA_SASL_MECHANISM", "sasl.mechanism",
            "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config", "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location",
            "KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password", "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type",
            "KAFKA_SSL_KEYSTORE_LOCATION", "ssl.keystore.location", "KAFKA_SSL_KEYSTORE_PASSWORD", "ssl.keystore.password",
            "KAFKA_SSL_KEYSTORE_TYPE", "ssl.keystore.type");

    private KafkaClientSecurity() {
    }

    /** The client properties the environment asks for; empty for PLAINTEXT. A contradiction is an error naming the variable. */
    public static Map<String, Object> fromEnv(Map<String, String> env) {
        String protocol = env.getOrDefault("KAFKA_SECURITY_PROTOCOL", "").strip();
        Map<String, Object> out = new TreeMap<>();
        if (protocol.isEmpty() || protocol.equals("PLAINTEXT")) {
            return out;
        }
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL=" + protocol + " is not one of " + PROTOCOLS);
        }
        out.put("security.protocol", protocol);
        VARIABLES.forEach((variable, property) -> {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                out.put(property, v);
            }
        });
        if (protocol.startsWith("SASL_")) {
            Object mechanism = out.get("sasl.mechanism");
            if (mechanism == null || !MECHANISMS.contains(mechanism.toString())) {
                throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL=" + protocol + " needs KAFKA_SASL_MECHANISM, one of "
                        + MECHANISMS + (mechanism == null ? "" : "; got " + mechanism));
            }
            if (!out.containsKey("sasl.jaas.config")) {
                throw new IllegalArgumentException("KAFKA_SECURITY_PROTOCOL=" + protocol + " needs KAFKA_SASL_JAAS_CONFIG "
                        + "(e.g. the output of KafkaClientSecurity.jaas(mechanism, user, password))");
            }
        }
        return out;
    }

    /**
     * Where and how a hand-built client connects, from a Quarkus Kafka configuration ({@code default-kafka-broker}):
     * the bootstrap servers and the security part, so no client of a service can leave one of them out.
     */
    public static Map<String, Object> connectionOf(Map<String, ?> kafkaConfig) {
        Map<String, Object> out = of(kafkaConfig);
        out.put("bootstrap.servers", kafkaConfig.get("bootstrap.servers"));
        return out;
    }

    /** The security part of a Quarkus Kafka configuration ({@code default-kafka-broker}). */
    public static Map<String, Object> of(Map<String, ?> kafkaConfig) {
        Map<String, Object> out = new TreeMap<>();
        kafkaConfig.forEach((k, v) -> {
            if ((k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) && v != null && !v.toString().isBlank()) {
                out.put(k, v);
            }
        });
        if ("PLAINTEXT".equals(String.valueOf(out.get("security.protocol")))) {
            out.keySet().removeIf(k -> k.startsWith("sasl."));
        }
        return out;
    }

    /** The JAAS line for a user and password, quoted so that a password with quotes or backslashes stays one value. */
    public static String jaas(String mechanism, String user, String password) {
        String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + jaasQuote(user) + "\" password=\"" + jaasQuote(password) + "\";";
    }

    /** A value for inside the double quotes of a JAAS line. */
    public static String jaasQuote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * The variable that holds one service's own login line ({@code OE_KAFKA_JAAS_PLAN_LOADER} for the plan-loader), which
     * that service uses instead of the shared {@code KAFKA_SASL_JAAS_CONFIG}: each service on its own Kafka identity
     * ({@link KafkaAccess}) without knowing how it is run, since every process may be given all of them.
     */
    public static String serviceJaasVariable(String service) {
        return "OE_KAFKA_JAAS_" + service.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
