package io.oe.monitor;

import io.oe.events.AgentOutput;
import io.oe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The view of agents' live output: each chunk under {@code <execution>/<phase>/<attempt>/<seq>}, so that a range scan
 * pages one attempt in order. A Kafka Streams store, not memory: any monitor instance answers for the executions of
 * its partitions, and a restarted or rebalanced instance has the output back from the changelog.
 *
 * <p>Bounded: per attempt the first {@link #CHUNKS_PER_ATTEMPT} chunks (the gateway's cap keeps an honest attempt far
 * below), each text cut to {@link #TEXT_CHARS}; an execution's output is dropped once it has had no new chunk for the
 * topic's retention (a week; {@code agent-output-seen} says when each execution last had one).
 */
final class OutputView {
    static final String STORE = "agent-output-view";
    static final String SEEN = "agent-output-seen";
    static final int CHUNKS_PER_ATTEMPT = 20_000;
    static final int TEXT_CHARS = 16 * 1024;
    static final Duration KEPT = Topics.AGENT_OUTPUT.retention();
    static final Duration SWEEP = Duration.ofMinutes(10);

    private OutputView() {
    }

    static String prefix(String executionId, int phaseId, int attempt) {
        return executionId + "/" + String.format("%06d/%06d/", phaseId, attempt);
    }

    static String key(String executionId, int phaseId, int attempt, long seq) {
        return prefix(executionId, phaseId, attempt) + String.format("%012d", seq);
    }

    /**
     * Adds the view to the topology. Its stores are also connected to the engine-state view's processor (which prunes
     * them with the execution, {@link Pruner}): that puts both in one sub-topology, so partition p of engine-state and of agent-output is one task on one instance, and the
     * instance that holds an execution's state (the one {@link Instances} forwards to) holds its output too.
     */
    static void addTo(Topology t, String stateProcessor) {
        t.addSource("from-agent-output", Topics.AGENT_OUTPUT.keySerde().deserializer(),
                Topics.AGENT_OUTPUT.valueSerde().deserializer(), Topics.AGENT_OUTPUT.name());
        t.addProcessor("output-view", ViewProcessor::new, "from-agent-output");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Topics.AGENT_OUTPUT.valueSerde()), "output-view", stateProcessor);
        // cached: an execution's "last had output" changes with every chunk, and its changelog needs the latest per
        // commit only (a chain step wrote one changelog record here for nothing)
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN), Serdes.String(), Serdes.Long())
                .withCachingEnabled(), "output-view", stateProcessor);
    }

    private static final class ViewProcessor implements Processor<String, AgentOutput, Void, Void> {
        private KeyValueStore<String, AgentOutput> store;
        private KeyValueStore<String, Long> seen;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
            seen = context.getStateStore(SEEN);
            context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::sweep);
        }

        @Override
        public void process(Record<String, AgentOutput> r) {
            AgentOutput o = r.value();
            // keyed by its own execution id: a record filed under another execution's key is not shown there
            if (r.key() == null || o == null || !r.key().equals(o.getExecutionId()) || o.getSeq() < 0
                    || o.getSeq() >= CHUNKS_PER_ATTEMPT) {
                return;
            }
            if (o.getText().length() > TEXT_CHARS) {
                o.setText(o.getText().substring(0, TEXT_CHARS));
            }
            store.put(key(o.getExecutionId(), o.getPhaseId(), o.getAttempt(), o.getSeq()), o);
            seen.put(o.getExecutionId(), o.getAt().toEpochMilli());
        }

        /** Drops the output of executions that had no new chunk for {@link #KEPT}. */
        private void sweep(long now) {
            List<String> expired = new ArrayList<>();
            try (var it = seen.all()) {
                it.forEachRemaining(kv -> {
                    if (kv.value < now - KEPT.toMillis()) {
                        expired.add(kv.key);
                    }
                });
            }
            for (String execution : expired) {
                List<String> keys = new ArrayList<>();
                try (var it = store.range(execution + "/", execution + "/~")) {
                    it.forEachRemaining(kv -> keys.add(kv.key));
                }
                keys.forEach(store::delete);
                seen.delete(execution);
            }
        }
    }
}
