package io.oe.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.util.LruMap;
import io.oe.events.AgentResult;
import io.oe.events.ModelUsage;
import io.oe.events.PhaseReady;
import io.oe.events.StatusChanged;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.schemas.serde.EventSerializer;
import io.oe.service.ConsumerLoops;
import io.oe.service.DeadLetters;
import io.oe.service.KafkaSettings;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Kafka side of the gateway. A phase-ready record is committed as soon as its attempt has been accepted and its
 * STARTED published, so the consumer never holds a record while an agent runs for an hour; from then on the
 * scheduler watches the attempt through heartbeats. When every agent slot is busy the records polled wait in order, and
 * the consumer pauses instead of taking more. When the gateway stops, the agents it runs are stopped and each of their attempts is reported as
 * interrupted, so that the scheduler retries it at once rather than after a lost heartbeat.
 */
@ApplicationScoped
public class GatewayService {
    private static final Logger LOG = Logger.getLogger(GatewayService.class);
    static final String SERVICE = "agent-gateway";
    static final String GROUP = KafkaAccess.GATEWAY_GROUP;

    @Inject
    KafkaSettings kafka;
    @Inject
    ConsumerLoops loops;
    @Inject
    DeadLetters deadLetters;
    @Inject
    MeterRegistry registry;
    @Inject
    Tracing tracing;
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
    @ConfigProperty(name = "oe.gateway.output-cap-bytes")
    long outputCap;
    @ConfigProperty(name = "oe.gateway.output-queue-chunks")
    int outputQueue;

    /** Agents running here now, for the oe.agents.running gauge. */
    private final AtomicInteger agentsRunning = new AtomicInteger();
    private KafkaProducer<String, SpecificRecord> producer;
    private OutputPublisher output;
    private ExecutorService agents;
    private Semaphore slots;
    private AttemptRunner runner;
    private String worker;
    private volatile boolean stopping;
    /** Attempts this instance accepted: a redelivered phase-ready of one of them is not run again. */
    /** The latest attempt of each phase polled: a stale phase-ready read beside its retry is not run. */
    private final LatestAttempts latestAttempts = new LatestAttempts();
    private final Set<String> accepted = Collections.synchronizedSet(Collections.newSetFromMap(new LruMap<>(100_000)));

    void start(@Observes StartupEvent ev) throws Exception {
        Gauge.builder("oe.agents.running", agentsRunning, AtomicInteger::get)
                .description("Agent processes running in this gateway").register(registry);
        RunnerConfig runners = RunnerConfig.load(RunnerConfig.locate(oeHome, runnersFile));
        runners.priceWarnings().forEach(LOG::warn);
        worker = InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
        producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(), new EventSerializer());
        new KafkaClientMetrics(producer).bindTo(registry);
        // live output is never waited for: sent without an ack, dropped (and counted) when the queue is full
        output = new OutputPublisher(outputQueue, chunk -> send(Topics.AGENT_OUTPUT.name(), chunk.getExecutionId(), chunk, false));
        FunctionCounter.builder("oe.agent.output.refused.chunks", output, OutputPublisher::refused)
                .description("Live output chunks dropped because the gateway could not publish them fast enough")
                .register(registry);
        runner = new AttemptRunner(runners, Path.of(projectRoot), Path.of(oeHome).toAbsolutePath().normalize().toString(),
                worker, logCap, workspaceRetention, output, outputCap);
        agents = Executors.newFixedThreadPool(maxParallel, r -> new Thread(r, "agent-run"));
        slots = new Semaphore(maxParallel);
        loops.start(SERVICE, "phase-ready-consumer", this::poll);
        loops.start(SERVICE, "cancellations", this::watchCancellations);
        LOG.infof("agent-gateway %s ready: runners from %s, %d agent slots, workspaces kept %s after their last change",
                worker, runnersFile, maxParallel, workspaceRetention.isZero() ? "forever" : workspaceRetention);
    }

    /** Runs before the consumer loops stop: no new attempt is taken, and the running ones end as interrupted. */
    void stop(@Observes ShutdownEvent ev) throws InterruptedException {
        stopping = true;
        if (agents != null) {
            agents.shutdownNow(); // interrupts waiting runs; their process trees are stopped by AgentProcess
            agents.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (output != null) {
            output.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void poll(ConsumerLoops.Loop loop) {
        Map<String, Object> c = kafka.consumer(GROUP);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        // Records polled but not yet given a slot, in the order polled (so in offset order per partition). They wait
        // here rather than being sought back and fetched again: a fetch parked at the broker (up to fetch.max.wait)
        // would hold the re-fetch back, and a wide tier waited seconds for each freed slot.
        Deque<ConsumerRecord<String, Decoded>> backlog = new ArrayDeque<>();
        try (KafkaConsumer<String, Decoded> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new DecodingDeserializer());
                var consumerMetrics = new KafkaClientMetrics(consumer)) {
            consumerMetrics.bindTo(registry); // phase-ready lag (records_lag_max) beside the Streams services' own
            consumer.subscribe(List.of(Topics.PHASE_READY.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    // their next owner starts from the committed offset: what waits here is its to run, not ours
                    backlog.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                }
            });
            while (loop.running() && !stopping) {
                // waiting for a slot: look again soon, a finished agent frees one at any moment
                var records = consumer.poll(backlog.isEmpty() ? ConsumerLoops.POLL : Duration.ofMillis(10));
                loop.polled();
                for (var rec : records) {
                    backlog.addLast(rec);
                    if (rec.value() instanceof Decoded.Event e && e.event() instanceof PhaseReady ready) {
                        latestAttempts.saw(ready);
                    }
                }
                // Every record that gets a slot is accepted at once; their STARTED events are awaited together and
                // the offsets committed once, so a parallel tier is not dispatched one ack at a time.
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                List<CountDownLatch> starts = new ArrayList<>();
                while (!backlog.isEmpty()) {
                    ConsumerRecord<String, Decoded> rec = backlog.peekFirst();
                    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
                    if (rec.value() instanceof Decoded.Undecodable u) {
                        deadLetters.setAside(SERVICE, rec, u);
                    } else if (rec.value() instanceof Decoded.Event e && e.event() instanceof PhaseReady ready) {
                        if (latestAttempts.superseded(ready)) {
                            LOG.infof("%s phase %d attempt %d not run: a later attempt of the phase was dispatched since,"
                                    + " or the scheduler stopped it",
                                    ready.getExecutionId(), ready.getPhaseId(), ready.getAttempt());
                        } else if (!slots.tryAcquire()) {
                            break; // the first in line waits, and so does everything behind it: the order holds
                        } else {
                            starts.add(accept(ready, AgentRunTrace.start(tracing, ready, rec.headers(),
                                    rec.topic() + "-" + rec.partition() + "@" + rec.offset())));
                        }
                    } // else a tombstone: nothing to run
                    backlog.removeFirst();
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
                // fetch no more while some wait: the backlog stays at most one poll's worth
                if (!backlog.isEmpty()) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
            }
        }
    }

    /** A cancelled execution's running agents are stopped at once, on every gateway instance. */
    private void watchCancellations(ConsumerLoops.Loop loop) {
        try (KafkaConsumer<String, Decoded> consumer = new KafkaConsumer<>(kafka.offPathConsumer(null), new StringDeserializer(),
                new DecodingDeserializer())) {
            var partitions = loop.partitionsOf(consumer, Topics.EXECUTION_STATUS.name());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions); // only cancellations from now on matter: earlier ones stopped nothing here
            while (loop.running()) {
                var records = consumer.poll(ConsumerLoops.POLL);
                loop.polled();
                for (var rec : records) {
                    // Not set aside: this reader is not a consumer group, every gateway instance reads every record.
                    if (rec.value() instanceof Decoded.Event e && e.event() instanceof StatusChanged s
                            && s.getPhaseId() == null
                            && ExecutionStatus.find(s.getToStatus()).orElse(null) == ExecutionStatus.CANCELLED) {
                        int n = runner.cancel(s.getExecutionId());
                        LOG.infof("execution %s cancelled: %d running agent(s) stopped", s.getExecutionId(), n);
                    } else if (rec.value() instanceof Decoded.Event e && e.event() instanceof StatusChanged s
                            && stoppedWhileRunning(s)) {
                        if (runner.stop(s.getExecutionId(), s.getPhaseId(), s.getAttempt())) {
                            LOG.infof("execution %s phase %d attempt %d stopped by the scheduler: %s", s.getExecutionId(),
                                    s.getPhaseId(), s.getAttempt(), s.getReason());
                        }
                        // not running here (yet): should its phase-ready come to this instance after this, it is not run
                        latestAttempts.givenUp(s.getExecutionId(), s.getPhaseId(), s.getAttempt());
                    }
                }
            }
        }
    }

    /**
     * A phase that goes from running straight to waiting for a person: the scheduler stopped its attempt (a budget was
     * used up; a failure goes through failed first), so its agent must stop wherever it runs.
     */
    static boolean stoppedWhileRunning(StatusChanged s) {
        return s.getPhaseId() != null
                && PhaseStatus.find(s.getToStatus()).orElse(null) == PhaseStatus.WAITING_FOR_INTERVENTION
                && PhaseStatus.find(s.getFromStatus()).map(PhaseStatus::isActive).orElse(false);
    }

    /** Starts the attempt in the agent pool; the latch opens once its STARTED is durable (or it ended before). */
    private CountDownLatch accept(PhaseReady r, AgentRunTrace trace) {
        String key = r.getExecutionId() + "/" + r.getPhaseId() + "/" + r.getAttempt();
        var startedLatch = new CountDownLatch(1);
        if (!accepted.add(key)) {
            trace.end(null);
            LOG.infof("attempt %s already accepted here; duplicate phase-ready ignored", key);
            slots.release();
            startedLatch.countDown();
            return startedLatch;
        }
        Instant acceptedAt = Instant.now();
        agents.submit(() -> {
            agentsRunning.incrementAndGet();
            AgentResult result = null;
            try {
                result = runner.run(r, trace.w3c(), started -> {
                    send(Topics.AGENT_PROGRESS.name(), r.getExecutionId(), started, true, trace.recordContext());
                    startedLatch.countDown();
                }, progress -> send(Topics.AGENT_PROGRESS.name(), r.getExecutionId(), progress, false, trace.recordContext()));
                trace.end(result); // the agent's run, not the publishing of its result
                send(Topics.AGENT_RESULT.name(), r.getExecutionId(), result, true, trace.recordContext());
                if (result.getStartedAt() != null && result.getEndedAt() != null) {
                    Timer.builder("oe.agent.run").description("Agent processes, start to exit")
                            .tag("outcome", result.getSuccess() ? "success" : "failure").register(registry)
                            .record(Duration.between(result.getStartedAt(), result.getEndedAt()));
                }
                LOG.infof("%s phase %d attempt %d %s: %s", r.getExecutionId(), r.getPhaseId(), r.getAttempt(),
                        r.getAgent(), result.getSuccess() ? "succeeded" : result.getError());
                usageMetrics(result);
                if (!result.getUsageProblems().isEmpty()) {
                    LOG.warnf("%s phase %d attempt %d %s: %s", r.getExecutionId(), r.getPhaseId(), r.getAttempt(),
                            r.getAgent(), String.join("; ", result.getUsageProblems()));
                }
            } catch (InterruptedException e) {
                trace.end(null);
                reportInterrupted(r, acceptedAt, trace);
            } catch (RuntimeException e) {
                if (result == null) {
                    trace.end(null);
                }
                LOG.errorf(e, "attempt %s failed in the gateway", key);
            } finally {
                agentsRunning.decrementAndGet();
                startedLatch.countDown();
                slots.release();
            }
        });
        return startedLatch;
    }

    /**
     * The attempt's usage as Prometheus counters: {@code oe_agent_tokens_total{agent,model,kind}} (kind: input, output,
     * cached) and {@code oe_agent_cost_total{agent,model}} (US dollars). Counted where the usage is read, once per
     * published result; each gateway instance counts its own attempts.
     */
    private void usageMetrics(AgentResult result) {
        for (ModelUsage u : result.getUsage()) {
            for (var kind : Map.of("input", u.getInputTokens(), "output", u.getOutputTokens(), "cached", u.getCachedTokens())
                    .entrySet()) {
                Counter.builder("oe.agent.tokens").description("Tokens agents reported, by agent, model and kind")
                        .tag("agent", result.getAgent()).tag("model", u.getModel()).tag("kind", kind.getKey())
                        .register(registry).increment(kind.getValue());
            }
            Counter.builder("oe.agent.cost").description("What agents cost in US dollars (their own figure, else the"
                    + " runner configuration's prices)").tag("agent", result.getAgent()).tag("model", u.getModel())
                    .register(registry).increment(u.getCostUsd());
        }
    }

    /**
     * The gateway stops while the attempt's agent runs: the agent has been stopped with it, so the attempt failed;
     * saying so lets the scheduler retry it by its usual rules as soon as it reads this (instead of one heartbeat
     * timeout later), and the report shows why.
     */
    private void reportInterrupted(PhaseReady r, Instant startedAt, AgentRunTrace trace) {
        String why = "interrupted: the agent-gateway " + worker + " stopped while the agent ran (the agent was stopped too)";
        LOG.infof("%s phase %d attempt %d %s", r.getExecutionId(), r.getPhaseId(), r.getAttempt(), why);
        try {
            send(Topics.AGENT_RESULT.name(), r.getExecutionId(), AgentResult.newBuilder()
                    .setExecutionId(r.getExecutionId()).setPhaseId(r.getPhaseId()).setAttempt(r.getAttempt())
                    .setAgent(r.getAgent()).setProjectDir(r.getProjectDir()).setSuccess(false).setExitCode(null)
                    .setError(why).setStderrTail(null).setStartedAt(startedAt).setEndedAt(Instant.now())
                    .setWorkspaceDir("").setOutputs(r.getOutputs()).setWorkerId(worker).build(), true, trace.recordContext());
        } catch (RuntimeException e) {
            LOG.warnf("%s phase %d attempt %d: interruption not reported (%s); the scheduler notices the lost heartbeats",
                    r.getExecutionId(), r.getPhaseId(), r.getAttempt(), e.getMessage());
        }
    }

    private void send(String topic, String key, SpecificRecord event, boolean waitForAck) {
        send(topic, key, event, waitForAck, null);
    }

    /** {@code trace}: the span the record belongs to, written as its traceparent header; null, none. */
    private void send(String topic, String key, SpecificRecord event, boolean waitForAck, SpanContext trace) {
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topic, key, event);
        if (trace != null) {
            TraceHeaders.write(record.headers(), trace);
        }
        var future = producer.send(record);
        if (waitForAck) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing to " + topic, e);
            } catch (Exception e) {
                throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
            }
        }
    }
}
