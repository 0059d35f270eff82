package io.oe.deploy;

import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the engine's topics (as declared in {@link Topics#ALL}) on any broker. */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    public static Admin admin(String bootstrap) {
        return admin(bootstrap, Map.of());
    }

    /** An admin client with the given client security ({@link KafkaClientSecurity}). */
    public static Admin admin(String bootstrap, Map<String, Object> security) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "oe-deploy-admin");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 250); // a broker starting up is seen soon after it listens
        return Admin.create(p);
    }

    public static void createAll(String bootstrap) {
        create(bootstrap, Topics.ALL);
    }

    public static void createAll(String bootstrap, Map<String, Object> security) {
        create(bootstrap, Topics.ALL, security);
    }

    public static void create(String bootstrap, Collection<Topic<?>> topics) {
        create(bootstrap, topics, Map.of());
    }

    /** Creates the topics that do not exist yet (partitions from the contract, compaction and retention where declared, records up to {@link Topics#MAX_EVENT_BYTES}). */
    public static void create(String bootstrap, Collection<Topic<?>> topics, Map<String, Object> security) {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?> t : topics) {
            NewTopic nt = new NewTopic(t.name(), t.partitions(), (short) 1);
            Map<String, String> configs = new HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, t.compacted()
                    ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_EVENT_BYTES)));
            if (t.retention() != null) {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(t.retention().toMillis()));
            }
            nt.configs(configs);
            wanted.add(nt);
        }
        try (Admin admin = admin(bootstrap, security)) {
            var result = admin.createTopics(wanted);
            for (var e : result.values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause(), ex);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics on " + bootstrap, e);
        }
    }

    /** True when the broker answers describeCluster with at least one node within {@code timeout}. */
    public static boolean ready(String bootstrap, Duration timeout) {
        return ready(bootstrap, timeout, Map.of());
    }

    public static boolean ready(String bootstrap, Duration timeout, Map<String, Object> security) {
        try (Admin admin = admin(bootstrap, security)) {
            return ready(admin, timeout);
        }
    }

    /** True when the broker behind {@code admin} answers describeCluster with at least one node within {@code timeout}. */
    public static boolean ready(Admin admin, Duration timeout) {
        try {
            return !admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
