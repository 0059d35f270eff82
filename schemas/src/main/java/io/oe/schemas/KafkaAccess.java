package io.oe.schemas;

import static io.oe.schemas.Topics.AGENT_OUTPUT;
import static io.oe.schemas.Topics.AGENT_PROGRESS;
import static io.oe.schemas.Topics.AGENT_RESULT;
import static io.oe.schemas.Topics.ALERTS;
import static io.oe.schemas.Topics.DEAD_LETTERS;
import static io.oe.schemas.Topics.ENGINE_STATE;
import static io.oe.schemas.Topics.EXECUTION_CONTROL;
import static io.oe.schemas.Topics.EXECUTION_DIRECTORY;
import static io.oe.schemas.Topics.EXECUTION_LOG;
import static io.oe.schemas.Topics.EXECUTION_PRUNED;
import static io.oe.schemas.Topics.EXECUTION_STATUS;
import static io.oe.schemas.Topics.HANDOFF_VALIDATED;
import static io.oe.schemas.Topics.PHASE_READY;
import static io.oe.schemas.Topics.SEAT_GRANTS;
import static io.oe.schemas.Topics.SEAT_REQUESTS;
import static io.oe.schemas.Topics.PLAN_LOADED;
import static io.oe.schemas.Topics.PLAN_REJECTED;
import static io.oe.schemas.Topics.PLAN_SUBMISSIONS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each Kafka identity of the engine may do on the broker, written once: the topics it reads and writes, its
 * consumer groups, its Kafka Streams application (whose id prefixes its internal topics, its group and, exactly-once,
 * its transactional ids) and the cluster operations it needs. The broker's ACLs are derived from it ({@link #acls}):
 * the local broker creates them ({@code KafkaBroker}), deploy/k8s's KafkaUsers are checked against them
 * ({@code KubernetesManifestsTest}), and docs/security.md prints them ({@link #markdown()}). Every service writes
 * {@code dead-letters} and {@code alerts} (a record it sets aside is both).
 *
 * <p>Besides the six services, two identities for people and systems outside the engine: the {@code submitter} (a
 * client of the Kafka-native intake) and the {@code operator} (reads every topic: {@code oe tail}, a progress consumer).
 */
public final class KafkaAccess {
    /** Kafka's name of the one cluster resource (DescribeCluster, IdempotentWrite...). */
    public static final String CLUSTER = "kafka-cluster";

    // The services' consumer groups and Kafka Streams application ids, named here so that the code that joins them
    // and the ACLs that allow it cannot differ.
    public static final String PLAN_LOADER_GROUP = "oe-plan-loader";
    public static final String PLAN_LOADER_DIRECTORY_GROUP = "oe-plan-loader-directory";
    public static final String GATEWAY_GROUP = "oe-agent-gateway";
    public static final String ALERT_WEBHOOK_GROUP = "oe-alert-webhook";
    public static final String SCHEDULER_APPLICATION = "oe-phase-scheduler";
    public static final String HANDOFF_APPLICATION = "oe-handoff-service";
    public static final String PROJECTOR_APPLICATION = "oe-state-projector";
    public static final String MONITOR_APPLICATION = "oe-monitor-service";

    /**
     * One identity's rights. {@code streamsApplication} null: no Kafka Streams application; {@code exactlyOnce}: that
     * application writes in transactions. {@code describeCluster}: asks who the brokers are (the scheduler's probe).
     */
    public record Access(String name, String description, List<Topic<?>> reads, List<Topic<?>> writes, List<String> groups,
            String streamsApplication, boolean exactlyOnce, boolean describeCluster) {
        public Access {
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
            groups = List.copyOf(groups);
        }

        /** The Kafka user (and Kubernetes KafkaUser) of this identity. */
        public String user() {
            return "oe-" + name;
        }

        /** True for one of the engine's six services (not a client outside it). */
        public boolean isService() {
            return !CLIENTS.contains(name);
        }
    }

    private static final Set<String> CLIENTS = Set.of("submitter", "operator");

    private static final Map<String, Access> TABLE = table();

    private KafkaAccess() {
    }

    private static Map<String, Access> table() {
        Map<String, Access> t = new LinkedHashMap<>();
        add(t, new Access("plan-loader", "intake and commands; its directory of executions",
                List.of(PLAN_SUBMISSIONS, PLAN_LOADED, EXECUTION_STATUS, EXECUTION_PRUNED, EXECUTION_DIRECTORY),
                List.of(PLAN_REJECTED, PLAN_LOADED, EXECUTION_CONTROL, DEAD_LETTERS, ALERTS, EXECUTION_DIRECTORY),
                List.of(PLAN_LOADER_GROUP, PLAN_LOADER_DIRECTORY_GROUP), null, false, false));
        add(t, new Access("phase-scheduler", "the state machine (Kafka Streams, exactly-once) and its broker probe",
                List.of(PLAN_LOADED, EXECUTION_CONTROL, AGENT_PROGRESS, HANDOFF_VALIDATED, AGENT_RESULT, SEAT_REQUESTS,
                        SEAT_GRANTS, EXECUTION_PRUNED),
                List.of(PHASE_READY, EXECUTION_STATUS, ALERTS, AGENT_RESULT, DEAD_LETTERS, SEAT_REQUESTS, SEAT_GRANTS),
                List.of(), SCHEDULER_APPLICATION, true, true));
        add(t, new Access("agent-gateway", "runs agents; follows cancellations without a group",
                List.of(PHASE_READY, EXECUTION_STATUS),
                List.of(AGENT_PROGRESS, AGENT_OUTPUT, AGENT_RESULT, DEAD_LETTERS, ALERTS),
                List.of(GATEWAY_GROUP), null, false, false));
        add(t, new Access("handoff-service", "validates and stores outputs (Kafka Streams, exactly-once)",
                List.of(AGENT_RESULT),
                List.of(HANDOFF_VALIDATED, DEAD_LETTERS, ALERTS),
                List.of(), HANDOFF_APPLICATION, true, false));
        add(t, new Access("state-projector", "folds every event into the engine state and the audit trail (Kafka Streams, exactly-once)",
                List.of(PLAN_LOADED, EXECUTION_CONTROL, AGENT_PROGRESS, AGENT_RESULT, HANDOFF_VALIDATED, EXECUTION_STATUS, ALERTS,
                        EXECUTION_PRUNED),
                List.of(ENGINE_STATE, EXECUTION_LOG, DEAD_LETTERS, ALERTS),
                List.of(), PROJECTOR_APPLICATION, true, false));
        add(t, new Access("monitor-service", "its views (Kafka Streams, at-least-once), the alert webhook, and who prunes finished executions",
                List.of(ENGINE_STATE, EXECUTION_LOG, AGENT_OUTPUT, ALERTS),
                List.of(DEAD_LETTERS, ALERTS, EXECUTION_PRUNED),
                List.of(ALERT_WEBHOOK_GROUP), MONITOR_APPLICATION, false, false));
        add(t, new Access("submitter", "a client of the Kafka-native intake: submits plans, reads their refusals",
                List.of(PLAN_REJECTED), List.of(PLAN_SUBMISSIONS), List.of(), null, false, false));
        add(t, new Access("operator", "reads every topic (oe tail, a progress consumer), writes nothing",
                Topics.ALL, List.of(), List.of(), null, false, false));
        return t;
    }

    private static void add(Map<String, Access> t, Access a) {
        t.put(a.name(), a);
    }

    /** Every identity, services first, in a fixed order. */
    public static List<Access> all() {
        return List.copyOf(TABLE.values());
    }

    /** The six services' identities. */
    public static List<Access> services() {
        return all().stream().filter(Access::isService).toList();
    }

    /** The identity named {@code name}; an unknown name is an error naming the known ones. */
    public static Access of(String name) {
        Access a = TABLE.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no Kafka identity '" + name + "': one of " + String.join(", ", TABLE.keySet()));
        }
        return a;
    }

    /** The ACLs that grant {@code a} exactly its rights, for the principal {@code User:<a.user()>}, from any host. */
    public static List<AclBinding> acls(Access a) {
        String principal = "User:" + a.user();
        List<AclBinding> out = new ArrayList<>();
        for (Topic<?> t : a.reads()) {
            out.add(allow(principal, ResourceType.TOPIC, t.name(), PatternType.LITERAL, AclOperation.READ));
        }
        for (Topic<?> t : a.writes()) {
            out.add(allow(principal, ResourceType.TOPIC, t.name(), PatternType.LITERAL, AclOperation.WRITE));
        }
        for (String g : a.groups()) {
            out.add(allow(principal, ResourceType.GROUP, g, PatternType.LITERAL, AclOperation.READ));
        }
        String app = a.streamsApplication();
        if (app != null) {
            // Kafka Streams creates, reads, writes and trims its internal topics <application.id>-*, and joins the
            // group <application.id>
            out.add(allow(principal, ResourceType.TOPIC, app + "-", PatternType.PREFIXED, AclOperation.ALL));
            out.add(allow(principal, ResourceType.GROUP, app, PatternType.LITERAL, AclOperation.READ));
            if (a.exactlyOnce()) { // exactly_once_v2: transactional ids <application.id>-<process id>-<thread>
                out.add(allow(principal, ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, AclOperation.WRITE));
                out.add(allow(principal, ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, AclOperation.DESCRIBE));
            }
        }
        if (a.describeCluster()) {
            out.add(allow(principal, ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return out;
    }

    /** Every identity's ACLs. */
    public static List<AclBinding> allAcls() {
        return all().stream().flatMap(a -> acls(a).stream()).toList();
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    /** The table as Markdown, as docs/security.md shows it (a test keeps the two the same). */
    public static String markdown() {
        StringBuilder s = new StringBuilder("| identity (Kafka user) | reads | writes | consumer groups | Kafka Streams application | cluster |\n"
                + "|---|---|---|---|---|---|\n");
        for (Access a : all()) {
            s.append("| `").append(a.user()).append("`: ").append(a.description())
                    .append(" | ").append(names(a.reads()))
                    .append(" | ").append(names(a.writes()))
                    .append(" | ").append(a.groups().isEmpty() ? "" : "`" + String.join("`, `", a.groups()) + "`")
                    .append(" | ").append(a.streamsApplication() == null ? ""
                            : "`" + a.streamsApplication() + "`" + (a.exactlyOnce() ? " (exactly-once)" : ""))
                    .append(" | ").append(a.describeCluster() ? "DescribeCluster" : "")
                    .append(" |\n");
        }
        return s.toString();
    }

    private static String names(List<Topic<?>> topics) {
        if (topics.equals(Topics.ALL)) {
            return "every topic";
        }
        return String.join(", ", topics.stream().map(t -> "`" + t.name() + "`").toList());
    }

}
