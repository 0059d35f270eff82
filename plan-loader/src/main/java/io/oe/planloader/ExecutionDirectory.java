package io.oe.planloader;

import io.oe.core.plan.Budget;
import io.oe.core.plan.Phase;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanGraph;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.service.ConsumerLoops;
import io.oe.service.DeadLetters;
import io.oe.service.KafkaSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the plan-loader knows of executions: which exist, and the status of each and of its phases, read from
 * plan-loaded and execution-status (the scheduler's transitions). It lets the intake refuse a command on an unknown
 * execution or phase, or one that makes no sense in the current state, before anything is published. The scheduler
 * checks again with its own state, so a command that races a transition is still refused there.
 */
@ApplicationScoped
public class ExecutionDirectory {
    /**
     * Marks how far the directory has read, so that a record that is not an event is set aside once, not at every
     * start (the directory reads the topics from their beginning each time).
     */
    static final String GROUP = KafkaAccess.PLAN_LOADER_DIRECTORY_GROUP;
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(5);

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

    private final Map<String, Known> executions = new ConcurrentHashMap<>();
    /** Each execution's budget as the scheduler holds it: its config's at load, then each one a transition applied. */
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent ev) {
        loops.start(PlanIntake.SERVICE, "execution-directory", this::read);
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
                new DecodingDeserializer())) {
            List<TopicPartition> partitions = loop.partitionsOf(consumer, Topics.PLAN_LOADED.name(), Topics.EXECUTION_STATUS.name());
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> seen = new HashMap<>(consumer.committed(new HashSet<>(partitions)));
            seen.values().removeIf(Objects::isNull);
            consumer.seekToBeginning(partitions);
            long lastCommit = System.nanoTime();
            while (loop.running()) {
                var records = consumer.poll(ConsumerLoops.POLL);
                loop.polled();
                for (ConsumerRecord<String, Decoded> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    boolean fresh = !seen.containsKey(tp) || r.offset() >= seen.get(tp).offset(); // not read before this start
                    if (r.value() instanceof Decoded.Event e) {
                        try {
                            apply(e.event());
                        } catch (RuntimeException ex) {
                            if (fresh) {
                                deadLetters.setAside(PlanIntake.SERVICE, r, e, ex);
                            }
                        }
                    } else if (r.value() instanceof Decoded.Undecodable u && fresh) {
                        deadLetters.setAside(PlanIntake.SERVICE, r, u);
                    }
                    if (fresh) {
                        seen.put(tp, new OffsetAndMetadata(r.offset() + 1));
                    }
                }
                if (System.nanoTime() - lastCommit > COMMIT_EVERY.toNanos() && !seen.isEmpty()) {
                    consumer.commitSync(seen);
                    lastCommit = System.nanoTime();
                }
            }
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
        } else if (event instanceof StatusChanged s) {
            executions.computeIfPresent(s.getExecutionId(), (id, k) -> {
                if (s.getPhaseId() != null) {
                    k.phases().put(s.getPhaseId(), PhaseStatus.parse(s.getToStatus()));
                    if (s.getMemo() != null) {
                        k.memos().put(s.getPhaseId(), s.getMemo());
                    }
                }
                return k.withStatus(ExecutionStatus.parse(s.getExecutionStatus()));
            });
            // after the status: a budget that cannot be read sets the record aside (DeadLetters), its transition kept
            if (s.getPhaseId() == null && s.getBudgetJson() != null && executions.containsKey(s.getExecutionId())) {
                budgets.put(s.getExecutionId(), PlanJson.MAPPER.convertValue(PlanJson.parse(s.getBudgetJson()), Budget.class));
            }
        }
    }
}
