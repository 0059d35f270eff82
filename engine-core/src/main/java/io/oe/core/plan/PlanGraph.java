package io.oe.core.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The dependency graph a plan implies. Edges of a phase:
 * <ul>
 * <li>its explicit {@code depends_on}, if it has one; otherwise what its tier's mode implies: the first phase of a
 * tier (every phase of a parallel or conditional tier) waits for every phase of the previous tier (the sync point);
 * in a sequential tier each later phase waits for the one before it;</li>
 * <li>plus, always, the phases its inputs come from: an input cannot be read before it exists.</li>
 * </ul>
 * References to phases that do not exist are left out here; {@link PlanValidator} reports them.
 */
public final class PlanGraph {
    private final Map<Integer, Set<Integer>> prerequisites;
    private final Map<Integer, Set<Integer>> ancestors = new ConcurrentHashMap<>();
    private volatile Boolean acyclic;
    private final Map<Integer, Set<Integer>> dependents;

    private PlanGraph(Map<Integer, Set<Integer>> prerequisites) {
        this.prerequisites = prerequisites;
        Map<Integer, Set<Integer>> reverse = new LinkedHashMap<>();
        prerequisites.keySet().forEach(id -> reverse.put(id, new TreeSet<>()));
        prerequisites.forEach((id, pres) -> pres.forEach(p -> reverse.computeIfAbsent(p, k -> new TreeSet<>()).add(id)));
        this.dependents = reverse;
    }

    /**
     * The graph of prerequisites derived before (an engine state keeps each phase's, from {@link #of(Plan)}): what a
     * reader of the state needs, without the plan.
     */
    public static PlanGraph ofPrerequisites(Map<Integer, ? extends Collection<Integer>> prerequisites) {
        Map<Integer, Set<Integer>> edges = new LinkedHashMap<>();
        prerequisites.forEach((id, pres) -> {
            Set<Integer> known = new TreeSet<>(pres);
            known.retainAll(prerequisites.keySet());
            known.remove(id);
            edges.put(id, Collections.unmodifiableSet(known));
        });
        return new PlanGraph(edges);
    }

    public static PlanGraph of(Plan plan) {
        Map<Integer, Phase> byId = plan.phasesById();
        Map<Integer, Set<Integer>> implied = impliedByTiers(plan, byId);
        Map<Integer, Set<Integer>> edges = new LinkedHashMap<>();
        for (Phase phase : byId.values()) {
            Set<Integer> pres = new TreeSet<>();
            if (phase.dependsOn() != null) {
                phase.dependsOn().stream().filter(byId::containsKey).forEach(pres::add);
            } else {
                pres.addAll(implied.getOrDefault(phase.id(), Set.of()));
            }
            phase.inputs().stream().map(InputRef::from).filter(byId::containsKey).forEach(pres::add);
            pres.remove(phase.id());
            edges.put(phase.id(), Collections.unmodifiableSet(pres));
        }
        return new PlanGraph(edges);
    }

    private static Map<Integer, Set<Integer>> impliedByTiers(Plan plan, Map<Integer, Phase> byId) {
        Map<Integer, Set<Integer>> implied = new HashMap<>();
        List<Integer> previousTier = List.of();
        for (Tier tier : plan.tiers()) {
            List<Integer> members = tier.phases().stream().filter(byId::containsKey).toList();
            for (int i = 0; i < members.size(); i++) {
                Set<Integer> pres = new TreeSet<>();
                if (tier.mode() == TierMode.SEQUENTIAL && i > 0) {
                    pres.add(members.get(i - 1));
                } else {
                    pres.addAll(previousTier);
                }
                implied.put(members.get(i), pres);
            }
            if (!members.isEmpty()) {
                previousTier = members;
            }
        }
        return implied;
    }

    public Set<Integer> prerequisitesOf(int phaseId) {
        return prerequisites.getOrDefault(phaseId, Set.of());
    }

    /** Every phase {@code phaseId} waits for, directly or through others. */
    public Set<Integer> ancestorsOf(int phaseId) {
        Set<Integer> known = ancestors.get(phaseId);
        if (known != null) {
            return known;
        }
        Set<Integer> all = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(prerequisitesOf(phaseId));
        while (!todo.isEmpty()) {
            int p = todo.pop();
            if (all.add(p)) {
                todo.addAll(prerequisitesOf(p));
            }
        }
        Set<Integer> frozen = Collections.unmodifiableSet(all);
        ancestors.put(phaseId, frozen);
        return frozen;
    }

    /**
     * The prerequisites another prerequisite does not already imply: what a drawing needs (a tier after a sequential
     * tier waits for all of it, but only its last phase's edge says something). On a cyclic graph, all of them.
     */
    public Set<Integer> directPrerequisitesOf(int phaseId) {
        Set<Integer> pres = prerequisitesOf(phaseId);
        if (acyclic == null) {
            acyclic = findCycle().isEmpty();
        }
        if (!acyclic) {
            return pres;
        }
        if (pres.size() < 2) {
            return pres;
        }
        // a prerequisite is implied when another one needs it: one pass over their ancestors, not a pair-wise search
        // (a phase after a 10,000-phase tier has 10,000 prerequisites)
        Set<Integer> implied = new HashSet<>();
        pres.forEach(other -> implied.addAll(ancestorsOf(other)));
        Set<Integer> direct = new TreeSet<>(pres);
        direct.removeAll(implied);
        return direct;
    }

    /**
     * Where branches join: phases that wait for two or more phases that may run side by side (none of which needs
     * another). Phases that wait for the same branches are one sync point; in the order of their first phase. The seed's
     * plan has one: phase 15 waits for the whole parallel tier (12, 13, 14); phase 16 waits for 15 alone, since 15
     * already needs the rest of what 16 reads.
     */
    public List<SyncPoint> syncPoints() {
        Map<Set<Integer>, List<Integer>> byBranches = new LinkedHashMap<>();
        for (int id : new TreeSet<>(prerequisites.keySet())) {
            Set<Integer> direct = directPrerequisitesOf(id);
            if (direct.size() >= 2) {
                byBranches.computeIfAbsent(direct, k -> new ArrayList<>()).add(id);
            }
        }
        List<SyncPoint> out = new ArrayList<>();
        byBranches.forEach((branches, phases) -> out.add(new SyncPoint(List.copyOf(phases), List.copyOf(branches))));
        return out;
    }

    /** {@code phases} start only once every one of {@code waitsFor} has ended (ids in ascending order). */
    public record SyncPoint(List<Integer> phases, List<Integer> waitsFor) {
    }

    public Set<Integer> dependentsOf(int phaseId) {
        return dependents.getOrDefault(phaseId, Set.of());
    }

    public Set<Integer> phaseIds() {
        return prerequisites.keySet();
    }

    /**
     * The plan's dependency cycle in words, if it has one: "phase 2 (Docs) → phase 3 (Review) → phase 2 (Docs) (each
     * needs the next)". What {@code oe init} rejects and {@code oe graph} warns of.
     */
    public static Optional<String> cycleOf(Plan plan) {
        Map<Integer, Phase> byId = plan.phasesById();
        return of(plan).findCycle().map(cycle -> cycle.stream().map(id -> byId.get(id).label())
                .collect(Collectors.joining(" → ")) + " (each needs the next)");
    }

    /** A cycle, as the phases on it in order (first repeated at the end), if the graph has one. */
    public Optional<List<Integer>> findCycle() {
        Map<Integer, Integer> color = new HashMap<>(); // 0 white, 1 on stack, 2 done
        for (Integer start : prerequisites.keySet()) {
            if (color.getOrDefault(start, 0) != 0) {
                continue;
            }
            // Iterative DFS so that 100,000-phase chains do not overflow the stack.
            Deque<Integer> path = new ArrayDeque<>();
            Deque<Iterator<Integer>> its = new ArrayDeque<>();
            path.push(start);
            its.push(prerequisitesOf(start).iterator());
            color.put(start, 1);
            while (!path.isEmpty()) {
                var it = its.peek();
                if (it.hasNext()) {
                    Integer next = it.next();
                    int c = color.getOrDefault(next, 0);
                    if (c == 1) {
                        List<Integer> onStack = new ArrayList<>(path);
                        Collections.reverse(onStack); // start ... current
                        List<Integer> cycle = new ArrayList<>(onStack.subList(onStack.indexOf(next), onStack.size()));
                        cycle.add(next);
                        Collections.reverse(cycle); // follow "is needed by" order: prerequisite first
                        return Optional.of(cycle);
                    }
                    if (c == 0) {
                        color.put(next, 1);
                        path.push(next);
                        its.push(prerequisitesOf(next).iterator());
                    }
                } else {
                    color.put(path.pop(), 2);
                    its.pop();
                }
            }
        }
        return Optional.empty();
    }

    /** Every phase that (transitively) needs {@code phaseId}. */
    public Set<Integer> downstreamOf(int phaseId) {
        Set<Integer> seen = new LinkedHashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(dependentsOf(phaseId));
        while (!todo.isEmpty()) {
            Integer next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(dependentsOf(next));
            }
        }
        return seen;
    }
}
