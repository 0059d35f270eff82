package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.oe.deploy.LocalStack;
import io.oe.events.Alert;
import io.oe.events.DeadLetter;
import io.oe.events.DeadLetterStage;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventSerializer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records that are not events, on every topic the services read: garbage, a truncated Avro body, an unknown schema
 * fingerprint, a record of 2 MiB, and an event whose content makes processing fail. Every service that reads the topic
 * sets each aside on {@code dead-letters} (source topic, partition, offset, reason), raises an alert and counts it,
 * and goes on: the next plan runs to the end. Restarted one by one, no service reads the same records again.
 */
class BadRecordIT {
    static E2eStack env;
    static HttpServer webhook;
    static final Duration WAIT = Duration.ofSeconds(120);

    /** Who reads what (as a consumer group): each of them must set aside every bad record of the topic. */
    static final Map<String, List<String>> READERS = new LinkedHashMap<>();

    static {
        READERS.put("plan-submissions", List.of("plan-loader"));
        READERS.put("plan-loaded", List.of("phase-scheduler", "state-projector", "plan-loader"));
        READERS.put("phase-ready", List.of("agent-gateway"));
        READERS.put("agent-progress", List.of("phase-scheduler", "state-projector"));
        READERS.put("agent-result", List.of("phase-scheduler", "state-projector", "handoff-service"));
        READERS.put("handoff-validated", List.of("phase-scheduler", "state-projector"));
        READERS.put("execution-control", List.of("phase-scheduler", "state-projector"));
        READERS.put("execution-status", List.of("state-projector", "plan-loader"));
        READERS.put("alerts", List.of("state-projector", "monitor-service"));
        READERS.put("engine-state", List.of("monitor-service"));
        READERS.put("execution-log", List.of("monitor-service"));
    }

    /** topic -> the bad records published on it (partition/offset), in the order published. */
    static final Map<String, List<RecordMetadata>> published = new LinkedHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        // the monitor reads alerts only with a webhook configured
        env = E2eStack.start("BadRecordIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> options
                .env("OE_ALERT_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void everyServiceSetsAsideWhatItCannotReadRaisesAnAlertAndGoesOnAlsoAfterARestart() throws Exception {
        String bootstrap = env.broker.bootstrapServers();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_EVENT_BYTES);
        try (var producer = new KafkaProducer<String, byte[]>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : READERS.keySet()) {
                List<RecordMetadata> sent = new ArrayList<>();
                for (byte[] bad : badRecords(Topics.byName(topic).orElseThrow())) {
                    sent.add(producer.send(new ProducerRecord<>(topic, "exec_badrecord", bad)).get());
                }
                published.put(topic, sent);
            }
            // decodes, but cannot be processed: a plan that is not JSON
            PlanLoaded broken = PlanLoaded.newBuilder().setExecutionId("exec_badrecord_plan").setSubmissionId("s")
                    .setPlanId("p").setProjectName("x").setProjectDir("/nowhere").setSubmittedAt(Instant.now())
                    .setPlanJson("{ not json").setProjectPlanJson("{}").setConfigJson("{}").build();
            published.computeIfAbsent("plan-loaded", t -> new ArrayList<>()).add(producer.send(new ProducerRecord<>(
                    "plan-loaded", "exec_badrecord_plan", new EventSerializer().serialize("plan-loaded", broken))).get());
        }

        Map<String, List<DeadLetter>> letters = awaitDeadLetters();
        letters.forEach((reader, list) -> System.out.println("[e2e] BadRecordIT: " + reader + " set aside " + list.size()));
        for (var e : READERS.entrySet()) {
            for (String service : e.getValue()) {
                List<DeadLetter> mine = letters.getOrDefault(service + " " + e.getKey(), List.of());
                Set<Long> offsets = mine.stream().map(DeadLetter::getSourceOffset).collect(Collectors.toSet());
                for (RecordMetadata m : published.get(e.getKey())) {
                    assertThat(offsets).as("%s set aside %s@%d", service, e.getKey(), m.offset()).contains(m.offset());
                }
                mine.forEach(d -> {
                    assertThat(d.getReason()).as("reason given by %s", service).isNotBlank();
                    assertThat(d.getValueSize()).isPositive();
                });
            }
        }
        // the broken plan is a processing failure, not a decoding one, for each of its three readers
        assertThat(letters.get("phase-scheduler plan-loaded")).anyMatch(d -> d.getStage() == DeadLetterStage.PROCESSING);
        assertThat(letters.get("state-projector plan-loaded")).anyMatch(d -> d.getStage() == DeadLetterStage.PROCESSING);
        assertThat(letters.get("plan-loader plan-loaded")).anyMatch(d -> d.getStage() == DeadLetterStage.PROCESSING);

        Set<String> alerts = Events.readAll(env.broker.bootstrapServers(), Topics.ALERTS, Duration.ofSeconds(1), Duration.ofSeconds(20))
                .stream().map(r -> r.value()).filter(a -> a.getKind().equals("dead_letter")).map(Alert::getAlertId)
                .collect(Collectors.toSet());
        letters.values().forEach(list -> list.forEach(d -> assertThat(alerts).as("alert for %s", d).contains(
                "dl_" + d.getService() + "_" + d.getSourceTopic() + "_" + d.getSourcePartition() + "_" + d.getSourceOffset())));
        assertThat(metric("phase-scheduler", "oe_dead_letters_total{service=\"phase-scheduler\",stage=\"decoding\",topic=\"agent-result\"}"))
                .isEqualTo(4.0);

        runsAPlan("after-bad-records");

        int before = letters.values().stream().mapToInt(List::size).sum();
        for (String service : LocalStack.SERVICES.keySet()) {
            env.stack.kill(service);
            env.stack.startAgain(service);
        }
        runsAPlan("after-restarts");
        Thread.sleep(3000);
        int after = awaitDeadLetters().values().stream().mapToInt(List::size).sum();
        assertThat(after).as("dead letters after every service restarted (none read twice)").isEqualTo(before);
    }

    /** Garbage, a truncated body of the topic's schema, an unknown schema, and a record of 2 MiB. */
    static List<byte[]> badRecords(Topic<?> topic) {
        byte[] fingerprint = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(SpecificData.get().getSchema(topic.valueType()))).array();
        byte[] truncated = new byte[11];
        truncated[0] = (byte) 0xC3;
        truncated[1] = 0x01;
        System.arraycopy(fingerprint, 0, truncated, 2, 8);
        truncated[10] = 0x02; // a string's length, and no string
        byte[] unknown = new byte[12];
        unknown[0] = (byte) 0xC3;
        unknown[1] = 0x01;
        for (int i = 2; i < 10; i++) {
            unknown[i] = (byte) ThreadLocalRandom.current().nextInt(256);
        }
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) 0x55);
        return List.of("sixteen bytes!!!".getBytes(StandardCharsets.UTF_8), truncated, unknown, huge);
    }

    /** Dead letters by "service topic", once every expected reader has set aside what was published. */
    static Map<String, List<DeadLetter>> awaitDeadLetters() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, List<DeadLetter>> byReader = Map.of();
        while (System.nanoTime() < deadline) {
            byReader = Events.readAll(env.broker.bootstrapServers(), Topics.DEAD_LETTERS, Duration.ofSeconds(1), Duration.ofSeconds(20))
                    .stream().map(r -> r.value()).collect(Collectors.groupingBy(d -> d.getService() + " " + d.getSourceTopic()));
            Map<String, List<DeadLetter>> found = byReader;
            boolean complete = READERS.entrySet().stream().allMatch(e -> e.getValue().stream().allMatch(s ->
                    found.getOrDefault(s + " " + e.getKey(), List.of()).size() >= published.get(e.getKey()).size()));
            if (complete) {
                return byReader;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not every reader set aside every bad record; dead letters by reader: "
                + byReader.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
    }

    static void runsAPlan(String name) throws InterruptedException {
        TestProject p = new TestProject(env.root, name).tier("t", "sequential", 1, 2, 3);
        for (int i = 1; i <= 3; i++) {
            p.phase(i, "@doc");
        }
        String id = p.submit(env.api());
        await(env.api(), id, execution("completed"), WAIT, "a plan after the bad records");
    }

    static double metric(String service, String line) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(env.stack.url(service) + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.substring(line.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(line + " not in the metrics of " + service));
    }
}
