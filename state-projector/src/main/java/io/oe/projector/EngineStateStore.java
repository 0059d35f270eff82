package io.oe.projector;

import io.oe.core.util.LruMap;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The projector's memory: an event costs the phase it changed, not the size of the plan. Key {@code <execution>}
 * holds the state without its phases and tasks (status, tier counts, the last handoffs and alerts: bounded, rewritten
 * on each event); key {@code <execution>/<phase>} holds one phase with its tasks, rewritten only when an event names
 * that phase; key {@code <execution>#tiers} the tiers' phase lists, written once. All are {@link EngineState} records,
 * so the store needs no serde of its own.
 *
 * <p>Decoded states are kept in memory per processor (one stream task); the store, written on every event inside
 * the same transaction as the outputs, stays the truth, and a new or revived task starts with an empty cache.
 */
final class EngineStateStore {
    private static final String END = "\uffff";
    /** After the execution id: '#' sorts before '/', so this entry is not one of the range of phases. */
    private static final String TIERS = "#tiers";
    private static final int CACHED_EXECUTIONS = 256;

    private final KeyValueStore<String, EngineState> store;
    private final Map<String, EngineState> decoded = new LruMap<>(CACHED_EXECUTIONS);

    EngineStateStore(KeyValueStore<String, EngineState> store) {
        this.store = store;
    }

    EngineState get(String executionId) {
        EngineState s = decoded.get(executionId);
        if (s == null) {
            s = load(store, executionId);
            if (s != null) {
                decoded.put(executionId, s);
            }
        }
        return s;
    }

    /** Writes the execution-wide fields, and the phase {@code changedPhase} (every phase when null and {@code all}). */
    void put(EngineState state, Integer changedPhase, boolean all) {
        String id = state.getExecutionId();
        store.put(id, header(state));
        if (all) {
            store.put(id + TIERS, tiers(state));
            state.getPhases().values().forEach(p -> store.put(partKey(id, p.getId()), part(state, p)));
        } else if (changedPhase != null) {
            PhaseState p = state.getPhases().get(String.valueOf(changedPhase));
            if (p != null) {
                store.put(partKey(id, changedPhase), part(state, p));
            }
        }
        decoded.put(id, state);
    }

    /** Forgets the execution: every entry of it and its decoded state (it was pruned). */
    void delete(String executionId) {
        List<String> keys = new java.util.ArrayList<>(List.of(executionId, executionId + TIERS));
        try (var it = store.range(executionId + "/", executionId + "/" + END)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
        decoded.remove(executionId);
    }

    /** Rebuilds one execution's state from its entries (also how tests read the store). */
    static EngineState load(ReadOnlyKeyValueStore<String, EngineState> store, String executionId) {
        EngineState header = store.get(executionId);
        if (header == null) {
            return null;
        }
        Map<String, PhaseState> phases = new LinkedHashMap<>();
        Map<String, TaskState> tasks = new LinkedHashMap<>();
        try (var it = store.range(executionId + "/", executionId + "/" + END)) {
            it.forEachRemaining(kv -> {
                phases.putAll(kv.value.getPhases());
                tasks.putAll(kv.value.getTasks());
            });
        }
        EngineState s = EngineState.newBuilder(header).build();
        s.setPhases(phases);
        s.setTasks(tasks);
        EngineState tiers = store.get(executionId + TIERS);
        for (int i = 0; tiers != null && i < s.getTiers().size() && i < tiers.getTiers().size(); i++) {
            s.getTiers().get(i).setPhases(tiers.getTiers().get(i).getPhases());
        }
        return s;
    }

    static String partKey(String executionId, int phaseId) {
        return executionId + "/" + phaseId;
    }

    private static EngineState header(EngineState s) {
        // a shallow copy without the two maps and the tiers' phase lists: serialised at once by the store, never kept
        List<TierProgress> counts = s.getTiers().stream().map(t -> new TierProgress(t.getName(), t.getMode(), List.of(),
                t.getCompleted(), t.getSkipped(), t.getRunning(), t.getFailed(), t.getPending())).toList();
        return new EngineState(s.getExecutionId(), s.getOrchestrationPlanId(), s.getProjectName(), s.getProjectDir(),
                s.getStatus(), s.getCurrentPhase(), s.getCurrentPhases(), s.getStartTime(), s.getEndTime(), s.getUpdatedAt(),
                Map.of(), Map.of(), counts, s.getHandoffs(), s.getAlerts(), s.getEventCount(), s.getConfigJson(), s.getUsage(),
                s.getDryRun(), s.getApprovalGates(), s.getReuseFrom(), s.getReuse());
    }

    private static EngineState tiers(EngineState s) {
        return new EngineState(s.getExecutionId(), s.getOrchestrationPlanId(), s.getProjectName(), s.getProjectDir(),
                s.getStatus(), null, List.of(), null, null, s.getUpdatedAt(), Map.of(), Map.of(), s.getTiers(), List.of(),
                List.of(), 0L, "", List.of(), false, List.of(), null, Map.of());
    }

    private static EngineState part(EngineState s, PhaseState phase) {
        Map<String, TaskState> tasks = new HashMap<>();
        s.getTasks().forEach((id, t) -> {
            if (t.getPhaseId() == phase.getId()) {
                tasks.put(id, t);
            }
        });
        return new EngineState(s.getExecutionId(), s.getOrchestrationPlanId(), s.getProjectName(), s.getProjectDir(),
                s.getStatus(), null, List.of(), null, null, s.getUpdatedAt(), Map.of(String.valueOf(phase.getId()), phase),
                tasks, List.of(), List.of(), List.of(), 0L, "", List.of(), false, List.of(), null, Map.of());
    }
}
