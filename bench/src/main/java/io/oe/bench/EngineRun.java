package io.oe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseReady;
import io.oe.events.ProgressKind;
import io.oe.schemas.Topic;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventDeserializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Runs graphs on the engine and measures them from the engine's own events (the gateway's clock on both ends). */
final class EngineRun {
    private final Api api;
    private final String bootstrap;
    private final Path work;

    EngineRun(Api api, String bootstrap, Path work) {
        this.api = api;
        this.bootstrap = bootstrap;
        this.work = work;
    }

    /**
     * Per execution and phase, the wall-clock stamps each service puts on its event: the agent's start (gateway,
     * STARTED) and end (gateway, agent-result), the handoff's verdict (handoff-service) and the dispatch (scheduler,
     * phase-ready ready_at). Their differences along a chain are the profile of one step's overhead.
     */
    record Timings(Map<Integer, Long> started, Map<Integer, Long> ended, Map<Integer, Long> handedOff, Map<Integer, Long> ready,
            Map<String, Integer> startsByWorker) {
        Timings() {
            this(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        }

        Timings(Map<Integer, Long> started, Map<Integer, Long> ended, Map<Integer, Long> handedOff, Map<Integer, Long> ready) {
            this(started, ended, handedOff, ready, new HashMap<>());
        }
    }

    /** Writes the graph as a project and submits it; returns the execution id. */
    String submit(Graphs g, String suffix) throws IOException {
        Path dir = work.resolve(g.name() + suffix);
        Files.createDirectories(dir.resolve("ProjectPlan"));
        Files.createDirectories(dir.resolve(".github/agents"));
        Files.writeString(dir.resolve("orchestration-plan.json"), Json.pretty(g.plan()));
        Files.writeString(dir.resolve("ProjectPlan/project-plan.json"), "{\"project_name\": \"" + g.name() + "\"}");
        Files.writeString(dir.resolve("engine.config.json"), "{\"max_concurrent_phases\": " + Math.max(1, g.n())
                + ", \"retry_policy\": {\"max_retries\": 0}}");
        Files.writeString(dir.resolve(".github/agents/noop.agent.md"), "---\nname: noop\n---\nDo nothing.\n");
        var packed = BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, true);
        Api.Response r = api.createExecution(packed.bundle());
        if (r.status() != 201) {
            throw new IllegalStateException("submitting " + g.name() + ": HTTP " + r.status() + " " + r.body());
        }
        return r.json().path("execution_id").asText();
    }

    /** Waits for the execution to end; fails unless it completed. */
    void await(String executionId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            long asked = System.nanoTime();
            Api.Response r = api.state(executionId);
            long tookMs = (System.nanoTime() - asked) / 1_000_000;
            if (r.status() == 200) {
                JsonNode s = r.json();
                status = s.path("status").asText();
                ExecutionStatus known = ExecutionStatus.find(status).orElse(null);
                if (known == ExecutionStatus.COMPLETED) {
                    return;
                }
                if (known == ExecutionStatus.CANCELLED || known == ExecutionStatus.WAITING_FOR_INTERVENTION) {
                    throw new IllegalStateException(executionId + " ended " + status);
                }
            }
            // a big plan's state costs the monitor real work to render: asking no more than 10 % of the time keeps
            // the bench from slowing down what it measures
            Thread.sleep(Math.max(100, 10 * tookMs));
        }
        throw new IllegalStateException(executionId + " not completed after " + timeout.toSeconds() + " s (status " + status + ")");
    }

    /** Every execution's agent start and end times, read back from agent-progress and agent-result. */
    Map<String, Timings> timings() {
        Map<String, Timings> out = new HashMap<>();
        for (SpecificRecord e : readAll(Topics.AGENT_PROGRESS)) {
            AgentProgress p = (AgentProgress) e;
            if (p.getKind() == ProgressKind.STARTED) {
                Timings t = out.computeIfAbsent(p.getExecutionId(), k -> new Timings());
                t.started().put(p.getPhaseId(), p.getAt().toEpochMilli());
                t.startsByWorker().merge(p.getWorkerId(), 1, Integer::sum);
            }
        }
        for (SpecificRecord e : readAll(Topics.AGENT_RESULT)) {
            AgentResult r = (AgentResult) e;
            out.computeIfAbsent(r.getExecutionId(), k -> new Timings()).ended()
                    .put(r.getPhaseId(), r.getEndedAt().toEpochMilli());
        }
        for (SpecificRecord e : readAll(Topics.HANDOFF_VALIDATED)) {
            HandoffValidated h = (HandoffValidated) e;
            out.computeIfAbsent(h.getExecutionId(), k -> new Timings()).handedOff().put(h.getPhaseId(), h.getAt().toEpochMilli());
        }
        for (SpecificRecord e : readAll(Topics.PHASE_READY)) {
            PhaseReady r = (PhaseReady) e;
            out.computeIfAbsent(r.getExecutionId(), k -> new Timings()).ready().put(r.getPhaseId(), r.getReadyAt().toEpochMilli());
        }
        return out;
    }

    /** Members of each service's consumer group and how many partitions each holds: the work split. */
    Map<String, List<Integer>> partitionsPerMember(List<String> groups) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        Map<String, List<Integer>> out = new TreeMap<>();
        try (Admin admin = Admin.create(p)) {
            admin.describeConsumerGroups(groups).all().get().forEach((group, d) -> out.put(group,
                    d.members().stream().map(m -> m.assignment().topicPartitions().size()).sorted().toList()));
        }
        return out;
    }

    private List<SpecificRecord> readAll(Topic<?> topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<SpecificRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> c = new KafkaConsumer<>(p, new StringDeserializer(), new EventDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }
}
