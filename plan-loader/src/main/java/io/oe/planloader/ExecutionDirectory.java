package io.oe.planloader;

import io.oe.core.plan.Budget;
import io.oe.core.plan.Phase;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanGraph;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.ExecutionDirectoryEntry;
import io.oe.events.ExecutionPruned;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.schemas.serde.EventSerializer;
import io.oe.service.ConsumerLoops;
import io.oe.service.DeadLetters;
import io.oe.service.KafkaSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 * What the plan-loader knows of executions: which exist, and the status of each and of its phases, read from
 * plan-loaded and execution-status (the scheduler's transitions). It lets the intake refuse a command on an unknown
 * execution or phase, or one that makes no sense in the current state, before anything is published. The scheduler
 * checks again with its own state, so a command that races a transition is still refused there.
 *
 * <p>Bounded by the live executions, at start as in memory. A start reads two compacted topics from their beginning,
 * {@code plan-loaded} (one record per execution) and {@code execution-directory} (this directory's own entry per
 * execution: status, phases, memos, budget), then {@code execution-status} only from where the last run committed
 * (less {@code oe.plan-loader.directory-replay-margin}, for a second instance's entries written a moment behind). Every
 * {@link #COMMIT_EVERY} it writes the entries of the executions that changed, then commits how far it read: what was
 * committed is always in an entry. A pruned execution ({@code execution-pruned}, decided by the monitor) is dropped
 * and both its records are tombstoned, so no later start reads it again.
 */
@ApplicationScoped
public class ExecutionDirectory {
    private static final Logger LOG = Logger.getLogger(ExecutionDirectory.class);
    /**
     * Marks how far the directory has read execution-status (where the next start begins) and the compacted topics
     * (so that a record that is not an event is set aside once, not at every start).
     */
    static final String GROUP = KafkaAccess.PLAN_LOADER_DIRECTORY_GROUP;
    static final Duration COMMIT_EVERY = Duration.ofSeconds(5);
    private static final List<String> LIVE_SET = List.of(Topics.PLAN_LOADED.name(), Topics.EXECUTION_DIRECTORY.name());
    private static final List<String> SINCE_COMMIT = List.of(Topics.EXECUTION_STATUS.name(), Topics.EXECUTION_PRUNED.name());

    /**
     * {@code graph}: the plan's dependencies, for the phases a RERUN with dependants moves. {@code plan} and
     * {@code contracts} (path → text): what a REVIEW's replacement is checked against. {@code origin}: what a memoized
     * resubmission checks it against. {@code memos}: each phase's last completed attempt's memo (from its
     * {@code completed} transition), what a resubmission with {@code reuse_from} may reuse.
     */
    public record Known(ExecutionStatus status, Map<Integer, PhaseStatus> phases, PlanGraph graph, Plan plan,
            Map<String, String> contracts, Origin origin, Map<Integer, io.oe.events.Memo> memos) {
        Known withStatus(ExecutionStatus next) {
            return new Known(next, phases, graph, plan, contracts, origin, memos);
        }

        /** The execution's project directory (a REVIEW's replacement file is read within it). */
        public String projectDir() {
            return origin.projectDir();
        }
    }

    /** The plan an execution ran, where, and whether it was a dry run. */
    public record Origin(String planId, java.util.SortedSet<Integer> phaseIds, String projectDir, boolean dryRun) {
    }

    @Inject
    KafkaSettings kafka;
    @Inject
    ConsumerLoops loops;
    @Inject
    DeadLetters deadLetters;
    /** How much of execution-status before the committed point a start reads again (microprofile-config.properties). */
    @ConfigProperty(name = "oe.plan-loader.directory-replay-margin")
    Duration replayMargin;

    private final Map<String, Known> executions = new ConcurrentHashMap<>();
    /** Each execution's budget as the scheduler holds it: its config's at load, then each one a transition applied. */
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    /** Loop thread only: entries read before their plan-loaded, applied when it comes. */
    private final Map<String, ExecutionDirectoryEntry> early = new HashMap<>();
    /** Loop thread only: executions whose entry is behind (written at the next commit). */
    private final Set<String> changed = new HashSet<>();
    /** Records the last start read before it was caught up, by topic: the live set, not the history. */
    private final Map<String, Long> readAtStart = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent ev) {
        loops.start(PlanIntake.SERVICE, "execution-directory", this::read);
    }

    /** How many records of each topic the last start read before it was caught up (tests, the start's log line). */
    public Map<String, Long> readAtStart() {
        return Map.copyOf(readAtStart);
    }

    /** The execution, waiting up to {@code patience} for its plan-loaded to arrive (it may have just been created). */
    public Optional<Known> find(String executionId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Known k = executions.get(executionId);
            if (k != null || System.nanoTime() > deadline) {
                return Optional.ofNullable(k);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * The execution's budget as the scheduler last applied it (the loaded config's, then a START's or an accepted
     * BUDGET's, from the transition that carries it); null: it has none, or is unknown.
     */
    public Budget budget(String executionId) {
        return budgets.get(executionId);
    }

    private void read(ConsumerLoops.Loop loop) {
        try (KafkaConsumer<String, Decoded> consumer = new KafkaConsumer<>(kafka.consumer(GROUP), new StringDeserializer(),
                new DecodingDeserializer());
                KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(),
                        new EventSerializer())) {
            List<TopicPartition> liveSet = loop.partitionsOf(consumer, LIVE_SET.toArray(String[]::new));
            List<TopicPartition> sinceCommit = loop.partitionsOf(consumer, SINCE_COMMIT.toArray(String[]::new));
            List<TopicPartition> all = new ArrayList<>(liveSet);
            all.addAll(sinceCommit);
            Map<TopicPartition, OffsetAndMetadata> seen = new HashMap<>(consumer.committed(new HashSet<>(all)));
            seen.values().removeIf(Objects::isNull);
            Map<TopicPartition, OffsetAndMetadata> before = Map.copyOf(seen); // what was read before this start
            readAtStart.clear();
            long started = System.nanoTime();

            // 1. the live executions: both compacted topics, from their beginning to where they end now
            consumer.assign(liveSet);
            consumer.seekToBeginning(liveSet);
            Map<TopicPartition, Long> ends = consumer.endOffsets(liveSet);
            while (loop.running() && !reached(consumer, ends)) {
                take(consumer.poll(ConsumerLoops.POLL), before, seen, producer, true);
                loop.polled();
            }
            // 2. what changed since: execution-status and execution-pruned from the committed point
            consumer.assign(all); // the live set's partitions keep their positions
            for (TopicPartition tp : sinceCommit) {
                consumer.seek(tp, resumeAt(consumer, tp, before.get(tp), replayMargin));
            }
            ends = consumer.endOffsets(all);
            boolean caughtUp = false;
            long lastCommit = System.nanoTime();
            while (loop.running()) {
                take(consumer.poll(ConsumerLoops.POLL), before, seen, producer, !caughtUp);
                loop.polled();
                if (!caughtUp && reached(consumer, ends)) {
                    caughtUp = true;
                    LOG.infof("directory: %d live executions, read at start in %d ms: %s", executions.size(),
                            (System.nanoTime() - started) / 1_000_000, new java.util.TreeMap<>(readAtStart));
                }
                if (System.nanoTime() - lastCommit > COMMIT_EVERY.toNanos() && !seen.isEmpty()) {
                    writeEntries(producer);
                    Map<TopicPartition, OffsetAndMetadata> marks = new HashMap<>();
                    String at = String.valueOf(System.currentTimeMillis());
                    seen.forEach((tp, o) -> marks.put(tp, new OffsetAndMetadata(o.offset(), at)));
                    consumer.commitSync(marks);
                    lastCommit = System.nanoTime();
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /**
     * Where execution-status (or execution-pruned) is read from: the committed offset, less what was written in the
     * {@code margin} before that commit; the beginning when nothing was committed (a first start).
     */
    private static long resumeAt(KafkaConsumer<?, ?> consumer, TopicPartition tp, OffsetAndMetadata committed, Duration margin) {
        if (committed == null) {
            return consumer.beginningOffsets(List.of(tp)).get(tp);
        }
        long at;
        try {
            at = Long.parseLong(committed.metadata()) - margin.toMillis();
        } catch (NumberFormatException e) {
            return consumer.beginningOffsets(List.of(tp)).get(tp); // committed by an older release: read it whole, once
        }
        var found = consumer.offsetsForTimes(Map.of(tp, Math.max(0, at))).get(tp);
        return found == null ? committed.offset() : Math.min(found.offset(), committed.offset());
    }

    private void take(ConsumerRecords<String, Decoded> records, Map<TopicPartition, OffsetAndMetadata> before,
            Map<TopicPartition, OffsetAndMetadata> seen, KafkaProducer<String, SpecificRecord> producer, boolean starting) {
        for (ConsumerRecord<String, Decoded> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            boolean fresh = !before.containsKey(tp) || r.offset() >= before.get(tp).offset(); // not read before this start
            if (starting) {
                readAtStart.merge(r.topic(), 1L, Long::sum);
            }
            if (r.value() == null) {
                forget(r.key()); // a tombstone: the execution was pruned
            } else if (r.value() instanceof Decoded.Event e) {
                try {
                    apply(e.event());
                    if (e.event() instanceof ExecutionPruned p) {
                        prune(p, producer);
                    }
                } catch (RuntimeException ex) {
                    if (fresh) {
                        deadLetters.setAside(PlanIntake.SERVICE, r, e, ex);
                    }
                }
            } else if (r.value() instanceof Decoded.Undecodable u && fresh) {
                deadLetters.setAside(PlanIntake.SERVICE, r, u);
            }
            if (!seen.containsKey(tp) || r.offset() + 1 > seen.get(tp).offset()) {
                seen.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
        }
    }

    /** Writes the entries of the executions that changed since the last commit, and waits for the broker to have them. */
    private void writeEntries(KafkaProducer<String, SpecificRecord> producer) {
        for (String id : changed) {
            Known k = executions.get(id);
            if (k != null) {
                producer.send(new ProducerRecord<>(Topics.EXECUTION_DIRECTORY.name(), id, entry(id, k)));
            }
        }
        producer.flush();
        changed.clear();
    }

    /** The execution's entry as it would be written now (empty: unknown). */
    Optional<ExecutionDirectoryEntry> entry(String id) {
        return Optional.ofNullable(executions.get(id)).map(k -> entry(id, k));
    }

    private ExecutionDirectoryEntry entry(String id, Known k) {
        Map<String, String> phases = new HashMap<>();
        k.phases().forEach((phase, status) -> phases.put(String.valueOf(phase), status.json()));
        Map<String, io.oe.events.Memo> memos = new HashMap<>();
        k.memos().forEach((phase, memo) -> memos.put(String.valueOf(phase), memo));
        Budget budget = budgets.get(id);
        return ExecutionDirectoryEntry.newBuilder().setExecutionId(id).setStatus(k.status().json()).setPhases(phases)
                .setMemos(memos).setBudgetJson(budget == null ? null : PlanJson.MAPPER.valueToTree(budget).toString())
                .setAt(Instant.now()).build();
    }

    /** Drops a pruned execution, if it is finished here too, and tombstones its plan-loaded and its entry. */
    private void prune(ExecutionPruned p, KafkaProducer<String, SpecificRecord> producer) {
        String id = p.getExecutionId();
        Known k = executions.get(id);
        if (k != null && !k.status().isTerminal()) {
            LOG.warnf("%s: pruning ignored, it is %s here (rerun after its end?)", id, k.status().json());
            return;
        }
        forget(id);
        producer.send(new ProducerRecord<>(Topics.PLAN_LOADED.name(), id, null));
        producer.send(new ProducerRecord<>(Topics.EXECUTION_DIRECTORY.name(), id, null));
    }

    private void forget(String executionId) {
        if (executionId != null) {
            executions.remove(executionId);
            budgets.remove(executionId);
            early.remove(executionId);
            changed.remove(executionId);
        }
    }

    void apply(SpecificRecord event) {
        if (event instanceof PlanLoaded p) {
            if (executions.containsKey(p.getExecutionId())) {
                return;
            }
            Plan parsed = PlanJson.plan(PlanJson.parse(p.getPlanJson()));
            Map<Integer, PhaseStatus> phases = new ConcurrentHashMap<>();
            for (Phase ph : parsed.phases()) {
                phases.put(ph.id(), ph.alreadyCompleted() ? PhaseStatus.COMPLETED : PhaseStatus.PENDING);
            }
            Budget budget = PlanJson.config(PlanJson.parse(p.getConfigJson())).budget();
            if (budget != null) {
                budgets.put(p.getExecutionId(), budget);
            }
            executions.putIfAbsent(p.getExecutionId(), new Known(ExecutionStatus.INITIALIZED, phases, PlanGraph.of(parsed),
                    parsed, Map.copyOf(p.getContracts()), new Origin(p.getPlanId(), new java.util.TreeSet<>(phases.keySet()),
                            p.getProjectDir(), p.getDryRun()), new ConcurrentHashMap<>()));
            ExecutionDirectoryEntry e = early.remove(p.getExecutionId());
            if (e != null) {
                restore(e);
            }
        } else if (event instanceof ExecutionDirectoryEntry e) {
            if (executions.containsKey(e.getExecutionId())) {
                restore(e);
            } else {
                early.put(e.getExecutionId(), e);
            }
        } else if (event instanceof StatusChanged s) {
            executions.computeIfPresent(s.getExecutionId(), (id, k) -> {
                if (s.getPhaseId() != null) {
                    k.phases().put(s.getPhaseId(), PhaseStatus.parse(s.getToStatus()));
                    if (s.getMemo() != null) {
                        k.memos().put(s.getPhaseId(), s.getMemo());
                    }
                }
                changed.add(id);
                return k.withStatus(ExecutionStatus.parse(s.getExecutionStatus()));
            });
            // after the status: a budget that cannot be read sets the record aside (DeadLetters), its transition kept
            if (s.getPhaseId() == null && s.getBudgetJson() != null && executions.containsKey(s.getExecutionId())) {
                budgets.put(s.getExecutionId(), PlanJson.MAPPER.convertValue(PlanJson.parse(s.getBudgetJson()), Budget.class));
            }
        }
    }

    /** Puts what an entry says over the execution as its plan-loaded left it (the status read after it still applies). */
    private void restore(ExecutionDirectoryEntry e) {
        executions.computeIfPresent(e.getExecutionId(), (id, k) -> {
            e.getPhases().forEach((phase, status) -> k.phases().put(Integer.valueOf(phase), PhaseStatus.parse(status)));
            e.getMemos().forEach((phase, memo) -> k.memos().put(Integer.valueOf(phase), memo));
            return k.withStatus(ExecutionStatus.parse(e.getStatus()));
        });
        if (e.getBudgetJson() != null) {
            budgets.put(e.getExecutionId(), PlanJson.MAPPER.convertValue(PlanJson.parse(e.getBudgetJson()), Budget.class));
        }
    }
}
