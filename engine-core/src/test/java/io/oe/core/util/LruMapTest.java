package io.oe.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LruMapTest {
    @Test
    void beyondItsCapacityTheLeastRecentlyUsedEntryIsForgotten() {
        LruMap<String, Integer> map = new LruMap<>(2);
        map.put("a", 1);
        map.put("b", 2);
        map.get("a"); // used: "b" is now the eldest
        map.put("c", 3);
        assertThat(map).containsOnlyKeys("a", "c");
    }

    @Test
    void withinItsCapacityNothingIsForgotten() {
        LruMap<Integer, Integer> map = new LruMap<>(100);
        for (int i = 0; i < 100; i++) {
            map.put(i, i);
        }
        assertThat(map).hasSize(100);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new LruMap<>(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one entry, not 0");
    }
}
