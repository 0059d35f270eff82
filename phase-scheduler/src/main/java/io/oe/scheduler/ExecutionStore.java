package io.oe.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Artifact;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseRun;
import io.oe.core.scheduler.PhaseTable;
import io.oe.core.scheduler.Reuse;
import io.oe.core.util.LruMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The scheduler's memory of executions, laid out so that an event costs what it changes rather than the size of its
 * plan: the plan is written once, each phase's run and each artifact is an entry of its own, rewritten only when it
 * changes, and a small header (status, config, times) carries the rest. A whole state rewritten per event made a
 * 1,000-phase plan quadratic and a 10,000-phase one impossible (docs/performance.md).
 *
 * <p>Keys: {@code h/<execution>} header, {@code p/<execution>} plan, {@code r/<execution>/<phase>} phase run,
 * {@code a/<execution>/<phase>/<artifact>} artifact. Values are JSON: the store is this service's private memory.
 *
 * <p>Decoded states are kept in memory per processor (one stream task): the store stays the truth, written on every
 * change inside the same transaction as the events, so a crash loses only this cache, which a new task rebuilds.
 */
final class ExecutionStore {
    static final String HEADER = "h/";
    static final String PLAN = "p/";
    static final String RUN = "r/";
    static final String ARTIFACT = "a/";
    /** After every key of a prefix: the UTF-8 of U+FFFF sorts after any character an id holds. */
    private static final String END = "\uffff";
    private static final int CACHED_EXECUTIONS = 256;

    /** Everything of a state but the plan, its phases and artifacts: small, rewritten on each change. */
    record Header(String executionId, String projectDir, EngineConfig config, ExecutionStatus status, long createdAt,
            Long startedAt, Long endedAt, Long behindEstimateAt) { // behindEstimateAt: null in a header written before it
        static Header of(ExecutionState s) {
            return new Header(s.executionId(), s.projectDir(), s.config(), s.status(), s.createdAt(), s.startedAt(),
                    s.endedAt(), s.behindEstimateAt());
        }
    }

    /** What never changes within an execution: written once. {@code dryRun}: null in an entry written before it (false). */
    record PlanPart(Plan plan, JsonNode projectFacts, Map<String, String> contracts, Map<String, String> agents,
            Boolean dryRun, Reuse reuse, Map<String, String> runnerProfiles) {
    }

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, ExecutionState> decoded = new LruMap<>(CACHED_EXECUTIONS);

    /** Executions not yet ended: read from the headers once per task, then kept by put(), since every tick asks. */
    private Set<String> live;

    ExecutionStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    boolean contains(String executionId) {
        return decoded.containsKey(executionId) || store.get(HEADER + executionId) != null;
    }

    /** The execution's state, or null if it was never registered. */
    ExecutionState get(String executionId) {
        ExecutionState s = decoded.get(executionId);
        if (s == null) {
            s = load(store, executionId);
            if (s != null) {
                decoded.put(executionId, s);
            }
        }
        return s;
    }

    /**
     * Writes what changed from {@code before} (null for a new execution) to {@code after}. Phase runs and artifacts are
     * immutable and the scheduler keeps the same object for what an input did not touch, so a changed entry is one
     * that is not the same object.
     */
    void put(ExecutionState before, ExecutionState after) {
        String id = after.executionId();
        if (before == null) {
            store.put(PLAN + id, json(new PlanPart(after.plan(), after.projectFacts(), after.contracts(), after.agents(),
                    after.dryRun(), after.reuse(), after.runnerProfiles())));
        }
        Header header = Header.of(after);
        if (before == null || !header.equals(Header.of(before))) {
            store.put(HEADER + id, json(header));
        }
        PhaseTable.of(after.phases()).forEachChangedSince(before == null ? null : before.phases(),
                (phase, run) -> store.put(runKey(id, phase), json(run)));
        if (before == null || after.artifacts() != before.artifacts()) { // the same map when the input added none
            after.artifacts().forEach((key, artifact) -> {
                if (before == null || !Objects.equals(before.artifacts().get(key), artifact)) {
                    store.put(ARTIFACT + id + "/" + key, json(artifact));
                }
            });
        }
        decoded.put(id, after);
        if (live != null) {
            if (after.status().isTerminal()) {
                live.remove(id);
            } else {
                live.add(id);
            }
        }
    }

    /** Forgets the execution: its header, plan, runs and artifacts (it was pruned). */
    void delete(String executionId) {
        List<String> keys = new ArrayList<>(List.of(HEADER + executionId, PLAN + executionId));
        for (String prefix : List.of(RUN + executionId + "/", ARTIFACT + executionId + "/")) {
            try (var it = store.range(prefix, prefix + END)) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
        }
        keys.forEach(store::delete);
        decoded.remove(executionId);
        if (live != null) {
            live.remove(executionId);
        }
    }

    /** Ids of the executions not yet ended. */
    List<String> liveExecutionIds() {
        if (live == null) {
            live = new LinkedHashSet<>();
            try (var it = store.range(HEADER, HEADER + END)) {
                it.forEachRemaining(kv -> {
                    if (!read(kv.value, Header.class).status().isTerminal()) {
                        live.add(kv.key.substring(HEADER.length()));
                    }
                });
            }
        }
        return new ArrayList<>(live);
    }

    /** Rebuilds one execution's state from its entries (also what tests read the store with). */
    static ExecutionState load(ReadOnlyKeyValueStore<String, byte[]> store, String executionId) {
        byte[] h = store.get(HEADER + executionId);
        byte[] p = store.get(PLAN + executionId);
        if (h == null || p == null) {
            return null;
        }
        Header header = read(h, Header.class);
        PlanPart plan = read(p, PlanPart.class);
        Map<Integer, PhaseRun> phases = new TreeMap<>();
        String runs = RUN + executionId + "/";
        try (var it = store.range(runs, runs + END)) {
            it.forEachRemaining(kv -> phases.put(Integer.parseInt(kv.key.substring(runs.length())), read(kv.value, PhaseRun.class)));
        }
        Map<String, Artifact> artifacts = new TreeMap<>();
        String arts = ARTIFACT + executionId + "/";
        try (var it = store.range(arts, arts + END)) {
            it.forEachRemaining(kv -> artifacts.put(kv.key.substring(arts.length()), read(kv.value, Artifact.class)));
        }
        return new ExecutionState(executionId, header.projectDir(), plan.plan(), plan.projectFacts(), header.config(),
                plan.contracts(), plan.agents(), header.status(), phases, artifacts, header.createdAt(),
                header.startedAt(), header.endedAt(), header.behindEstimateAt(), Boolean.TRUE.equals(plan.dryRun()),
                plan.reuse(), plan.runnerProfiles());
    }

    static String runKey(String executionId, int phaseId) {
        return RUN + executionId + "/" + phaseId;
    }

    private static byte[] json(Object value) {
        try {
            return PlanJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return PlanJson.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
