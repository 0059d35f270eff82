package io.oe.core.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Concurrency caps across every execution, from the trusted runner configuration ({@code "limits"}): how many attempts
 * of an agent ({@code agents}, e.g. CLI seats) and of a runner profile ({@code profiles}, e.g. a model quota) may run at
 * once, whichever execution they belong to. Each cap is a named limit, {@code agent:<name>} or {@code profile:<name>}
 * ({@link #agent}, {@link #profile}); the seat keeper grants seats of each limit up to its cap (docs/architecture.md,
 * "Limits across executions").
 */
public record ConcurrencyLimits(Map<String, Integer> agents, Map<String, Integer> profiles) {
    /** The largest cap accepted: more is a typo, not a quota (and the keeper keeps every holder of a limit in memory). */
    public static final int MAX_CAP = 10_000;
    public static final ConcurrencyLimits NONE = new ConcurrencyLimits(Map.of(), Map.of());

    public ConcurrencyLimits {
        agents = agents == null ? Map.of() : new TreeMap<>(agents);
        profiles = profiles == null ? Map.of() : new TreeMap<>(profiles);
    }

    public static String agent(String name) {
        return "agent:" + name;
    }

    public static String profile(String name) {
        return "profile:" + name;
    }

    public boolean isEmpty() {
        return agents.isEmpty() && profiles.isEmpty();
    }

    /**
     * The limits an attempt of {@code agent}, run by profile {@code profile}, takes a seat of, in the one order every
     * scheduler asks for them (the agent's before the profile's): acquiring in a fixed order is what keeps two phases
     * that need the same two limits from each holding one and waiting for the other.
     */
    public List<String> limitsOf(String agent, String profile) {
        List<String> out = new ArrayList<>(2);
        if (agent != null && agents.containsKey(agent)) {
            out.add(agent(agent));
        }
        if (profile != null && profiles.containsKey(profile)) {
            out.add(profile(profile));
        }
        return out;
    }

    /** The cap of a named limit; empty for a name no cap is set for (its seats are granted at once). */
    public Optional<Integer> capOf(String limit) {
        if (limit.startsWith("agent:")) {
            return Optional.ofNullable(agents.get(limit.substring("agent:".length())));
        }
        if (limit.startsWith("profile:")) {
            return Optional.ofNullable(profiles.get(limit.substring("profile:".length())));
        }
        return Optional.empty();
    }

    /**
     * What is wrong, each problem with its place ({@code limits.agents['@dev']}): a cap that is not a whole number
     * from 1 to {@link #MAX_CAP}, an agent the configuration's {@code agents} mapping does not name, a profile it does
     * not define.
     */
    public List<String> problems(Set<String> mappedAgents, Set<String> definedProfiles) {
        List<String> out = new ArrayList<>();
        agents.forEach((name, cap) -> {
            out.addAll(capProblems("limits.agents['" + name + "']", cap));
            if (!mappedAgents.contains(name) || "*".equals(name)) {
                out.add("limits.agents['" + name + "']: unknown agent (the agents mapping names "
                        + new TreeSet<>(mappedAgents.stream().filter(a -> !"*".equals(a)).toList())
                        + "; map the agent to its profile there to cap it)");
            }
        });
        profiles.forEach((name, cap) -> {
            out.addAll(capProblems("limits.profiles['" + name + "']", cap));
            if (!definedProfiles.contains(name)) {
                out.add("limits.profiles['" + name + "']: unknown runner profile (defined: " + new TreeSet<>(definedProfiles)
                        + ")");
            }
        });
        return out;
    }

    private static List<String> capProblems(String place, Integer cap) {
        if (cap == null) {
            return List.of(place + ": no cap given (a whole number from 1 to " + MAX_CAP + ")");
        }
        if (cap < 1 || cap > MAX_CAP) {
            return List.of(place + ": cap " + cap + " is out of range (a whole number from 1 to " + MAX_CAP
                    + "; to stop an agent, remove it from the plan)");
        }
        return List.of();
    }
}
