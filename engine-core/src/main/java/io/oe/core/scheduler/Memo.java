package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.InputRef;
import io.oe.core.plan.OutputDecl;
import io.oe.core.plan.Phase;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.TaskDecl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a phase's attempt was made of, as SHA-256 fingerprints: the agent's definition (its {@code .agent.md} text,
 * which names its runner profile and model), its runner profile in the gateway's configuration (as the plan-loader
 * resolved it at intake; null when unknown), the prompt the plan gives it (the phase's name, description, tasks, its
 * outputs and inputs with their contracts' text, the project's facts) and the checksum of each input it was handed;
 * {@code fingerprint} is one over them all. A completed attempt's memo also keeps the outputs it left and where they
 * come from ({@code origin}: "execution X attempt N"), so that a later submission with {@code reuse_from} can take them
 * instead of running the phase again ({@link Reuse}). Computed by the scheduler at dispatch, from the state alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Memo(String fingerprint, String agentDefinition, String runnerProfile, String prompt,
        Map<String, String> inputs, List<Artifact> outputs, String origin) {
    /** The monitor writes this key into the project plan as a run goes: progress, not a fact an agent works from. */
    private static final String PROGRESS_KEY = "orchestration_progress";

    public Memo {
        inputs = inputs == null ? Map.of() : new TreeMap<>(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** The memo of a dispatch of {@code phase} by {@code agent} with these inputs (outputs and origin not yet known). */
    public static Memo of(Phase phase, String agent, ExecutionState state, List<Artifact> inputs) {
        String definition = sha256(state.agents().getOrDefault(agent.replaceFirst("^@", ""), ""));
        String prompt = sha256(PlanJson.write(prompt(phase, agent, state)));
        String runner = state.runnerProfiles().get(agent);
        Map<String, String> in = new TreeMap<>();
        inputs.forEach(a -> in.put(a.name(), a.sha256()));
        StringBuilder all = new StringBuilder(definition).append('\n').append(runner).append('\n').append(prompt);
        in.forEach((name, sha) -> all.append('\n').append(name).append(' ').append(sha));
        return new Memo(sha256(all.toString()), definition, runner, prompt, in, List.of(), null);
    }

    /** This attempt's memo once it completed: the outputs it left, and where they come from. */
    public Memo completed(List<Artifact> outs, String from) {
        return new Memo(fingerprint, agentDefinition, runnerProfile, prompt, inputs, outs, from);
    }

    /**
     * Why a phase whose memo is this one cannot take the outputs of {@code earlier}'s attempt, in words ("agent
     * definition changed", "input design.json changed"); empty when nothing changed.
     */
    public List<String> changesSince(Memo earlier) {
        List<String> out = new ArrayList<>();
        if (!agentDefinition.equals(earlier.agentDefinition())) {
            out.add("agent definition changed");
        }
        if (!Objects.equals(runnerProfile, earlier.runnerProfile())) {
            out.add("runner profile changed");
        }
        if (!prompt.equals(earlier.prompt())) {
            out.add("prompt changed (the phase's name, description, tasks, contracts or the project's facts)");
        }
        inputs.forEach((name, sha) -> {
            String before = earlier.inputs().get(name);
            if (before == null) {
                out.add("input " + name + " is new");
            } else if (!before.equals(sha)) {
                out.add("input " + name + " changed");
            }
        });
        earlier.inputs().keySet().stream().filter(name -> !inputs.containsKey(name))
                .forEach(name -> out.add("input " + name + " is gone"));
        return out;
    }

    /** What the plan tells the agent, in a fixed order: a change to any of it may change what the agent writes. */
    private static ObjectNode prompt(Phase phase, String agent, ExecutionState state) {
        ObjectNode o = PlanJson.MAPPER.createObjectNode().put("agent", agent).put("name", phase.name())
                .put("description", phase.description());
        ArrayNode tasks = o.putArray("tasks");
        for (TaskDecl t : phase.tasks()) {
            tasks.addArray().add(t.id()).add(t.title());
        }
        ArrayNode outputs = o.putArray("outputs");
        for (OutputDecl out : phase.outputs()) {
            outputs.addArray().add(out.artifact()).add(contract(state, out.contract()));
        }
        ArrayNode inputs = o.putArray("inputs");
        for (InputRef in : phase.inputs()) {
            inputs.addArray().add(in.deliveredName()).add(in.from()).add(contract(state, in.contract()));
        }
        JsonNode facts = state.projectFacts() == null ? PlanJson.MAPPER.createObjectNode() : state.projectFacts().deepCopy();
        if (facts.isObject()) {
            ((ObjectNode) facts).remove(PROGRESS_KEY);
        }
        o.set("facts", facts);
        return o;
    }

    /** A contract's text by its path; null for none (an immutable map refuses a null key). */
    private static String contract(ExecutionState state, String path) {
        return path == null ? null : state.contracts().get(path);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
