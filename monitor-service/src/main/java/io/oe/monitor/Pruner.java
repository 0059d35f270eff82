package io.oe.monitor;

import io.oe.events.AgentOutput;
import io.oe.events.EngineState;
import io.oe.events.ExecutionPruned;
import io.oe.events.LogEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Who decides that a finished execution is pruned: the monitor, in the punctuation of its engine-state view. It is the
 * one service that holds each execution's final state and its whole audit trail, which the archive needs, and with
 * several instances each sweeps only the executions of its own partitions. For each execution
 * {@link io.oe.core.retention.Retention} says is due it writes the archive ({@link ExecutionArchive}), drops the
 * execution from its own views (state, log, agents' output) and publishes an {@link ExecutionPruned}; every other
 * service drops it on that event (the projector also tombstones its engine-state, docs/architecture.md, "Data that
 * ages out").
 *
 * <p>An archive that cannot be written (a full disk) keeps the execution for the next sweep: nothing is dropped that
 * was not kept. An execution whose project no longer exists (or lies outside the project root) has nowhere to keep an
 * archive: it is pruned without one, and the event and the log say so.
 */
final class Pruner {
    private static final Logger LOG = Logger.getLogger(Pruner.class);

    private final Pruning pruning;
    private final KeyValueStore<String, EngineState> states;
    private final KeyValueStore<String, LogEntry> log;
    private final KeyValueStore<String, AgentOutput> output;
    private final KeyValueStore<String, Long> outputSeen;
    private final MonitorTopology.Listener listener;
    private final Consumer<ExecutionPruned> publish;

    Pruner(Pruning pruning, KeyValueStore<String, EngineState> states, KeyValueStore<String, LogEntry> log,
            KeyValueStore<String, AgentOutput> output, KeyValueStore<String, Long> outputSeen,
            MonitorTopology.Listener listener, Consumer<ExecutionPruned> publish) {
        this.pruning = pruning;
        this.states = states;
        this.log = log;
        this.output = output;
        this.outputSeen = outputSeen;
        this.listener = listener;
        this.publish = publish;
    }

    /** Prunes every execution of this task whose retention ran out by {@code now}. */
    void sweep(Instant now) {
        List<EngineState> due = new ArrayList<>();
        try (var it = states.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null && pruning.retention().isDue(kv.value.getStatus(), endedAt(kv.value), now)) {
                    due.add(kv.value);
                }
            });
        }
        due.forEach(s -> prune(s, now));
    }

    /** When the execution ended: its end time, else (a state that never recorded one) its last update. */
    static Instant endedAt(EngineState s) {
        return s.getEndTime() != null ? s.getEndTime() : s.getUpdatedAt();
    }

    private void prune(EngineState s, Instant now) {
        String id = s.getExecutionId();
        List<LogEntry> entries = new ArrayList<>();
        try (var it = log.range(id + "/", id + "/~")) {
            it.forEachRemaining(kv -> entries.add(kv.value));
        }
        String archive = null;
        Path project = null;
        try {
            project = ProjectFiles.projectDir(pruning.projectRoot(), s.getProjectDir());
        } catch (IllegalArgumentException e) {
            LOG.warnf("execution %s is pruned without an archive: %s", id, e.getMessage());
        }
        if (project != null) {
            try {
                ExecutionArchive.write(project, s, entries, now);
                archive = ExecutionArchive.relativePath(id);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("execution %s is kept until its archive can be written (next sweep): %s", id, e.toString());
                return;
            }
        }
        deleteRange(log, id);
        deleteRange(output, id);
        outputSeen.delete(id);
        states.delete(id);
        publish.accept(ExecutionPruned.newBuilder().setExecutionId(id).setStatus(s.getStatus()).setEndedAt(endedAt(s))
                .setPrunedAt(now).setArchive(archive).build());
        listener.changed(id);
        LOG.infof("execution %s (%s, ended %s) pruned after its retention of %s%s", id, s.getStatus(), endedAt(s),
                pruning.retention().kept(), archive == null ? ", no archive" : "; archived to " + archive);
    }

    private static void deleteRange(KeyValueStore<String, ?> store, String executionId) {
        List<String> keys = new ArrayList<>();
        try (var it = store.range(executionId + "/", executionId + "/~")) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }
}
