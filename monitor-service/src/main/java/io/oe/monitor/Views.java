package io.oe.monitor;

import io.oe.events.AgentOutput;
import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.oe.service.StreamsApp;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries over the monitor's views. */
@ApplicationScoped
public class Views {
    @Inject
    MonitorTopology topology;

    public Optional<EngineState> state(String executionId) {
        return Optional.ofNullable(stateStore().get(executionId));
    }

    public List<EngineState> all() {
        List<EngineState> out = new ArrayList<>();
        try (var it = stateStore().all()) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    /** Entries with {@code seq >= from}, at most {@code limit}, in order, and where the next page starts. */
    public LogPage log(String executionId, long from, int limit) {
        return LogPage.read(store(MonitorTopology.LOG_VIEW), executionId, from, limit);
    }

    /** One attempt's output chunks with {@code seq >= from}, at most {@code limit}, in order. */
    public List<AgentOutput> output(String executionId, int phaseId, int attempt, long from, int limit) {
        List<AgentOutput> out = new ArrayList<>();
        ReadOnlyKeyValueStore<String, AgentOutput> store = store(OutputView.STORE);
        try (var it = store.range(OutputView.key(executionId, phaseId, attempt, Math.max(0, from)),
                OutputView.prefix(executionId, phaseId, attempt) + "~")) {
            while (it.hasNext() && out.size() < limit) {
                out.add(it.next().value);
            }
        }
        return out;
    }

    private ReadOnlyKeyValueStore<String, EngineState> stateStore() {
        return store(MonitorTopology.STATE_VIEW);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        StreamsApp app = topology.app().orElseThrow(() -> new ViewsNotReadyException(name + " is not queryable yet (starting)"));
        try {
            return app.store(name, QueryableStoreTypes.<String, V>keyValueStore());
        } catch (StreamsApp.StoreNotReadyException e) {
            throw new ViewsNotReadyException(e.getMessage());
        }
    }

    public static class ViewsNotReadyException extends RuntimeException {
        public ViewsNotReadyException(String message) {
            super(message);
        }
    }
}
