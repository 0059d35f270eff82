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
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the engine's topics (as declared in {@link Topics#ALL}) on any broker. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

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

    /**
     * Creates the topics that do not exist yet (partitions from the contract, compaction and retention where declared,
     * records up to {@link Topics#MAX_EVENT_BYTES}), and brings the settings of those that exist to the contract: a
     * stack whose data outlives a release (the local stack keeps its broker's log) gets a topic that became compacted or
     * got a retention as a new stack would. Partitions are never changed (keys would move).
     */
    public static void create(String bootstrap, Collection<Topic<?>> topics, Map<String, Object> security) {
        Map<String, Map<String, String>> wantedConfigs = new HashMap<>();
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<?> t : topics) {
            Map<String, String> configs = configs(t);
            wantedConfigs.put(t.name(), configs);
            wanted.add(new NewTopic(t.name(), t.partitions(), (short) 1).configs(configs));
        }
        try (Admin admin = admin(bootstrap, security)) {
            var result = admin.createTopics(wanted);
            List<String> existing = new ArrayList<>();
            for (var e : result.values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + e.getKey() + ": " + ex.getCause(), ex);
                    }
                    existing.add(e.getKey());
                }
            }
            align(admin, existing, wantedConfigs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics on " + bootstrap, e);
        }
    }

    /** A topic's settings as its contract declares them. */
    static Map<String, String> configs(Topic<?> t) {
        Map<String, String> configs = new HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, t.compacted()
                ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_EVENT_BYTES)));
        if (t.retention() != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(t.retention().toMillis()));
        }
        return configs;
    }

    /** Sets, on topics that existed already, each declared setting whose value differs from the contract's. */
    private static void align(Admin admin, List<String> existing, Map<String, Map<String, String>> wantedConfigs)
            throws InterruptedException, TimeoutException {
        if (existing.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = existing.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> current;
        try {
            current = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the settings of the engine's topics: " + e.getCause(), e);
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (var e : current.entrySet()) {
            List<AlterConfigOp> ops = new ArrayList<>();
            wantedConfigs.get(e.getKey().name()).forEach((key, value) -> {
                ConfigEntry now = e.getValue().get(key);
                if (now == null || !value.equals(now.value())) {
                    ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
                    LOG.info("topic {}: {} {} -> {} (as its contract declares)", e.getKey().name(), key, now == null ? "unset" : now.value(), value);
                }
            });
            if (!ops.isEmpty()) {
                changes.put(e.getKey(), ops);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot bring the settings of topics " + changes.keySet().stream().map(ConfigResource::name)
                    .sorted().toList() + " to their contract: " + e.getCause(), e);
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
