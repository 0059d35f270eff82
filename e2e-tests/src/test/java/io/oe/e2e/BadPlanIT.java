package io.oe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.cli.BundlePacker;
import io.oe.events.PlanLoaded;
import io.oe.events.PlanRejected;
import io.oe.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Bad plans are rejected with 422 naming the problem, and nothing reaches plan-loaded. Only plan-loader runs. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadPlanIT {
    static E2eStack env;
    static Path project;

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("BadPlanIT", List.of("plan-loader"));
        project = env.copyProject(env.home.resolve("examples/myapp"), "myapp");
        try { // the plans below are not the demo's: its drawn flow would be refused first (BundleIntakeTest covers that)
            Files.delete(project.resolve(".github/phase-flow.gv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    private static ObjectNode bundle(Consumer<ObjectNode> mutatePlan) {
        ObjectNode b = BundlePacker.pack(project.resolve("orchestration-plan.json"), null, null, true).bundle();
        mutatePlan.accept((ObjectNode) b.get("plan"));
        return b;
    }

    private static ObjectNode phase(ObjectNode plan, int id) {
        for (JsonNode p : plan.get("phases")) {
            if (p.path("id").asInt() == id) {
                return (ObjectNode) p;
            }
        }
        throw new AssertionError("the demo plan has no phase " + id);
    }

    /** Asserts a 422 with violations and returns all of its text (error + where + message), lower case. */
    private static String rejected(Api.Response r) {
        System.out.println("[e2e] BadPlanIT: " + r.status() + " " + r.body());
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(422);
        JsonNode j = r.json();
        assertThat(j).as("422 body is JSON").isNotNull();
        assertThat(j.path("violations").isArray() && j.path("violations").size() > 0)
                .as("violations listed: %s", r.body()).isTrue();
        StringBuilder all = new StringBuilder(j.path("error").asText(""));
        for (JsonNode v : j.path("violations")) {
            all.append('\n').append(v.path("where").asText("")).append(": ").append(v.path("message").asText(""));
        }
        return all.toString().toLowerCase();
    }

    /** Asserts a 413 whose JSON error is a size sentence, and returns that sentence. */
    private static String tooLarge(Api.Response r) {
        System.out.println("[e2e] BadPlanIT: " + r.status() + " " + r.body());
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(413);
        JsonNode j = r.json();
        assertThat(j).as("413 body is JSON: %s", r.body()).isNotNull();
        assertThat(j.path("error").asText()).contains(" is ", "; the limit is ");
        return j.path("error").asText();
    }

    @Test
    @Order(1)
    void cyclicPlanIsRejected() {
        String text = rejected(env.api().createExecution(bundle(plan -> {
            phase(plan, 3).set("depends_on", ((ArrayNode) plan.arrayNode()).add(4));
            phase(plan, 4).set("depends_on", ((ArrayNode) plan.arrayNode()).add(3));
        })));
        assertThat(text).contains("cycl").contains("3").contains("4");
    }

    @Test
    @Order(2)
    void unknownAgentIsRejected() {
        String text = rejected(env.api().createExecution(bundle(plan -> phase(plan, 2).put("agent", "@no-such-agent"))));
        assertThat(text).contains("no-such-agent").contains("2");
    }

    @Test
    @Order(3)
    void brokenCelConditionIsRejected() {
        String text = rejected(env.api().createExecution(bundle(plan ->
                phase(plan, 9).put("condition", "project.infrastructure.cloud == ("))));
        assertThat(text).contains("condition").contains("9");
    }

    @Test
    @Order(3)
    void anAgentAlternativeWithoutADefinitionOrWithABrokenConditionIsRejectedNamingIt() {
        String text = rejected(env.api().createExecution(bundle(plan -> {
            ((ObjectNode) phase(plan, 13).get("alternatives").get(1)).put("condition", "project.stack.backend == (");
            ((ObjectNode) phase(plan, 14).get("alternatives").get(1)).put("agent", "@no-such-agent");
        })));
        assertThat(text).contains("phase 13 (backend) alternative 2 (@dotnet-specialist)", "condition", "does not compile");
        assertThat(text).contains("phase 14 (frontend) alternative 2 (@no-such-agent)", ".github/agents/no-such-agent.agent.md");
    }

    @Test
    @Order(4)
    void malformedJsonIsRejected() {
        Api.Response r = env.api().createExecutionRaw("{\"project_dir\": \"" + project + "\", \"plan\": {\"plan_id\": ");
        System.out.println("[e2e] BadPlanIT: " + r.status() + " " + r.body());
        assertThat(r.status()).as("malformed JSON: %s", r.body()).isEqualTo(422);
        assertThat(r.body()).isNotBlank();
    }

    @Test
    @Order(4)
    void writesNeedTheStacksTokenAndARefusedOnePublishesNothing() throws Exception {
        ObjectNode good = bundle(plan -> { }).put("autostart", false);
        for (Api anonymous : List.of(env.api().withToken(null), env.api().withToken("not-the-token"))) {
            Api.Response r = anonymous.createExecution(good);
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.body()).contains("bearer token");
            assertThat(anonymous.command("exec_x", Json.MAPPER.createObjectNode().put("command", "CANCEL")).status()).isEqualTo(401);
        }
        // the token never reaches a log
        assertThat(Files.readString(env.stack.logFile("plan-loader"))).doesNotContain(env.token());
    }

    @Test
    @Order(4)
    void hugeAndDeepInputsAreRefusedNamingTheProblemAndTheServiceStaysUp() {
        // 100,000 phases: over the schema's limit, refused before any per-phase work
        long t0 = System.nanoTime();
        String many = rejected(env.api().createExecution(bundle(plan -> {
            var phases = plan.putArray("phases");
            var ids = plan.putArray("tiers").addObject().put("name", "all").put("mode", "parallel").putArray("phases");
            for (int i = 1; i <= 100_000; i++) {
                phases.addObject().put("id", i).put("name", "p" + i).put("agent", "@architect");
                ids.add(i);
            }
        })));
        System.out.printf("[e2e] BadPlanIT: 100,000 phases refused in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(many).contains("/phases").contains("at most 20,000 items but found 100,000");
        // about 10 MB of valid plan: refused as too large for one event, naming the size and the limit
        String big = tooLarge(env.api().createExecution(bundle(plan -> {
            var phases = plan.putArray("phases");
            var ids = plan.putArray("tiers").addObject().put("name", "all").put("mode", "parallel").putArray("phases");
            String title = "t".repeat(480);
            for (int i = 1; i <= 5_000; i++) {
                var tasks = phases.addObject().put("id", i).put("name", "p" + i).put("agent", "@architect").putArray("tasks");
                for (int k = 0; k < 4; k++) {
                    tasks.addObject().put("id", "T" + i + "_" + k).put("title", title);
                }
                ids.add(i);
            }
        })));
        assertThat(big).matches("the registered plan \\(its plan-loaded event\\) is [0-9.]+ MB \\([0-9,]+ bytes\\);"
                + " the limit is 8 MB \\(8,388,608 bytes\\)");
        // nesting 100,000 deep: refused by the parser's depth limit, not a stack overflow
        assertThat(tooLarge(env.api().createExecutionRaw("[".repeat(100_000) + "]".repeat(100_000))))
                .isEqualTo("the nesting depth of the plan bundle is at least 1,001 levels; the limit is 1,000 levels");
        // a number of 2,000 digits: the parser's number limit, said the same way
        assertThat(tooLarge(env.api().createExecutionRaw("{\"plan\": {\"phases\": [{\"id\": " + "7".repeat(2_000) + "}]}}")))
                .isEqualTo("a number in the plan bundle is 2,000 digits; the limit is 1,000 digits");
        // and the service still answers
        assertThat(env.api().createExecutionRaw("{}").status()).isEqualTo(422);
    }

    @Test
    @Order(4)
    void aBodyOverTheHttpLimitIsA413WhoseJsonNamesTheSizeAndTheLimit() {
        // 21.5 MB, as the plan: Quarkus refuses it before any JAX-RS code; the answer still says why
        String head = "{\"project_dir\": \"" + project + "\", \"plan\": {\"plan_id\": \"";
        String body = head + "p".repeat(22_548_578 - head.length() - 3) + "\"}}";
        assertThat(body.length()).isEqualTo(22_548_578);
        Api.Response r = env.api().createExecutionRaw(body);
        assertThat(tooLarge(r)).isEqualTo("the plan bundle is 21.5 MB (22,548,578 bytes); the limit is 16 MB (16,777,216 bytes)");
        assertThat(r.json().path("violations").get(0).path("message").asText()).contains("quarkus.http.limits.max-body-size");
        // and the service still answers
        assertThat(env.api().createExecutionRaw("{}").status()).isEqualTo(422);
    }

    @Test
    @Order(4)
    void aPlanSubmissionsRecordOverTheIntakeLimitIsAnsweredOnPlanRejectedInTheSameWords() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.broker.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_EVENT_BYTES);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PLAN_SUBMISSIONS.name(), "too-big-1", new byte[9_000_000])).get();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<PlanRejected> answers = List.of();
        while (answers.isEmpty() && System.nanoTime() < deadline) {
            answers = Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_REJECTED, Duration.ofSeconds(1),
                    Duration.ofSeconds(10)).stream().filter(r -> "too-big-1".equals(r.key())).map(r -> r.value()).toList();
        }
        assertThat(answers).as("plan-rejected for too-big-1").singleElement().satisfies(r -> {
            assertThat(r.getError()).isEqualTo("the plan-submissions record is 8.6 MB (9,000,000 bytes); the limit is 8 MB"
                    + " (8,388,608 bytes)");
            assertThat(r.getViolations().get(0).getMessage()).contains("oe.intake.max-submission-bytes");
        });
    }

    @Test
    @Order(5)
    void nothingOfTheBadPlansWasPublishedButAGoodOneIs() {
        // A good plan (not started) proves the consumer below sees what is published.
        Api.Response ok = env.api().createExecution(bundle(plan -> { }).put("autostart", false));
        assertThat(ok.status()).as("valid plan: %s", ok.body()).isEqualTo(201);
        String goodId = ok.json().path("execution_id").asText();

        List<ConsumerRecord<String, PlanLoaded>> seen = Events.readAll(env.broker.bootstrapServers(),
                Topics.PLAN_LOADED, Duration.ofSeconds(2), Duration.ofSeconds(20));
        assertThat(seen).as("plan-loaded from the beginning: only the valid plan").hasSize(1);
        assertThat(seen.get(0).key()).isEqualTo(goodId);
        assertThat(seen.get(0).value().getExecutionId()).isEqualTo(goodId);
    }
}
