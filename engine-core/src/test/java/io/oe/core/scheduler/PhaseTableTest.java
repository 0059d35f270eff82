package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PhaseTableTest {
    private static Map<Integer, PhaseRun> pending(int n) {
        Map<Integer, PhaseRun> runs = new LinkedHashMap<>();
        for (int id = n; id >= 1; id--) { // any order in, id order out
            runs.put(id * 10, PhaseRun.pending());
        }
        return runs;
    }

    @Test
    void holdsTheRunsItWasGivenInIdOrder() {
        PhaseTable t = PhaseTable.of(pending(200));
        assertThat(t).hasSize(200).isEqualTo(new TreeMap<>(pending(200)));
        assertThat(new java.util.ArrayList<>(t.keySet())).isSorted().startsWith(10, 20, 30);
        assertThat(t.get(2000)).isNotNull();
        assertThat(t.get(15)).isNull();
        assertThat(t.containsKey(15)).isFalse();
        assertThat(PhaseTable.of(t)).isSameAs(t);
        assertThatThrownBy(() -> t.put(10, PhaseRun.pending())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEditCopiesOnlyTheChunkItChangedAndSaysWhatChanged() {
        PhaseTable before = PhaseTable.of(pending(1_000));
        PhaseTable.Editor edit = before.edit();
        PhaseRun ready = PhaseRun.pending().dispatched(5);
        assertThat(edit.put(700, ready)).isSameAs(before.get(700));
        assertThat(edit.get(700)).isSameAs(ready);
        assertThat(before.get(700).status()).isEqualTo(PhaseStatus.PENDING); // the old version is untouched
        PhaseTable after = edit.done();

        assertThat(after.get(700)).isSameAs(ready);
        assertThat(after).hasSize(1_000);
        Map<Integer, PhaseRun> changed = new TreeMap<>();
        after.forEachChangedSince(before, changed::put);
        assertThat(changed).containsOnlyKeys(700);
        before.forEachChangedSince(null, changed::put);
        assertThat(changed).hasSize(1_000); // no past version: everything counts as changed
        assertThat(before.edit().done()).as("an edit that changed nothing").isSameAs(before);
        assertThatThrownBy(() -> before.edit().put(15, ready)).hasMessageContaining("phase 15 is not in this execution's plan");
    }
}
