package io.oe.e2e;

import io.oe.deploy.BrokerProvider;
import io.oe.deploy.BrokerProviderFactory;
import io.oe.deploy.TopicAdmin;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code -Doe.test.broker=testcontainers}: Kafka in Docker via Testcontainers. Where no Docker engine is reachable
 * (as on the build machines), the calling test is skipped with a clear message instead of failing.
 */
public final class TestcontainersBrokerProviderFactory implements BrokerProviderFactory {
    public static final String IMAGE = "apache/kafka:4.1.1";

    @Override
    public String name() {
        return "testcontainers";
    }

    @Override
    public BrokerProvider create() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            docker = false;
        }
        String why = "oe.test.broker=testcontainers but no Docker engine is available here; "
                + "skipping. Run without -Doe.test.broker (default maven-jar: a real broker from Maven jars).";
        if (!docker) {
            System.out.println("[e2e] SKIPPED: " + why); // Maven does not print assumption messages
        }
        Assumptions.assumeTrue(docker, why);
        KafkaContainer kafka = new KafkaContainer(IMAGE);
        kafka.start();
        TopicAdmin.createAll(kafka.getBootstrapServers());
        return new BrokerProvider() {
            @Override
            public String bootstrapServers() {
                return kafka.getBootstrapServers();
            }

            @Override
            public void close() {
                kafka.stop();
            }
        };
    }
}
