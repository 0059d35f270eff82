package io.oe.core.plan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How long a plan should take by its own estimates (the tasks' {@code estimate_minutes}): the longest chain of
 * prerequisites through the phases that ran and remain, each phase as long as the sum of its tasks' estimates (phases
 * that may run side by side overlap, as in the monitor's ETA). Phases left out (skipped, cancelled) count nothing but
 * still link what they stand between. The one place this rule lives: the scheduler's {@code execution_behind_estimate}
 * alert reads it, and so should any "on track" line.
 */
public final class Estimate {
    private Estimate() {
    }

    /** The plan gives estimates: at least one task has {@code estimate_minutes}. */
    public static boolean hasEstimates(Plan plan) {
        return plan.phases().stream().anyMatch(p -> p.tasks().stream().anyMatch(t -> t.estimateMinutes() != null));
    }

    /** A phase's own estimate: the sum of its tasks', in milliseconds. */
    public static long phaseMillis(Phase phase) {
        double minutes = 0;
        for (TaskDecl t : phase.tasks()) {
            if (t.estimateMinutes() != null && t.estimateMinutes() > 0) {
                minutes += t.estimateMinutes();
            }
        }
        return Math.round(minutes * 60_000);
    }

    /**
     * The estimated duration of an execution of {@code plan}, without the phases in {@code leftOut}; empty when the plan
     * gives no estimates.
     */
    public static OptionalLong millis(Plan plan, PlanGraph graph, Set<Integer> leftOut) {
        if (!hasEstimates(plan)) {
            return OptionalLong.empty();
        }
        Map<Integer, Phase> byId = plan.phasesById();
        Map<Integer, Long> finish = new HashMap<>(); // the longest chain that ends with the phase, the phase included
        Set<Integer> open = new java.util.HashSet<>(); // on the stack: a cycle (refused by validation) counts nothing
        long longest = 0;
        for (Phase root : plan.phases()) {
            // depth first without recursion: a chain of thousands of phases must not overflow the stack
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(root.id());
            while (!stack.isEmpty()) {
                int id = stack.peek();
                if (finish.containsKey(id)) {
                    stack.pop();
                    continue;
                }
                open.add(id);
                boolean ready = true;
                long before = 0;
                for (int p : graph.prerequisitesOf(id)) {
                    Long f = finish.get(p);
                    if (f == null) {
                        if (byId.containsKey(p) && !open.contains(p)) {
                            stack.push(p);
                            ready = false;
                        }
                    } else {
                        before = Math.max(before, f);
                    }
                }
                if (ready) {
                    stack.pop();
                    open.remove(id);
                    Phase phase = byId.get(id);
                    long own = phase == null || leftOut.contains(id) ? 0 : phaseMillis(phase);
                    finish.put(id, before + own);
                    longest = Math.max(longest, before + own);
                }
            }
        }
        return OptionalLong.of(longest);
    }
}
