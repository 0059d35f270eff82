package io.oe.core.scheduler;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An execution's phase runs as a persistent map: a new state that changes one phase copies one chunk of
 * {@value #CHUNK} runs and the chunk index, not the whole plan. The scheduler makes a new state per input, and a
 * 10,000-phase plan copied whole per input made every event cost the size of the plan. Keys are the plan's phase ids,
 * fixed when the execution is registered; iteration is in id order. Immutable.
 */
public final class PhaseTable extends AbstractMap<Integer, PhaseRun> {
    static final int CHUNK = 64;

    private final int[] ids; // sorted, shared by every version of one execution's table
    private final PhaseRun[][] chunks;

    private PhaseTable(int[] ids, PhaseRun[][] chunks) {
        this.ids = ids;
        this.chunks = chunks;
    }

    /** A table holding exactly these runs (a copy). */
    public static PhaseTable of(Map<Integer, PhaseRun> runs) {
        if (runs instanceof PhaseTable t) {
            return t;
        }
        TreeMap<Integer, PhaseRun> sorted = new TreeMap<>(runs);
        int[] ids = sorted.keySet().stream().mapToInt(Integer::intValue).toArray();
        PhaseRun[][] chunks = new PhaseRun[(ids.length + CHUNK - 1) / CHUNK][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = new PhaseRun[Math.min(CHUNK, ids.length - c * CHUNK)];
        }
        int i = 0;
        for (PhaseRun run : sorted.values()) {
            chunks[i / CHUNK][i % CHUNK] = run;
            i++;
        }
        return new PhaseTable(ids, chunks);
    }

    private int indexOf(Object key) {
        return key instanceof Integer id ? Arrays.binarySearch(ids, id) : -1;
    }

    @Override
    public PhaseRun get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : chunks[i / CHUNK][i % CHUNK];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return ids.length;
    }

    /** Where a phase's run sits in every version of this table (negative if not there): for {@link Editor#runAt}. */
    public int slotOf(int id) {
        return Arrays.binarySearch(ids, id);
    }

    /** Calls {@code changed} for each phase whose run is not the same object as in {@code before} (a past version). */
    public void forEachChangedSince(Map<Integer, PhaseRun> before, BiConsumer<Integer, PhaseRun> changed) {
        if (!(before instanceof PhaseTable b) || b.ids != ids) {
            forEach(changed);
            return;
        }
        for (int c = 0; c < chunks.length; c++) {
            if (chunks[c] == b.chunks[c]) {
                continue; // untouched chunk: shared by both versions
            }
            for (int k = 0; k < chunks[c].length; k++) {
                if (chunks[c][k] != b.chunks[c][k]) {
                    changed.accept(ids[c * CHUNK + k], chunks[c][k]);
                }
            }
        }
    }

    /** A mutable working copy that copies a chunk on its first change. */
    public Editor edit() {
        return new Editor(this);
    }

    @Override
    public Set<Entry<Integer, PhaseRun>> entrySet() {
        return new Entries(ids, chunks);
    }

    /** The working copy the scheduler changes while it applies one input; {@link #done()} gives the new table. */
    public static final class Editor extends AbstractMap<Integer, PhaseRun> {
        private final PhaseTable base;
        private final PhaseRun[][] chunks;
        private final boolean[] copied;

        private Editor(PhaseTable base) {
            this.base = base;
            this.chunks = base.chunks.clone();
            this.copied = new boolean[chunks.length];
        }

        @Override
        public PhaseRun get(Object key) {
            int i = base.indexOf(key);
            return i < 0 ? null : chunks[i / CHUNK][i % CHUNK];
        }

        @Override
        public boolean containsKey(Object key) {
            return base.indexOf(key) >= 0;
        }

        @Override
        public PhaseRun put(Integer key, PhaseRun run) {
            int i = base.indexOf(key);
            if (i < 0) {
                throw new IllegalArgumentException("phase " + key + " is not in this execution's plan");
            }
            int c = i / CHUNK;
            if (!copied[c]) {
                chunks[c] = chunks[c].clone();
                copied[c] = true;
            }
            PhaseRun before = chunks[c][i % CHUNK];
            chunks[c][i % CHUNK] = run;
            return before;
        }

        @Override
        public int size() {
            return base.ids.length;
        }

        /** The run in a slot ({@link PhaseTable#slotOf}; slots run 0 to size-1 in id order): no lookup, no allocation. */
        public PhaseRun runAt(int slot) {
            return chunks[slot / CHUNK][slot % CHUNK];
        }

        @Override
        public Set<Entry<Integer, PhaseRun>> entrySet() {
            return new Entries(base.ids, chunks);
        }

        public PhaseTable done() {
            for (boolean c : copied) {
                if (c) {
                    return new PhaseTable(base.ids, chunks.clone());
                }
            }
            return base;
        }
    }

    /** Entries in id order; setValue is not supported (change runs through {@link Editor#put}). */
    private static final class Entries extends AbstractSet<Entry<Integer, PhaseRun>> {
        private final int[] ids;
        private final PhaseRun[][] chunks;

        Entries(int[] ids, PhaseRun[][] chunks) {
            this.ids = ids;
            this.chunks = chunks;
        }

        @Override
        public int size() {
            return ids.length;
        }

        @Override
        public Iterator<Entry<Integer, PhaseRun>> iterator() {
            return new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < ids.length;
                }

                @Override
                public Entry<Integer, PhaseRun> next() {
                    if (i >= ids.length) {
                        throw new NoSuchElementException();
                    }
                    Entry<Integer, PhaseRun> e = new SimpleImmutableEntry<>(ids[i], chunks[i / CHUNK][i % CHUNK]);
                    i++;
                    return e;
                }
            };
        }
    }
}
