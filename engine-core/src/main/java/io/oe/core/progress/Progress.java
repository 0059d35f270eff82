package io.oe.core.progress;

import java.util.Map;

/**
 * What readers see of an execution's progress beside its statuses, from one view: why each waiting phase waits, and
 * when the execution should end. The monitor renders it into the state it serves (docs/architecture.md, "What readers
 * see").
 */
public record Progress(Map<Integer, WaitingReason> waiting, ExpectedEnd eta) {
    public Progress {
        waiting = Map.copyOf(waiting);
    }

    public static Progress of(ExecutionView view) {
        Map<Integer, WaitingReason> waiting = WaitingReason.all(view);
        return new Progress(waiting, ExpectedEnd.of(view, waiting));
    }
}
