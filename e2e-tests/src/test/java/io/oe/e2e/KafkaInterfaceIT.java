package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import io.oe.events.PlanLoaded;
import io.oe.events.PlanRejected;
import io.oe.events.PlanSubmission;
import io.oe.examples.ProgressConsumer;
import io.oe.schemas.ExecutionIds;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine as a Kafka citizen, on the real broker of the standalone stack (the broker and the six services in one
 * process): a plan published as a plan-submissions event runs the demo plan to
 * completion while the example downstream consumer follows it; malformed, cyclic and duplicate submissions are answered
 * as documented, and none of them reaches plan-loaded.
 */
class KafkaInterfaceIT {
    static E2eStack env;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("KafkaInterfaceIT", (root, options) -> { });
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopStack() {
        if (producer != null) {
            producer.close();
        }
        if (env != null) {
            env.close();
        }
    }

    private static void publish(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PLAN_SUBMISSIONS.name(), key, value)).get();
    }

    private static byte[] submission(String id, JsonNode bundle) {
        return new EventSerializer().serialize(Topics.PLAN_SUBMISSIONS.name(), PlanSubmission.newBuilder().setSubmissionId(id)
                .setBundleJson(Json.MAPPER.valueToTree(bundle).toString()).setSubmittedBy("kafka-it").setSubmittedAt(Instant.now())
                .build());
    }

    private static List<PlanRejected> rejections(String key) {
        return Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_REJECTED, Duration.ofSeconds(1), Duration.ofSeconds(10))
                .stream().filter(r -> key.equals(r.key())).map(r -> r.value()).toList();
    }

    private static PlanRejected awaitRejection(String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<PlanRejected> found = rejections(key);
            if (!found.isEmpty()) {
                assertThat(found).as("rejections of %s", key).hasSize(1);
                return found.get(0);
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no plan-rejected for " + key);
    }

    private static List<PlanLoaded> loaded() {
        return Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_LOADED, Duration.ofSeconds(1), Duration.ofSeconds(10))
                .stream().map(r -> r.value()).toList();
    }

    @Test
    void theDemoPlanPublishedAsAnEventRunsToCompletionAndTheExampleConsumerSeesEveryPhaseInOrder() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp-by-event");
        ObjectNode bundle = (ObjectNode) BundlePacker.pack(project.resolve("orchestration-plan.json"), null, null, true).bundle();
        String id = "demo-by-event-" + Long.toHexString(System.nanoTime());
        String executionId = ExecutionIds.forSubmission(id);
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread follower = new Thread(() -> seen.add("END " + ProgressConsumer.follow(env.broker.bootstrapServers(),
                executionId, Duration.ofSeconds(180), seen::add)));
        follower.start(); // subscribed before the plan exists, as a downstream service would be

        publish(id, submission(id, bundle));
        JsonNode s = await(env.api(), executionId, execution("completed"), Duration.ofSeconds(180), "completion");
        follower.join(30_000);

        assertThat(seen).last().isEqualTo("END completed");
        assertThat(seen).contains("execution initialized -> in_progress", "execution in_progress -> completed");
        // every phase that was not already done ends, and each tier ends before the next one starts
        List<Integer> done = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        bundle.path("plan").path("phases").forEach(ph -> {
            if (!"completed".equals(ph.path("status").asText())) {
                expected.add(ph.path("id").asInt());
            }
        });
        for (String line : seen) {
            var m = java.util.regex.Pattern.compile("^phase (\\d+) \\S+ -> (completed|skipped)").matcher(line);
            if (m.find()) {
                done.add(Integer.parseInt(m.group(1)));
            }
        }
        assertThat(done).containsExactlyInAnyOrderElementsOf(expected);
        JsonNode tiers = bundle.path("plan").path("tiers");
        for (int t = 0; t + 1 < tiers.size(); t++) {
            int lastEnd = -1;
            for (JsonNode ph : tiers.get(t).path("phases")) {
                lastEnd = Math.max(lastEnd, lastIndex(seen, "phase " + ph.asInt() + " ", "-> completed", "-> skipped"));
            }
            for (JsonNode ph : tiers.get(t + 1).path("phases")) {
                int ready = lastIndex(seen, "phase " + ph.asInt() + " ", "-> ready");
                if (ready >= 0) {
                    assertThat(ready).as("phase %d ready after tier %s ended", ph.asInt(), tiers.get(t).path("name").asText())
                            .isGreaterThan(lastEnd);
                }
            }
        }
        assertThat(seen).anyMatch(l -> l.startsWith("handoff ho_" + executionId + "_2_1 SUCCESS"));
        System.out.printf("[e2e] KafkaInterfaceIT: the example consumer printed %d lines for %s%n", seen.size(), executionId);

        // The same submission again (a client's retry): one execution, one plan-loaded, nothing rejected.
        publish(id, submission(id, bundle));
        Api.Response rest = env.api().createExecution(((ObjectNode) bundle.deepCopy()).put("submission_id", id));
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.json().path("execution_id").asText()).isEqualTo(executionId);
        assertThat(rest.json().path("duplicate").asBoolean()).isTrue();
        Thread.sleep(3000);
        assertThat(loaded()).filteredOn(p -> p.getExecutionId().equals(executionId)).hasSize(1);
        assertThat(rejections(id)).isEmpty();
    }

    private static int lastIndex(List<String> lines, String prefix, String... endings) {
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            for (String e : endings) {
                if (lines.get(i).startsWith(prefix) && lines.get(i).contains(e)) {
                    found = i;
                }
            }
        }
        return found;
    }

    @Test
    void malformedCyclicAndMismatchedSubmissionsAreRejectedAndNothingIsLoaded() throws Exception {
        publish("garbage-1", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        publish("not-avro-1", "{\"plan\": {}}".getBytes());

        TestProject cyclic = new TestProject(env.root, "cyclic-by-event").tier("t", "sequential", 1, 2);
        cyclic.phase(1, "@doc").putArray("depends_on").add(2);
        cyclic.phase(2, "@doc").putArray("depends_on").add(1);
        JsonNode cyclicBundle = cyclic.bundle();
        publish("cyclic-1", submission("cyclic-1", cyclicBundle));
        publish("someone-else", submission("mismatch-1", cyclicBundle));
        publish("broken-json-1", new EventSerializer().serialize(Topics.PLAN_SUBMISSIONS.name(), PlanSubmission.newBuilder()
                .setSubmissionId("broken-json-1").setBundleJson("{\"plan\": ").setSubmittedAt(Instant.now()).build()));

        assertThat(awaitRejection("garbage-1").getError()).isEqualTo("submission cannot be decoded");
        PlanRejected notAvro = awaitRejection("not-avro-1");
        assertThat(notAvro.getViolations().get(0).getMessage()).contains("not an Avro single-object encoded event");
        assertThat(notAvro.getSource()).startsWith("plan-submissions@");
        PlanRejected cycle = awaitRejection("cyclic-1");
        assertThat(cycle.getError()).startsWith("plan rejected");
        assertThat(cycle.getViolations()).anySatisfy(v -> assertThat(v.getMessage().toLowerCase()).contains("cycl"));
        assertThat(awaitRejection("mismatch-1").getError()).isEqualTo("the record key must be the submission id");
        assertThat(awaitRejection("broken-json-1").getViolations().get(0).getWhere()).startsWith("bundle line 1");
        assertThat(loaded()).noneMatch(p -> List.of("cyclic-1", "mismatch-1", "broken-json-1").contains(p.getSubmissionId()));
        // the consumer is alive after all that: a good plan still goes through
        TestProject good = new TestProject(env.root, "good-by-event").tier("t", "sequential", 1);
        good.phase(1, "@doc");
        publish("good-1", submission("good-1", good.bundle()));
        await(env.api(), ExecutionIds.forSubmission("good-1"), execution("completed"), Duration.ofSeconds(90), "completion");
    }
}
