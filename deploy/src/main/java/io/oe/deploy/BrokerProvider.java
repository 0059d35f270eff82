package io.oe.deploy;

/**
 * The broker seam for tests: where a test's Kafka is. Implementations: {@code maven-jar} (a real KRaft broker
 * from Maven Central jars, see {@link KafkaBroker}; the default) and {@code testcontainers} (Docker; provided by
 * the e2e-tests test sources through {@link BrokerProviderFactory}). Every engine topic exists once
 * {@link BrokerProviders} hands the provider out.
 */
public interface BrokerProvider extends AutoCloseable {
    String bootstrapServers();

    /** Takes the broker away for {@code down} and brings it back with its data (a restart); not every broker can. */
    default void restart(java.time.Duration down) {
        throw new UnsupportedOperationException(this + " cannot be restarted by the tests");
    }

    @Override
    void close();
}
