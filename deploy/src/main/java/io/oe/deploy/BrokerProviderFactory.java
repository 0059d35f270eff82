package io.oe.deploy;

/**
 * A named way to obtain a broker, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.oe.deploy.BrokerProviderFactory}). The name is what the system property
 * {@code oe.test.broker} selects.
 */
public interface BrokerProviderFactory {
    String name();

    /** Starts (or connects to) a broker. May abort the calling test (e.g. no Docker) instead of returning. */
    BrokerProvider create();
}
