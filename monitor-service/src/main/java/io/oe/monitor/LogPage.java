package io.oe.monitor;

import io.oe.events.LogEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A page of an execution's audit trail: its entries in seq order and, when more follow, the seq to ask from next
 * (null on the last page). A reader pages through every entry by asking again from {@code nextFrom}.
 */
record LogPage(List<LogEntry> entries, Long nextFrom) {
    /** The most entries one page holds, whatever a reader asks: a page stays one bounded response. */
    static final int MAX_ENTRIES = 10_000;

    LogPage {
        entries = List.copyOf(entries);
    }

    /** Entries of the execution with {@code seq >= from}, at most {@code limit} (1 to {@link #MAX_ENTRIES}), from the log view. */
    static LogPage read(ReadOnlyKeyValueStore<String, LogEntry> logView, String executionId, long from, int limit) {
        try (var it = logView.range(MonitorTopology.logKey(executionId, Math.max(0, from)), executionId + "/~")) {
            return first(Math.max(1, Math.min(limit, MAX_ENTRIES)), new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public LogEntry next() {
                    return it.next().value;
                }
            });
        }
    }

    /** The first {@code limit} of these entries (in seq order); the one after them, if any, starts the next page. */
    static LogPage first(int limit, Iterator<LogEntry> entries) {
        List<LogEntry> out = new ArrayList<>();
        while (out.size() < limit && entries.hasNext()) {
            out.add(entries.next());
        }
        return new LogPage(out, entries.hasNext() ? entries.next().getSeq() : null);
    }
}
