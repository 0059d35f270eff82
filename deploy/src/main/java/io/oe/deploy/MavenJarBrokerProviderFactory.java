package io.oe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code maven-jar}: a real KRaft broker in its own JVM, free ports, a fresh temporary directory. */
public final class MavenJarBrokerProviderFactory implements BrokerProviderFactory {
    public static final String NAME = "maven-jar";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BrokerProvider create() {
        return create(b -> b);
    }

    /** The same broker, with the builder adjusted first (e.g. {@code b -> b.saslPlain(user, password)}). */
    public static BrokerProvider create(java.util.function.UnaryOperator<KafkaBroker.Builder> customize) {
        Path dir;
        try {
            dir = Files.createTempDirectory("oe-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaBroker broker = customize.apply(KafkaBroker.builder().dir(dir)).build();
        Thread hook = new Thread(broker::stop, "oe-kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        broker.start().createEngineTopics();
        return new BrokerProvider() {
            private boolean closed;

            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public void restart(java.time.Duration down) {
                broker.restart(down);
            }

            @Override
            public synchronized void close() {
                if (closed) {
                    return;
                }
                closed = true;
                broker.stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
                Processes.deleteTree(dir);
            }

            @Override
            public String toString() {
                return "maven-jar broker " + broker.bootstrapServers() + " (pid " + broker.pid() + ", dir " + dir + ")";
            }
        };
    }
}
