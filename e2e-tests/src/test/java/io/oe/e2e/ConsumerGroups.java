package io.oe.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/** Waits until instances of a service really share its work: tests that need two must not start with one. */
final class ConsumerGroups {
    private ConsumerGroups() {
    }

    /** Until every group has exactly {@code members} members, each owning partitions; their descriptions then. */
    static Map<String, ConsumerGroupDescription> awaitSpread(String bootstrap, int members, Duration timeout,
            String... groups) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<String, ConsumerGroupDescription> found = admin.describeConsumerGroups(List.of(groups)).all().get();
                boolean settled = found.values().stream().allMatch(g -> g.members().size() == members
                        && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()));
                if (settled) {
                    return found;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumer groups did not settle on " + members + " members each: " + found);
                }
                Thread.sleep(250);
            }
        }
    }
}
