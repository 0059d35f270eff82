package io.oe.monitor;

import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The two views in memory, for tests of what reads them (no Kafka Streams). */
class FakeViews extends Views {
    final Map<String, EngineState> states = new ConcurrentHashMap<>();
    final Map<String, ConcurrentSkipListMap<Long, LogEntry>> logs = new ConcurrentHashMap<>();

    void put(EngineState s) {
        states.put(s.getExecutionId(), s);
    }

    void append(LogEntry e) {
        logs.computeIfAbsent(e.getExecutionId(), k -> new ConcurrentSkipListMap<>()).put(e.getSeq(), e);
    }

    @Override
    public Optional<EngineState> state(String executionId) {
        return Optional.ofNullable(states.get(executionId));
    }

    @Override
    public List<EngineState> all() {
        return new ArrayList<>(states.values());
    }

    @Override
    public LogPage log(String executionId, long from, int limit) {
        var log = logs.getOrDefault(executionId, new ConcurrentSkipListMap<>());
        return LogPage.first(limit, log.tailMap(from, true).values().iterator());
    }
}
