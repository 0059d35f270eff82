package io.oe.core.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that holds at most {@code capacity} entries and forgets the least recently used one beyond that: the memory
 * a long-running service keeps of what it saw (decoded states, attempts it accepted) stays bounded. Not thread-safe,
 * as {@link LinkedHashMap}: a caller shared by threads wraps or synchronizes it.
 */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    public LruMap(int capacity) {
        super(Math.min(capacity, 1024), 0.75f, true); // access order: a read keeps an entry
        if (capacity < 1) {
            throw new IllegalArgumentException("an LRU map holds at least one entry, not " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
