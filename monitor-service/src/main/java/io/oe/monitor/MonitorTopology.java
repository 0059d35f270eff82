package io.oe.monitor;

import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import io.oe.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Two views for interactive queries: the latest engine state per execution, and the audit trail per execution keyed
 * {@code <execution>/<seq>} so that a range scan pages it in order. Each update also tells the file writer.
 */
@ApplicationScoped
public class MonitorTopology {
    public static final String STATE_VIEW = "engine-state-view";
    public static final String LOG_VIEW = "execution-log-view";

    @Inject
    ProjectFiles files;
    @Inject
    StateChanges changes;

    @Produces
    public Topology topology() {
        return build(id -> {
            files.changed(id);
            changes.changed(id);
        });
    }

    static String logKey(String executionId, long seq) {
        return executionId + "/" + String.format("%012d", seq);
    }

    /** Puts each record into a view under the key {@code keyOf} gives, and says which execution changed. */
    private static final class ViewProcessor<V> implements Processor<String, V, Void, Void> {
        private final String storeName;
        private final java.util.function.BiFunction<String, V, String> keyOf;
        private final Consumer<String> changed;
        private KeyValueStore<String, V> store;

        ViewProcessor(String storeName, java.util.function.BiFunction<String, V, String> keyOf, Consumer<String> changed) {
            this.storeName = storeName;
            this.keyOf = keyOf;
            this.changed = changed;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, V> r) {
            if (r.key() == null || r.value() == null) {
                return;
            }
            store.put(keyOf.apply(r.key(), r.value()), r.value());
            changed.accept(r.key());
        }
    }

    static Topology build(Consumer<String> changed) {
        Topology t = new Topology();
        t.addSource("from-engine-state", Topics.ENGINE_STATE.keySerde().deserializer(),
                Topics.ENGINE_STATE.valueSerde().deserializer(), Topics.ENGINE_STATE.name());
        t.addSource("from-execution-log", Topics.EXECUTION_LOG.keySerde().deserializer(),
                Topics.EXECUTION_LOG.valueSerde().deserializer(), Topics.EXECUTION_LOG.name());
        t.addProcessor("state-view", () -> new ViewProcessor<EngineState>(STATE_VIEW, (key, state) -> key, changed),
                "from-engine-state");
        t.addProcessor("log-view", () -> new ViewProcessor<LogEntry>(LOG_VIEW, (key, entry) -> logKey(key, entry.getSeq()), changed),
                "from-execution-log");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_VIEW), Serdes.String(),
                Topics.ENGINE_STATE.valueSerde()), "state-view");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LOG_VIEW), Serdes.String(),
                Topics.EXECUTION_LOG.valueSerde()), "log-view");
        return t;
    }
}
