package io.oe.core.plan;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How long a plan should take by its own estimates (the tasks' {@code estimate_minutes}): the longest chain of
 * prerequisites through the phases that ran and remain, each phase as long as the sum of its tasks' estimates (phases
 * that may run side by side overlap, as in the monitor's ETA). Phases left out (skipped, cancelled) count nothing but
 * still link what they stand between. The one place this rule lives: the scheduler's {@code execution_behind_estimate}
 * alert and the monitor's "Status: On track" line both read it.
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
        return phaseMillis(phase.tasks().stream().map(TaskDecl::estimateMinutes).toList());
    }

    /** The same from the tasks' {@code estimate_minutes} (null: the task gives none; not above 0: counts nothing). */
    public static long phaseMillis(Collection<Double> taskEstimateMinutes) {
        double minutes = 0;
        for (Double m : taskEstimateMinutes) {
            if (m != null && m > 0) {
                minutes += m;
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
        return OptionalLong.of(longestChainMillis(byId.keySet(), graph::prerequisitesOf,
                id -> leftOut.contains(id) ? 0 : phaseMillis(byId.get(id))));
    }

    /**
     * The rule itself, over any view of a plan (the scheduler's plan, the monitor's engine state): the longest chain of
     * prerequisites among {@code ids}, each phase counting {@code ownMillis}. A prerequisite not among {@code ids}
     * counts nothing; a cycle (refused by validation) counts nothing.
     */
    public static long longestChainMillis(Collection<Integer> ids, Function<Integer, ? extends Collection<Integer>> prerequisites,
            ToLongFunction<Integer> ownMillis) {
        Set<Integer> known = new HashSet<>(ids);
        Map<Integer, Long> finish = new HashMap<>(); // the longest chain that ends with the phase, the phase included
        Set<Integer> open = new HashSet<>(); // on the stack
        long longest = 0;
        for (int root : ids) {
            // depth first without recursion: a chain of thousands of phases must not overflow the stack
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                int id = stack.peek();
                if (finish.containsKey(id)) {
                    stack.pop();
                    continue;
                }
                open.add(id);
                boolean ready = true;
                long before = 0;
                for (int p : prerequisites.apply(id)) {
                    Long f = finish.get(p);
                    if (f == null) {
                        if (known.contains(p) && !open.contains(p)) {
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
                    long end = before + ownMillis.applyAsLong(id);
                    finish.put(id, end);
                    longest = Math.max(longest, end);
                }
            }
        }
        return longest;
    }

    /** Behind its estimate: more time since START than the estimate of the phases that ran and remain. */
    public static boolean behind(long elapsedMillis, long estimateMillis) {
        return elapsedMillis > estimateMillis;
    }
}
