package io.oe.planloader;

import io.oe.core.agent.AgentDefinition;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.plan.PlanJson;
import io.oe.events.PlanLoaded;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each agent's runner profile in the gateway's configuration, as a SHA-256 of the profile the agent would run with (its
 * name and settings) and its model: the scheduler puts it in each attempt's memo, so that a memoized resubmission runs a
 * phase again when its profile changed. The plan-loader resolves it because it reads the same trusted file the gateway
 * runs agents by, and has checked at this point that every agent can be run.
 */
final class RunnerProfiles {
    private RunnerProfiles() {
    }

    static Map<String, String> of(PlanLoaded event, RunnerConfig runners) {
        Map<String, String> out = new TreeMap<>();
        if (runners == null) {
            return out;
        }
        event.getAgents().forEach((name, text) -> {
            String agent = "@" + name;
            var definition = AgentDefinition.tryParse(text);
            String requested = definition.map(AgentDefinition::runner).orElse(null);
            try {
                String profile = runners.profileNameFor(agent, requested);
                String model = runners.modelFor(agent, requested, definition.map(AgentDefinition::model).orElse(null));
                out.put(agent, sha256(profile + "\n" + PlanJson.write(runners.profileFor(agent, requested)) + "\n" + model));
            } catch (IllegalArgumentException e) {
                // not runnable: the plan was refused before this point; nothing to fingerprint
            }
        });
        return out;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
