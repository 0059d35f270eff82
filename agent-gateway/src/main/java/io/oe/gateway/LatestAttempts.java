package io.oe.gateway;

import io.oe.core.util.LruMap;
import io.oe.events.PhaseReady;
import java.util.Map;

/**
 * The latest attempt of each phase this gateway instance has seen a phase-ready of. The scheduler dispatches attempt
 * N + 1 only once it has given attempt N up, so a phase-ready of an earlier attempt is stale and must not run: it
 * comes back when a gateway instance dies after starting an attempt but before committing past its record, and the
 * instance that takes the partition over reads it together with the retry the scheduler dispatched meanwhile (run
 * both, and a phase completes twice). Records of one phase share a partition, so the later attempt comes after.
 */
final class LatestAttempts {
    private static final int KEPT = 100_000;

    private final Map<String, Integer> latest = new LruMap<>(KEPT);

    synchronized void saw(PhaseReady r) {
        latest.merge(key(r), r.getAttempt(), Math::max);
    }

    /**
     * The scheduler gave this attempt up before it ran here (it stopped it: a budget used up while it was ready): its
     * phase-ready, read later, must not run. A retry is a later attempt, and runs.
     */
    synchronized void givenUp(String executionId, int phaseId, int attempt) {
        latest.merge(executionId + "/" + phaseId, attempt + 1, Math::max);
    }

    /** True when a later attempt of the same phase has been seen, or the scheduler gave this one up. */
    synchronized boolean superseded(PhaseReady r) {
        Integer last = latest.get(key(r));
        return last != null && last > r.getAttempt();
    }

    private static String key(PhaseReady r) {
        return r.getExecutionId() + "/" + r.getPhaseId();
    }
}
