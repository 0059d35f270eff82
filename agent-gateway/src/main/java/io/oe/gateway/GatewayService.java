package io.oe.gateway;

import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventDeserializer;
import io.oe.schemas.serde.EventSerializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Kafka side of the gateway. A phase-ready record is committed as soon as its attempt has been accepted and its
 * STARTED published, so the consumer never holds a record while an agent runs for an hour; from then on the
 * scheduler watches the attempt through heartbeats. When every agent slot is busy the consumer pauses instead of
 * taking more.
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
    /** Agents running here now, for the oe.agents.running gauge. */
    private final java.util.concurrent.atomic.AtomicInteger agentsRunning = new java.util.concurrent.atomic.AtomicInteger();
    @ConfigProperty(name = "oe.runners-file")
    String runnersFile;
    @ConfigProperty(name = "oe.home")
    String oeHome;
    @ConfigProperty(name = "oe.project-root")
    String projectRoot;
    @ConfigProperty(name = "oe.gateway.max-parallel-agents")
    int maxParallel;
    @ConfigProperty(name = "oe.gateway.log-cap-bytes")
    long logCap;
    @ConfigProperty(name = "oe.gateway.workspace-retention")
    Duration workspaceRetention;

    private KafkaProducer<String, SpecificRecord> producer;
    private ExecutorService agents;
    private Semaphore slots;
    private AttemptRunner runner;
    private volatile boolean running = true;
    private Thread poller;
    /** Attempts this instance accepted: a redelivered phase-ready of one of them is not run again. */
    private final Set<String> accepted = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    }));

    void start(@Observes StartupEvent ev) throws Exception {
        io.micrometer.core.instrument.Gauge.builder("oe.agents.running", agentsRunning, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Agent processes running in this gateway").register(registry);
        RunnerConfig runners = RunnerConfig.load(Path.of(oeHome).resolve(runnersFile).normalize());
        String worker = InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
        runner = new AttemptRunner(runners, Path.of(projectRoot), Path.of(oeHome).toAbsolutePath().normalize().toString(),
                worker, logCap, workspaceRetention);
        Map<String, Object> p = new HashMap<>();
        p.putAll(KafkaClientSecurity.connectionOf(kafkaConfig));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new StringSerializer(), new EventSerializer());
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer).bindTo(registry);
        agents = Executors.newFixedThreadPool(maxParallel, r -> new Thread(r, "agent-run"));
        slots = new Semaphore(maxParallel);
        poller = new Thread(this::poll, "phase-ready-consumer");
        poller.start();
        Thread cancels = new Thread(this::watchCancellations, "cancellations");
        cancels.setDaemon(true);
        cancels.start();
        LOG.infof("agent-gateway %s ready: runners from %s, %d agent slots, workspaces kept %s after their last change",
                worker, runnersFile, maxParallel, workspaceRetention.isZero() ? "forever" : workspaceRetention);
    }

    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        if (poller != null) {
            poller.join(5_000);
        }
        if (agents != null) {
            agents.shutdownNow(); // interrupts waiting runs; their process trees are stopped by AgentProcess
            agents.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void poll() {
        Map<String, Object> c = new HashMap<>();
        c.putAll(KafkaClientSecurity.connectionOf(kafkaConfig));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "oe-agent-gateway");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000); // a dead gateway's partitions move on after 10 s
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new SafeDeserializer());
                var consumerMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer)) {
            consumerMetrics.bindTo(registry); // phase-ready lag (records_lag_max) beside the Streams services' own
            consumer.subscribe(List.of(Topics.PHASE_READY.name()));
            while (running) {
                // paused for want of a slot: look again soon, a finished agent frees one at any moment
                var records = consumer.poll(Duration.ofMillis(consumer.paused().isEmpty() ? 200 : 10));
                // Every record of the poll that gets a slot is accepted at once; their STARTED events are awaited
                // together and the offsets committed once, so a parallel tier is not dispatched one ack at a time.
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<CountDownLatch> starts = new ArrayList<>();
                Set<TopicPartition> full = new HashSet<>();
                for (ConsumerRecord<String, SpecificRecord> rec : records) {
                    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
                    if (full.contains(tp)) {
                        continue; // an earlier record of this partition waits for a slot: keep the order
                    }
                    if (!(rec.value() instanceof PhaseReady ready)) {
                        LOG.warnf("skipping undecodable record %s@%d", tp, rec.offset());
                        done.put(tp, new OffsetAndMetadata(rec.offset() + 1));
                        continue;
                    }
                    if (!slots.tryAcquire()) {
                        consumer.seek(tp, rec.offset()); // take it again once a slot is free
                        full.add(tp);
                        continue;
                    }
                    starts.add(accept(ready));
                    done.put(tp, new OffsetAndMetadata(rec.offset() + 1));
                }
                for (var started : starts) {
                    try {
                        started.await(30, TimeUnit.SECONDS); // commit only once every start is durable
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                if (!full.isEmpty()) {
                    consumer.pause(consumer.assignment());
                }
                if (!consumer.paused().isEmpty() && slots.availablePermits() > 0) {
                    consumer.resume(consumer.paused());
                }
            }
        } catch (Exception e) {
            LOG.error("phase-ready consumer stopped", e);
        }
    }

    /** A cancelled execution's running agents are stopped at once, on every gateway instance. */
    private void watchCancellations() {
        Map<String, Object> c = new HashMap<>();
        c.putAll(KafkaClientSecurity.connectionOf(kafkaConfig));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new SafeDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.EXECUTION_STATUS.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions); // only cancellations from now on matter: earlier ones stopped nothing here
            while (running) {
                for (var rec : consumer.poll(Duration.ofMillis(200))) {
                    if (rec.value() instanceof io.oe.events.StatusChanged s && s.getPhaseId() == null
                            && "cancelled".equals(s.getToStatus())) {
                        int n = runner.cancel(s.getExecutionId());
                        LOG.infof("execution %s cancelled: %d running agent(s) stopped", s.getExecutionId(), n);
                    }
                }
            }
        } catch (Exception e) {
            LOG.error("cancellation watcher stopped", e);
        }
    }

    /** Starts the attempt in the agent pool; the latch opens once its STARTED is durable (or it ended before). */
    private CountDownLatch accept(PhaseReady r) {
        String key = r.getExecutionId() + "/" + r.getPhaseId() + "/" + r.getAttempt();
        var startedLatch = new CountDownLatch(1);
        if (!accepted.add(key)) {
            LOG.infof("attempt %s already accepted here; duplicate phase-ready ignored", key);
            slots.release();
            startedLatch.countDown();
            return startedLatch;
        }
        agents.submit(() -> {
            agentsRunning.incrementAndGet();
            try {
                AgentResult result = runner.run(r, started -> {
                    send(Topics.AGENT_PROGRESS.name(), r.getExecutionId(), started, true);
                    startedLatch.countDown();
                }, progress -> send(Topics.AGENT_PROGRESS.name(), r.getExecutionId(), progress, false));
                send(Topics.AGENT_RESULT.name(), r.getExecutionId(), result, true);
                if (result.getStartedAt() != null && result.getEndedAt() != null) {
                    io.micrometer.core.instrument.Timer.builder("oe.agent.run").description("Agent processes, start to exit")
                            .tag("outcome", result.getSuccess() ? "success" : "failure").register(registry)
                            .record(java.time.Duration.between(result.getStartedAt(), result.getEndedAt()));
                }
                LOG.infof("%s phase %d attempt %d %s: %s", r.getExecutionId(), r.getPhaseId(), r.getAttempt(),
                        r.getAgent(), result.getSuccess() ? "succeeded" : result.getError());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "attempt %s failed in the gateway", key);
            } finally {
                agentsRunning.decrementAndGet();
                startedLatch.countDown();
                slots.release();
            }
        });
        return startedLatch;
    }

    private void send(String topic, String key, SpecificRecord event, boolean waitForAck) {
        var future = producer.send(new ProducerRecord<>(topic, key, event));
        if (waitForAck) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
            }
        }
    }

    /** A record that does not decode becomes null instead of stopping the consumer. */
    static final class SafeDeserializer extends EventDeserializer {
        @Override
        public SpecificRecord deserialize(String topic, byte[] bytes) {
            try {
                return super.deserialize(topic, bytes);
            } catch (RuntimeException e) {
                LOG.warnf("undecodable record on %s: %s", topic, e.getMessage());
                return null;
            }
        }
    }
}
