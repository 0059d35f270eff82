package io.oe.core.scheduler;

import io.oe.core.plan.PlanGraph;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which phases a RERUN sends back to pending: the phase, and with its dependants every phase that needs it directly,
 * through its inputs or through the tier order ({@link PlanGraph#downstreamOf}). The scheduler applies it and the
 * plan-loader checks it before publishing, so both read the same set.
 */
public final class Rerun {
    private Rerun() {
    }

    /** In id order; just {@code phaseId} when the graph does not know it (the guard then says there is no such phase). */
    public static Set<Integer> phases(PlanGraph graph, int phaseId, boolean withDependants) {
        Set<Integer> out = new TreeSet<>();
        out.add(phaseId);
        if (withDependants) {
            out.addAll(graph.downstreamOf(phaseId));
        }
        return Collections.unmodifiableSet(out);
    }
}
