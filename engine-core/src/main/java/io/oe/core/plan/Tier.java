package io.oe.core.plan;

import java.util.List;

public record Tier(String name, TierMode mode, List<Integer> phases) {
    public Tier {
        phases = List.copyOf(phases);
    }
}
