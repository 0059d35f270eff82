package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s read into the Kubernetes (fabric8) and Strimzi object models: every document has a known kind, no field
 * the model does not know (a typo such as {@code readinesProbe} would otherwise be ignored by the API server), and the
 * manifests agree with the code: one KafkaTopic per topic of {@link Topics}, one Deployment per service with probes,
 * resources and its configuration.
 */
class KubernetesManifestsTest {
    private static final Path DIR = locate();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class, "Service",
            Service.class, "ConfigMap", ConfigMap.class, "Namespace", Namespace.class, "PersistentVolumeClaim",
            PersistentVolumeClaim.class, "NetworkPolicy", NetworkPolicy.class, "Kafka", Kafka.class, "KafkaTopic",
            KafkaTopic.class, "KafkaNodePool", KafkaNodePool.class, "KafkaUser", KafkaUser.class);
    private static final List<String> SERVICES = List.of("plan-loader", "phase-scheduler", "agent-gateway", "handoff-service",
            "state-projector", "monitor-service");
    private static final String ADMIN = "oe-admin";
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final List<HasMetadata> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                var parser = new YAMLFactory().createParser(file.toFile());
                for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
                    if (doc == null || doc.isEmpty()) {
                        continue;
                    }
                    String kind = doc.path("kind").asText();
                    assertThat(KINDS).as("kind %s in %s", kind, file.getFileName()).containsKey(kind);
                    HasMetadata r = MAPPER.treeToValue(doc, KINDS.get(kind));
                    assertThat(unknownFields(r, "", new IdentityHashMap<>()))
                            .as("fields the %s model does not know in %s %s", kind, file.getFileName(), r.getMetadata().getName()).isEmpty();
                    RESOURCES.add(r);
                }
            }
        }
    }

    @Test
    void everyTopicOfTheCodeIsAKafkaTopicWithEnoughPartitionsAndItsRetention() {
        Map<String, KafkaTopic> topics = of(KafkaTopic.class).stream().collect(Collectors.toMap(t -> t.getMetadata().getName(), t -> t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        int maxReplicas = of(Deployment.class).stream().mapToInt(d -> d.getSpec().getReplicas()).max().orElse(1);
        for (Topic<?> t : Topics.ALL) {
            KafkaTopic k = topics.get(t.name());
            assertThat(k.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "oe-kafka");
            assertThat(k.getSpec().getPartitions()).as(t.name()).isGreaterThanOrEqualTo(Math.max(Topics.PARTITIONS, maxReplicas));
            assertThat(k.getSpec().getReplicas()).as(t.name()).isEqualTo(3);
            Map<String, Object> config = k.getSpec().getConfig();
            assertThat(config.get("cleanup.policy")).as(t.name()).isEqualTo(t.compacted() ? "compact" : "delete");
            assertThat(config.get("max.message.bytes")).as(t.name()).isEqualTo(String.valueOf(Topics.MAX_EVENT_BYTES));
            if (!t.compacted()) { // data ages out (docs/architecture.md): no topic keeps its records forever
                assertThat(Long.parseLong(String.valueOf(config.get("retention.ms")))).as(t.name() + " retention.ms").isPositive();
            }
            if (t.retention() != null) { // a retention that is part of the topic's contract is the one deployed
                assertThat(config.get("retention.ms")).as(t.name()).isEqualTo(String.valueOf(t.retention().toMillis()));
            }
        }
    }

    @Test
    void theKafkaClusterKeepsAcknowledgedWritesWhenABrokerIsDown() {
        Kafka kafka = of(Kafka.class).get(0);
        Map<String, Object> c = kafka.getSpec().getKafka().getConfig();
        assertThat(c).containsEntry("min.insync.replicas", 2).containsEntry("transaction.state.log.min.isr", 2)
                .containsEntry("auto.create.topics.enable", false);
        assertThat(of(KafkaNodePool.class).get(0).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void everyServiceIsADeploymentWithProbesResourcesAndTheBrokerAddress() {
        Map<String, Deployment> deployments = of(Deployment.class).stream().collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
        assertThat(deployments.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        Set<String> services = of(Service.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        ConfigMap config = of(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("oe-config")).findFirst().orElseThrow();
        String bootstrap = config.getData().get("KAFKA_BOOTSTRAP");
        String kafkaName = of(Kafka.class).get(0).getMetadata().getName();
        // the services connect to the SCRAM listener as the KafkaUser whose Secret holds their JAAS line
        var scram = of(Kafka.class).get(0).getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getAuth() != null && "scram-sha-512".equals(l.getAuth().getType())).findFirst().orElseThrow();
        assertThat(bootstrap).startsWith(kafkaName + "-kafka-bootstrap.").endsWith(":" + scram.getPort());
        assertThat(config.getData()).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        for (String name : SERVICES) {
            Deployment d = deployments.get(name);
            assertThat(services).as("Service for %s", name).contains(name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/q/health/ready");
            assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("oe-config");
            Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            // each service as its own KafkaUser, whose Secret (named as the user) holds its JAAS line
            assertThat(env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getName()).as(name)
                    .isEqualTo(KafkaAccess.of(name).user());
            // the port the probes reach is the port the service listens on
            assertThat(env.get("OE_HTTP_PORT").getValue()).as(name)
                    .isEqualTo(String.valueOf(c.getPorts().get(0).getContainerPort()));
            assertThat(String.valueOf(c.getPorts().get(0).getContainerPort())).isEqualTo(String.valueOf(LocalStack.SERVICES.get(name)));
        }
    }

    @Test
    void everyKafkaUserHasExactlyTheAclsOfTheTableAndOnlyTheAdminIsASuperUser() {
        Map<String, KafkaUser> users = of(KafkaUser.class).stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        List<String> expected = new ArrayList<>(KafkaAccess.all().stream().map(KafkaAccess.Access::user).toList());
        expected.add(ADMIN);
        assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        for (KafkaAccess.Access a : KafkaAccess.all()) {
            KafkaUser u = users.get(a.user());
            assertThat(u.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "oe-kafka");
            assertThat(u.getSpec().getAuthentication().getType()).isEqualTo("scram-sha-512");
            KafkaUserAuthorizationSimple authz = (KafkaUserAuthorizationSimple) u.getSpec().getAuthorization();
            assertThat(rules(authz)).as(a.user()).containsExactlyInAnyOrderElementsOf(KafkaAccess.acls(a).stream()
                    .map(b -> b.pattern().resourceType() + " " + (b.pattern().resourceType() == ResourceType.CLUSTER ? ""
                            : b.pattern().name() + " " + b.pattern().patternType()) + " " + b.entry().operation()).toList());
        }
        assertThat(users.get(ADMIN).getSpec().getAuthorization()).isNull();
        var authorization = (KafkaAuthorizationSimple) of(Kafka.class).get(0).getSpec().getKafka().getAuthorization();
        assertThat(authorization.getSuperUsers()).containsExactly(ADMIN);
    }

    /** A KafkaUser's ACL rules in Kafka's words: "TOPIC plan-loaded LITERAL READ", "CLUSTER  DESCRIBE". */
    private static List<String> rules(KafkaUserAuthorizationSimple authz) {
        List<String> out = new ArrayList<>();
        for (AclRule r : authz.getAcls()) {
            assertThat(r.getType() == null || r.getType() == AclRuleType.ALLOW).isTrue();
            assertThat(r.getHost() == null || r.getHost().equals("*")).isTrue();
            String resource;
            if (r.getResource() instanceof AclRuleTopicResource t) {
                resource = "TOPIC " + t.getName() + " " + pattern(t.getPatternType());
            } else if (r.getResource() instanceof AclRuleGroupResource g) {
                resource = "GROUP " + g.getName() + " " + pattern(g.getPatternType());
            } else if (r.getResource() instanceof AclRuleTransactionalIdResource x) {
                resource = "TRANSACTIONAL_ID " + x.getName() + " " + pattern(x.getPatternType());
            } else if (r.getResource() instanceof AclRuleClusterResource) {
                resource = "CLUSTER ";
            } else {
                throw new AssertionError("unexpected ACL resource " + r.getResource());
            }
            r.getOperations().forEach(op -> out.add(resource + " " + op.name()));
        }
        return out;
    }

    private static String pattern(AclResourcePatternType p) {
        return p == AclResourcePatternType.PREFIX ? "PREFIXED" : "LITERAL";
    }

    @Test
    void theApiTokenComesFromASecretAndNoSecretIsCommitted() throws IOException {
        for (String name : List.of("plan-loader", "monitor-service")) {
            Container c = of(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow()
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            EnvVar token = c.getEnv().stream().filter(e -> e.getName().equals("OE_API_TOKEN")).findFirst().orElseThrow();
            assertThat(token.getValue()).isNull();
            assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("oe-api-token");
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContainPattern("(?m)^kind: Secret");
            }
        }
    }

    @Test
    void aTypoInAManifestIsCaught() throws IOException {
        JsonNode doc = new YAMLMapper().readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          readinesProbe: {httpGet: {path: /q/health/ready, port: 80}}
                """);
        Deployment d = MAPPER.treeToValue(doc, Deployment.class);
        assertThat(unknownFields(d, "", new IdentityHashMap<>())).containsExactly("/spec/template/spec/containers/0/readinesProbe");
    }

    private static <T> List<T> of(Class<T> type) {
        return RESOURCES.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** JSON pointers of every field the models kept aside as unknown (fabric8 and Strimzi collect them, never fail). */
    private static List<String> unknownFields(Object o, String at, IdentityHashMap<Object, Boolean> seen) {
        List<String> out = new ArrayList<>();
        if (o == null || seen.put(o, true) != null || o instanceof String || o instanceof Number || o instanceof Boolean
                || o instanceof Enum<?>) {
            return out;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object e : list) {
                out.addAll(unknownFields(e, at + "/" + i++, seen));
            }
            return out;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.addAll(unknownFields(v, at + "/" + k, seen)));
            return out;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return out;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> out.add(at + "/" + k));
                    }
                    continue;
                }
                String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                out.addAll(unknownFields(v, at + "/" + field, seen));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a computed getter that needs more than the model holds: not a field
            }
        }
        return out;
    }

    private static Path locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s"))) {
                return p.resolve("deploy/k8s");
            }
        }
        throw new IllegalStateException("deploy/k8s not found above " + Path.of("").toAbsolutePath());
    }
}
