package io.oe.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.agent.AgentDefinition;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.artifact.ArtifactPathException;
import io.oe.core.artifact.Paths2;
import io.oe.core.condition.ConditionEvaluator;
import io.oe.core.contract.ContractSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a whole bundle before anything is published: the plan, project plan and config against their JSON
 * Schemas, then the plan's meaning (ids, references, cycles, agents and agent alternatives, contracts, conditions,
 * inputs). Returns every violation found, each with its place; an empty list means the bundle may run.
 */
public final class PlanValidator {
    public static final String PLAN_FILE = "orchestration-plan.json";
    public static final String PROJECT_PLAN_FILE = "ProjectPlan/project-plan.json";
    public static final String CONFIG_FILE = "engine.config.json";


    private final JsonSchemaCheck planSchema;
    private final JsonSchemaCheck projectPlanSchema;
    private final JsonSchemaCheck configSchema;
    private final ConditionEvaluator conditions = new ConditionEvaluator();
    private final RunnerConfig runners;

    /** @param schemaTexts the engine's JSON Schemas (from the schemas module) by file name */
    public PlanValidator(Map<String, String> schemaTexts) {
        this(schemaTexts, null);
    }

    /**
     * @param runners the trusted runner configuration the agent-gateway runs agents by: each agent's runner profile and
     *                model must be one it can run; null when unknown (then only the gateway says so, at run time)
     */
    public PlanValidator(Map<String, String> schemaTexts, RunnerConfig runners) {
        this.planSchema = new JsonSchemaCheck(schemaTexts.get("orchestration-plan.schema.json"), PLAN_FILE);
        this.projectPlanSchema = new JsonSchemaCheck(schemaTexts.get("project-plan.schema.json"), PROJECT_PLAN_FILE);
        this.configSchema = new JsonSchemaCheck(schemaTexts.get("engine-config.schema.json"), CONFIG_FILE);
        this.runners = runners;
    }

    public List<Violation> validate(PlanBundle bundle) {
        List<Violation> out = new ArrayList<>();
        if (bundle.plan() == null || !bundle.plan().isObject()) {
            out.add(new Violation(PLAN_FILE, "missing or not a JSON object"));
        } else {
            out.addAll(planSchema.check(bundle.plan()));
        }
        if (bundle.projectPlan() == null || !bundle.projectPlan().isObject()) {
            out.add(new Violation(PROJECT_PLAN_FILE, "missing or not a JSON object"));
        } else {
            out.addAll(projectPlanSchema.check(bundle.projectPlan()));
            out.addAll(ProjectSpecification.problems(bundle.projectPlan()));
        }
        if (bundle.config() != null && !bundle.config().isNull()) {
            out.addAll(validateConfig(bundle.config()));
        }
        if (!out.isEmpty()) {
            return out; // the plan's meaning is only checked once its shape is right
        }
        Plan plan = PlanJson.plan(bundle.plan());
        checkIds(plan, out);
        checkTiers(plan, out);
        checkDependsOn(plan, out);
        checkInputs(plan, out);
        boolean graphIsWellFormed = out.isEmpty(); // a cycle is only meaningful over valid references
        if (graphIsWellFormed) {
            TransformCheck.check(plan, out);
        }
        checkAgents(plan, bundle.agents(), out);
        checkContracts(plan, bundle.contracts(), out);
        checkConditions(plan, out);
        if (graphIsWellFormed) {
            PlanGraph.cycleOf(plan).ifPresent(cycle -> out.add(new Violation(PLAN_FILE + " /phases", "dependency cycle: " + cycle)));
        }
        return out;
    }

    /** Checks an engine.config.json on its own (as given with a START command). */
    public List<Violation> validateConfig(JsonNode config) {
        if (!config.isObject()) {
            return List.of(new Violation(CONFIG_FILE, "not a JSON object"));
        }
        List<Violation> out = new ArrayList<>(configSchema.check(config));
        sayWhichAlertKindsAreUnknown(config, out);
        if (out.isEmpty()) {
            checkConfigPaths(config, out);
        }
        if (out.isEmpty() && runners != null && config.hasNonNull("budget")) {
            Budget budget = PlanJson.config(config).budget();
            Budget.ceilingProblems(budget, runners.budgetCeiling(), "budget").forEach(p -> out.add(new Violation(CONFIG_FILE, p)));
        }
        return out;
    }

    /**
     * The configuration as it will run: each budget measure it leaves out taken from the runner configuration's
     * {@code budget_ceiling} (a plan without a budget gets the ceiling; one above it was refused by
     * {@link #validateConfig}).
     */
    public EngineConfig bounded(EngineConfig config) {
        Budget ceiling = runners == null ? null : runners.budgetCeiling();
        return ceiling == null ? config : config.withBudget(Budget.under(config.budget(), ceiling));
    }

    /**
     * The schema refuses a kind it does not list under {@code alerts} in its own words; this says it in the engine's, at
     * the key, with the kinds there are ({@link AlertKind}, which the schema lists too).
     */
    private static void sayWhichAlertKindsAreUnknown(JsonNode config, List<Violation> out) {
        JsonNode alerts = config.path("alerts");
        if (!alerts.isObject()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        alerts.fieldNames().forEachRemaining(k -> {
            if (AlertKind.of(k).isEmpty()) {
                unknown.add(k);
            }
        });
        if (unknown.isEmpty()) {
            return;
        }
        out.removeIf(v -> v.where().equals(CONFIG_FILE + " /alerts")
                && unknown.stream().anyMatch(k -> v.message().contains("'" + k + "'")));
        unknown.forEach(k -> out.add(new Violation(CONFIG_FILE + " /alerts/" + k, "unknown alert kind '" + k
                + "'; the kinds are " + String.join(", ", AlertKind.names()))));
    }

    /** The files the engine reads and writes for a project stay inside it: each path key is relative, without "..". */
    private static void checkConfigPaths(JsonNode config, List<Violation> out) {
        for (String key : EngineConfig.PATH_KEYS) {
            if (config.hasNonNull(key)) {
                try {
                    Paths2.components(config.get(key).asText(), "the project directory");
                } catch (ArtifactPathException e) {
                    out.add(new Violation(CONFIG_FILE + " /" + key, e.getMessage()));
                }
            }
        }
    }

    private void checkIds(Plan plan, List<Violation> out) {
        Map<Integer, Integer> firstIndex = new HashMap<>();
        Map<String, String> taskOwner = new HashMap<>();
        for (int i = 0; i < plan.phases().size(); i++) {
            Phase p = plan.phases().get(i);
            Integer earlier = firstIndex.putIfAbsent(p.id(), i);
            if (earlier != null) {
                out.add(new Violation(PLAN_FILE + " /phases/" + i + "/id",
                        "duplicate phase id " + p.id() + " (also /phases/" + earlier + ")"));
            }
            for (TaskDecl t : p.tasks()) {
                String owner = taskOwner.putIfAbsent(t.id(), p.label());
                if (owner != null) {
                    out.add(new Violation(where(p), "task id " + t.id() + " is also used by " + owner));
                }
            }
            Map<String, Long> outputs = p.outputs().stream()
                    .collect(Collectors.groupingBy(OutputDecl::artifact, Collectors.counting()));
            outputs.forEach((name, n) -> {
                if (n > 1) {
                    out.add(new Violation(where(p), "output " + name + " is declared " + n + " times"));
                }
            });
        }
    }

    private void checkTiers(Plan plan, List<Violation> out) {
        Map<Integer, Phase> byId = plan.phasesById();
        Map<Integer, String> tierOf = new HashMap<>();
        for (int t = 0; t < plan.tiers().size(); t++) {
            Tier tier = plan.tiers().get(t);
            for (Integer id : tier.phases()) {
                if (!byId.containsKey(id)) {
                    out.add(new Violation(PLAN_FILE + " /tiers/" + t,
                            "tier '" + tier.name() + "' lists phase " + id + ", which the plan does not define"));
                }
                String other = tierOf.putIfAbsent(id, tier.name());
                if (other != null) {
                    out.add(new Violation(PLAN_FILE + " /tiers/" + t,
                            "phase " + id + " is in tier '" + other + "' and in tier '" + tier.name() + "'"));
                }
            }
        }
        for (Phase p : plan.phases()) {
            if (!tierOf.containsKey(p.id())) {
                out.add(new Violation(where(p), "is in no tier"));
            }
        }
    }

    private void checkDependsOn(Plan plan, List<Violation> out) {
        Map<Integer, Phase> byId = plan.phasesById();
        for (Phase p : plan.phases()) {
            if (p.dependsOn() == null) {
                continue;
            }
            for (Integer d : p.dependsOn()) {
                if (d == p.id()) {
                    out.add(new Violation(where(p), "depends on itself"));
                } else if (!byId.containsKey(d)) {
                    out.add(new Violation(where(p), "depends_on names phase " + d + ", which the plan does not define"));
                }
            }
        }
    }

    private void checkAgents(Plan plan, Map<String, String> agents, List<Violation> out) {
        Map<String, Boolean> checked = new HashMap<>();
        for (Phase p : plan.phases()) {
            if (p.agent() != null && p.alternatives() != null) {
                out.add(new Violation(where(p), "names both an agent and alternatives: give `agent` (one agent runs the"
                        + " phase) or `alternatives` (the first whose condition holds runs it), not both"));
            } else if (p.agent() == null && !p.hasAlternatives()) {
                out.add(new Violation(where(p), "names no agent: give `agent`, or `alternatives` with a condition each"));
            }
            if (p.agent() != null) {
                checkAgent(where(p), p.agent(), agents, checked, out);
            }
            if (p.alternatives() != null) {
                for (int i = 0; i < p.alternatives().size(); i++) {
                    checkAgent(where(p, i), p.alternatives().get(i).agent(), agents, checked, out);
                }
            }
        }
    }

    /** The agent's definition is there, its front matter parses, and the gateway has a runner and a model for it. */
    private void checkAgent(String where, String agent, Map<String, String> agents, Map<String, Boolean> checked,
            List<Violation> out) {
        String name = Phase.agentName(agent);
        String file = ".github/agents/" + name + ".agent.md";
        String text = agents.get(name);
        if (text == null) {
            out.add(new Violation(where, "agent " + agent + " has no definition: " + file + " not found"));
        } else if (checked.putIfAbsent(name, true) == null) {
            frontMatterError(text).or(() -> runnerError(agent, text)).ifPresent(e -> out.add(new Violation(file, e)));
        }
    }

    /** The runner profile that would run the agent, and the model it would pass: refused as the gateway would refuse. */
    private Optional<String> runnerError(String agent, String definition) {
        if (runners == null) {
            return Optional.empty();
        }
        try {
            AgentDefinition def = AgentDefinition.parse(definition);
            runners.modelFor(agent, def.runner(), def.model());
            return Optional.empty();
        } catch (AgentDefinition.InvalidDefinition | IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The YAML front matter of an agent definition must parse, and a {@code runner} it asks for must be a plain profile
     * name; the error names the line in the file.
     */
    static Optional<String> frontMatterError(String text) {
        try {
            AgentDefinition def = AgentDefinition.parse(text);
            if (def.runner() != null && !def.runner().matches("[A-Za-z0-9_.-]{1,64}")) {
                return Optional.of("runner '" + def.runner() + "' must be the name of a runner profile ([A-Za-z0-9_.-], at most 64)");
            }
            return Optional.empty();
        } catch (AgentDefinition.InvalidDefinition e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The contracts of outputs, and of inputs a phase wants converted ({@code as}). */
    private void checkContracts(Plan plan, Map<String, String> contractTexts, List<Violation> out) {
        Map<String, Boolean> checked = new HashMap<>();
        for (Phase p : plan.phases()) {
            for (OutputDecl o : p.outputs()) {
                checkContract(p, o.contract(), "output " + o.artifact(), contractTexts, checked, out);
            }
            for (InputRef in : p.inputs()) {
                checkContract(p, in.contract(), "input " + in.artifact(), contractTexts, checked, out);
            }
        }
    }

    private static void checkContract(Phase p, String path, String of, Map<String, String> contractTexts,
            Map<String, Boolean> checked, List<Violation> out) {
        if (path == null) {
            return;
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0") || List.of(path.split("/")).contains("..")) {
            out.add(new Violation(where(p), "contract path '" + path + "' of " + of
                    + " must be relative to the project directory and stay inside it"));
            return;
        }
        String text = contractTexts.get(path);
        if (text == null) {
            out.add(new Violation(where(p), "contract " + path + " of " + of + " not found"));
        } else if (checked.putIfAbsent(path, true) == null) {
            ContractSchemas.problems(path, text, contractTexts).forEach(problem -> out.add(new Violation(path, problem)));
        }
    }

    private void checkConditions(Plan plan, List<Violation> out) {
        for (Phase p : plan.phases()) {
            if (p.condition() != null) {
                checkCondition(where(p), p.condition(), out);
            }
            if (p.alternatives() == null) {
                continue;
            }
            for (int i = 0; i < p.alternatives().size(); i++) {
                AgentAlternative alt = p.alternatives().get(i);
                if (alt.condition() != null) {
                    checkCondition(where(p, i), alt.condition(), out);
                } else if (i < p.alternatives().size() - 1) {
                    out.add(new Violation(where(p, i), "has no condition, so it always holds and the alternatives after it"
                            + " never run: give it a condition, or make it the last"));
                }
            }
        }
    }

    private void checkCondition(String where, String condition, List<Violation> out) {
        conditions.compileError(condition).ifPresent(error -> out.add(new Violation(
                where, "condition `" + condition + "` does not compile: " + error)));
    }

    private void checkInputs(Plan plan, List<Violation> out) {
        Map<Integer, Phase> byId = plan.phasesById();
        for (Phase p : plan.phases()) {
            for (InputRef in : p.inputs()) {
                Phase source = byId.get(in.from());
                if (in.from() == p.id()) {
                    out.add(new Violation(where(p), "input " + in.artifact() + " comes from the phase itself"));
                } else if (source == null) {
                    out.add(new Violation(where(p), "input " + in.artifact() + " comes from phase " + in.from()
                            + ", which the plan does not define"));
                } else if (source.outputs().stream().noneMatch(o -> o.artifact().equals(in.artifact()))) {
                    out.add(new Violation(where(p), "input " + in.artifact() + " comes from " + source.label()
                            + ", which declares no output " + in.artifact()));
                }
            }
        }
    }

    private static String where(Phase p) {
        return PLAN_FILE + " " + p.label();
    }

    /** "orchestration-plan.json phase 13 (Backend) alternative 2 (@dotnet)": how messages name an agent alternative. */
    private static String where(Phase p, int alternative) {
        return where(p) + " alternative " + (alternative + 1) + " (" + p.alternatives().get(alternative).agent() + ")";
    }
}
