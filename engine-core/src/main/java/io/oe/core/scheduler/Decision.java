package io.oe.core.scheduler;

import java.util.List;

/** The new state after one input, and the effects to publish. */
public record Decision(ExecutionState state, List<Effect> effects) {
    public Decision {
        effects = List.copyOf(effects);
    }
}
