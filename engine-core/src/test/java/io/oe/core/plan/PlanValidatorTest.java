package io.oe.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.TestPlans;
import io.oe.core.agent.RunnerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanValidatorTest {
    private static final String OBJECT_SCHEMA =
            "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\"}";
    private final PlanValidator validator = TestPlans.validator();

    private static Map<String, String> allAgents(JsonNode plan) {
        Map<String, String> agents = new HashMap<>();
        plan.get("phases").forEach(p -> {
            List<JsonNode> refs = new java.util.ArrayList<>();
            if (p.has("agent")) {
                refs.add(p.get("agent"));
            }
            p.path("alternatives").forEach(a -> refs.add(a.get("agent")));
            refs.forEach(a -> agents.put(a.asText().substring(1), "---\nname: x\ndescription: an agent\n---\nDo the work.\n"));
        });
        return agents;
    }

    /** The seed's phases 13 and 14 as the specification draws them: @nodejs/@dotnet and @react/@vue. */
    private static ObjectNode withAlternatives() {
        ObjectNode plan = TestPlans.seedPlan();
        ObjectNode backend = (ObjectNode) plan.withArray("phases").get(11);
        backend.remove("agent");
        backend.putArray("alternatives").add(alternative("@nodejs", "project.stack.backend == 'nodejs'"))
                .add(alternative("@dotnet", "project.stack.backend == 'dotnet'"));
        ObjectNode frontend = (ObjectNode) plan.withArray("phases").get(12);
        frontend.remove("agent");
        frontend.putArray("alternatives").add(alternative("@react", "project.stack.frontend == 'react'"))
                .add(alternative("@vue", null));
        return plan;
    }

    private static ObjectNode alternative(String agent, String condition) {
        ObjectNode a = PlanJson.MAPPER.createObjectNode().put("agent", agent);
        return condition == null ? a : a.put("condition", condition);
    }

    private static ObjectNode alternativeOf(ObjectNode plan, int phaseIndex, int alternative) {
        return (ObjectNode) plan.withArray("phases").get(phaseIndex).withArray("alternatives").get(alternative);
    }

    private static Map<String, String> contracts() {
        return Map.of("contracts/requirements.schema.json", OBJECT_SCHEMA,
                "contracts/code-architecture.schema.json", OBJECT_SCHEMA);
    }

    private List<Violation> validate(JsonNode plan) {
        return validator.validate(new PlanBundle(plan, TestPlans.facts("azure", "terraform"), null, contracts(),
                allAgents(plan)));
    }

    @Test
    void theSeedPlanIsValid() {
        assertThat(validate(TestPlans.seedPlan())).isEmpty();
    }

    @Test
    void aPlanWithAgentAlternativesIsValid() {
        assertThat(validate(withAlternatives())).isEmpty();
    }

    @Test
    void anAlternativesAgentWithoutADefinitionIsRejectedNamingThePhaseTheAlternativeAndTheFile() {
        ObjectNode plan = withAlternatives();
        Map<String, String> agents = allAgents(plan);
        agents.remove("dotnet");
        agents.put("vue", "---\nname: vue\ntools: [a, b\n---\nbody\n");
        assertThat(validator.validate(new PlanBundle(plan, TestPlans.facts("azure", "x"), null, contracts(), agents)))
                .extracting(Violation::toString).containsExactly(
                        "orchestration-plan.json phase 13 (Backend) alternative 2 (@dotnet): agent @dotnet has no definition:"
                                + " .github/agents/dotnet.agent.md not found",
                        ".github/agents/vue.agent.md: line 3: front matter is not valid YAML: while parsing a flow sequence:"
                                + " expected ',' or ']', but got <stream end>");
    }

    @Test
    void anAlternativesConditionThatDoesNotCompileIsRejectedNamingThePhaseAndTheAlternative() {
        ObjectNode plan = withAlternatives();
        alternativeOf(plan, 11, 1).put("condition", "project.stack.backend == ");
        alternativeOf(plan, 12, 0).put("condition", "env.HOME == '/root'");
        assertThat(validate(plan)).extracting(Violation::where).containsExactly(
                "orchestration-plan.json phase 13 (Backend) alternative 2 (@dotnet)",
                "orchestration-plan.json phase 14 (Frontend) alternative 1 (@react)");
        assertThat(validate(plan)).extracting(Violation::message)
                .anySatisfy(m -> assertThat(m).startsWith("condition `project.stack.backend == ` does not compile: "))
                .anySatisfy(m -> assertThat(m).contains("undeclared reference to 'env'"));
    }

    @Test
    void aPhaseNamesEitherAnAgentOrAlternativesAndOnlyTheLastAlternativeMayGoWithoutACondition() {
        ObjectNode plan = withAlternatives();
        ((ObjectNode) plan.withArray("phases").get(11)).put("agent", "@nodejs");
        ((ObjectNode) plan.withArray("phases").get(13)).remove("agent");
        alternativeOf(plan, 12, 0).remove("condition");
        assertThat(validate(plan)).extracting(Violation::toString).containsExactly(
                "orchestration-plan.json phase 13 (Backend): names both an agent and alternatives: give `agent` (one agent"
                        + " runs the phase) or `alternatives` (the first whose condition holds runs it), not both",
                "orchestration-plan.json phase 15 (DevOps): names no agent: give `agent`, or `alternatives` with a condition each",
                "orchestration-plan.json phase 14 (Frontend) alternative 1 (@react): has no condition, so it always holds and"
                        + " the alternatives after it never run: give it a condition, or make it the last");
    }

    @Test
    void anAlternativesShapeIsCheckedByTheSchemaWithItsPointer() {
        ObjectNode plan = withAlternatives();
        alternativeOf(plan, 11, 0).put("agent", "nodejs; rm -rf /");
        alternativeOf(plan, 11, 1).put("command", "dotnet run");
        ((ObjectNode) plan.withArray("phases").get(12)).putArray("alternatives");
        assertThat(validate(plan)).extracting(Violation::where).containsExactlyInAnyOrder(
                "orchestration-plan.json /phases/11/alternatives/0/agent",
                "orchestration-plan.json /phases/11/alternatives/1",
                "orchestration-plan.json /phases/12/alternatives");
    }

    @Test
    void aCycleIsRejectedNamingThePhasesOnIt() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(2)).putArray("depends_on").add(5);
        assertThat(validate(plan)).singleElement().satisfies(v -> {
            assertThat(v.message()).startsWith("dependency cycle: ");
            assertThat(v.message()).contains("phase 3 (Backlog)", "phase 4 (Coordination)", "phase 5 (QA plan)");
        });
    }

    @Test
    void aCycleIsReportedTogetherWithUnrelatedProblems() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(2)).putArray("depends_on").add(5);
        ((ObjectNode) plan.withArray("phases").get(8)).put("condition", "project.x ==");
        assertThat(validate(plan)).extracting(Violation::message)
                .anySatisfy(m -> assertThat(m).startsWith("dependency cycle"))
                .anySatisfy(m -> assertThat(m).contains("does not compile"));
    }

    @Test
    void anUnknownAgentIsRejectedNamingThePhaseAndTheFile() {
        ObjectNode plan = TestPlans.seedPlan();
        Map<String, String> agents = allAgents(plan);
        agents.remove("devops");
        var violations = validator.validate(new PlanBundle(plan, TestPlans.facts("azure", "x"), null, contracts(), agents));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.where()).contains("phase 15 (DevOps)");
            assertThat(v.message()).contains("@devops", ".github/agents/devops.agent.md");
        });
    }

    @Test
    void aBrokenConditionIsRejectedWithThePhaseAndTheParseError() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(8)).put("condition", "project.infrastructure.cloud == ");
        assertThat(validate(plan)).singleElement().satisfies(v -> {
            assertThat(v.where()).contains("phase 9 (Azure design)");
            assertThat(v.message()).contains("does not compile").contains("mismatched input");
        });
    }

    @Test
    void aConditionCannotReachAnythingButTheProjectFacts() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(8)).put("condition", "env.HOME == '/root'");
        assertThat(validate(plan)).singleElement().satisfies(v ->
                assertThat(v.message()).contains("undeclared reference to 'env'"));
    }

    @Test
    void schemaErrorsCarryTheirJsonPointer() {
        ObjectNode plan = TestPlans.seedPlan();
        ((ObjectNode) plan.withArray("phases").get(3)).put("agent", "coordinator; rm -rf /");
        ((ObjectNode) plan.withArray("phases").get(4)).put("id", "five");
        var violations = validate(plan);
        assertThat(violations).extracting(Violation::where)
                .contains("orchestration-plan.json /phases/3/agent", "orchestration-plan.json /phases/4/id");
    }

    @Test
    void duplicateIdsMissingTierPhasesAndBadInputsAreAllReported() {
        ObjectNode plan = TestPlans.seedPlan();
        var phases = plan.withArray("phases");
        ((ObjectNode) phases.get(3)).put("id", 3);
        ((ObjectNode) phases.get(11)).putArray("inputs").addObject().put("artifact", "nope.json").put("from", 8);
        ((ObjectNode) plan.withArray("tiers").get(0)).withArray("phases").add(99);
        var text = validate(plan).stream().map(Violation::toString).toList();
        assertThat(text).anySatisfy(t -> assertThat(t).contains("/phases/3/id: duplicate phase id 3 (also /phases/2)"));
        assertThat(text).anySatisfy(t -> assertThat(t).contains("lists phase 99, which the plan does not define"));
        assertThat(text).anySatisfy(t -> assertThat(t).contains("phase 13 (Backend)")
                .contains("input nope.json comes from phase 8 (Code architecture), which declares no output nope.json"));
    }

    @Test
    void aMissingOrInvalidContractIsRejected() {
        ObjectNode plan = TestPlans.seedPlan();
        var c = new HashMap<>(contracts());
        c.remove("contracts/code-architecture.schema.json");
        c.put("contracts/requirements.schema.json", "{\"type\": 12}");
        var text = validator.validate(new PlanBundle(plan, TestPlans.facts("azure", "x"), null, c, allAgents(plan)))
                .stream().map(Violation::toString).toList();
        assertThat(text).anySatisfy(t -> assertThat(t).contains("contract contracts/code-architecture.schema.json of output code-architecture.json not found"));
        assertThat(text).anySatisfy(t -> assertThat(t).startsWith("contracts/requirements.schema.json: not a valid JSON Schema"));
    }

    @Test
    void malformedAgentFrontMatterNamesTheFileAndLine() {
        ObjectNode plan = TestPlans.seedPlan();
        Map<String, String> agents = allAgents(plan);
        agents.put("qa", "---\nname: qa\ntools: [a, b\n---\nbody\n");
        var violations = validator.validate(new PlanBundle(plan, TestPlans.facts("azure", "x"), null, contracts(), agents));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo(".github/agents/qa.agent.md");
            assertThat(v.message()).contains("line").contains("not valid YAML");
        });
    }

    @Test
    void anInvalidConfigIsRejected() {
        var config = PlanJson.parse("{\"max_concurrent_phases\": 0, \"retry_policy\": {\"max_retries\": \"three\"}}");
        var violations = validator.validate(new PlanBundle(TestPlans.seedPlan(), TestPlans.facts("a", "b"), config,
                contracts(), allAgents(TestPlans.seedPlan())));
        assertThat(violations).extracting(Violation::where).contains("engine.config.json /max_concurrent_phases",
                "engine.config.json /retry_policy/max_retries");
    }

    @Test
    void aPriorityOutOfItsRangeIsRefusedNamingTheKey() {
        for (String priority : List.of("101", "-101", "1.5", "\"high\"")) {
            var config = PlanJson.parse("{\"priority\": " + priority + "}");
            var violations = validator.validate(new PlanBundle(TestPlans.seedPlan(), TestPlans.facts("a", "b"), config,
                    contracts(), allAgents(TestPlans.seedPlan())));
            assertThat(violations).as(priority).extracting(Violation::where).containsExactly("engine.config.json /priority");
        }
        var fine = PlanJson.parse("{\"priority\": 100}");
        assertThat(validator.validate(new PlanBundle(TestPlans.seedPlan(), TestPlans.facts("a", "b"), fine, contracts(),
                allAgents(TestPlans.seedPlan())))).isEmpty();
        assertThat(PlanJson.config(fine).withDefaults().priorityOrDefault()).isEqualTo(100);
    }

    @Test
    void anUnknownAlertKindInTheConfigIsRefusedNamingTheKey() {
        var config = PlanJson.parse("{\"alerts\": {\"heartbeat_lost\": false, \"heartbeat_lots\": false}}");
        var violations = validator.validate(new PlanBundle(TestPlans.seedPlan(), TestPlans.facts("a", "b"), config,
                contracts(), allAgents(TestPlans.seedPlan())));
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo("engine.config.json /alerts/heartbeat_lots");
            assertThat(v.message()).isEqualTo("unknown alert kind 'heartbeat_lots'; the kinds are retries_exhausted, "
                    + "attempt_timed_out, heartbeat_lost, contract_violated, waiting_for_approval, waiting_for_review, execution_behind_estimate, budget_warning, budget_exceeded");
        });
        assertThat(validator.validateConfig(config)).hasSize(1); // the same rule for a config given with START
        assertThat(validator.validateConfig(PlanJson.parse("{\"alerts\": {\"waiting_for_approval\": \"no\"}}")))
                .singleElement().satisfies(v -> assertThat(v.where()).isEqualTo("engine.config.json /alerts/waiting_for_approval"));
        assertThat(validator.validateConfig(PlanJson.parse("{\"alert_on_failure\": false, \"alerts\": {\"heartbeat_lost\": false, "
                + "\"attempt_timed_out\": true, \"contract_violated\": false, \"waiting_for_approval\": false, "
                + "\"retries_exhausted\": true}}"))).isEmpty();
    }

    @Test
    void aPhaseMayAskForAReviewOfItsOutputsAndTheConfigForEveryPhasesButOnlyWithTrueOrFalse() {
        var plan = TestPlans.seedPlan();
        var phase = (com.fasterxml.jackson.databind.node.ObjectNode) plan.withArray("phases").get(1);
        phase.put("review", true);
        assertThat(validator.validate(new PlanBundle(plan, TestPlans.facts("a", "b"), PlanJson.parse(
                "{\"review_outputs\": true}"), contracts(), allAgents(plan)))).isEmpty();
        assertThat(PlanJson.plan(plan).phases().get(1).needsReview(EngineConfig.DEFAULTS)).isTrue();
        phase.put("review", "yes");
        assertThat(validator.validate(new PlanBundle(plan, TestPlans.facts("a", "b"), PlanJson.parse(
                "{\"review_outputs\": \"always\"}"), contracts(), allAgents(plan)))).extracting(Violation::where)
                .anySatisfy(w -> assertThat(w).endsWith("/review"))
                .contains("engine.config.json /review_outputs");
    }

    @Test
    void theConfigSchemaNamesEveryAlertKindTheSchedulerRaisesAndNoOther() {
        JsonNode schema = PlanJson.parse(TestPlans.schemaTexts().get("engine-config.schema.json"));
        List<String> named = new java.util.ArrayList<>();
        schema.path("properties").path("alerts").path("properties").fieldNames().forEachRemaining(named::add);
        assertThat(named).containsExactlyInAnyOrderElementsOf(AlertKind.names());
    }

    @Test
    void anInputInAnotherFormatMustBeOneTheEngineConvertsAndStoresOnce() {
        JsonNode plan = PlanJson.parse("""
                {"plan_id": "p", "project_name": "X",
                 "tiers": [{"name": "t", "mode": "sequential", "phases": [1, 2, 3, 4, 5, 6]}],
                 "phases": [
                   {"id": 1, "name": "Plan", "agent": "@a", "status": "completed", "outputs": [{"artifact": "req.yaml"}]},
                   {"id": 2, "name": "Design", "agent": "@a", "outputs": [{"artifact": "design.yaml"}, {"artifact": "design.json"},
                     {"artifact": "notes.txt"}, {"artifact": "users.csv"}, {"artifact": "spec.yaml"}]},
                   {"id": 3, "name": "Other", "agent": "@a", "outputs": [{"artifact": "spec.json"}]},
                   {"id": 4, "name": "Build", "agent": "@a", "inputs": [
                     {"artifact": "req.yaml", "from": 1, "as": "json"},
                     {"artifact": "design.yaml", "from": 2, "as": "json"},
                     {"artifact": "notes.txt", "from": 2, "as": "json"},
                     {"artifact": "users.csv", "from": 2, "as": "yaml"},
                     {"artifact": "spec.yaml", "from": 2, "as": "json", "contract": "contracts/spec.schema.json"},
                     {"artifact": "spec.json", "from": 3}]},
                   {"id": 5, "name": "Test", "agent": "@a", "inputs": [{"artifact": "spec.yaml", "from": 2, "as": "json"}]},
                   {"id": 6, "name": "Ship", "agent": "@a", "inputs": [
                     {"artifact": "spec.yaml", "from": 2, "as": "json", "contract": "contracts/spec.schema.json"},
                     {"artifact": "users.csv", "from": 2, "as": "json", "contract": "contracts/missing.schema.json"}]}
                 ]}""");
        Map<String, String> contracts = Map.of("contracts/spec.schema.json", OBJECT_SCHEMA);
        var violations = validator.validate(new PlanBundle(plan, TestPlans.facts("a", "b"), null, contracts, allAgents(plan)));
        assertThat(violations).extracting(Violation::toString).containsExactlyInAnyOrder(
                "orchestration-plan.json phase 4 (Build): input req.yaml of phase 1 (Plan) as json: phase 1 (Plan) is marked "
                        + "completed, so its outputs are not handed over in this execution to be converted; convert the file "
                        + "and declare it as an output",
                "orchestration-plan.json phase 4 (Build): input design.yaml of phase 2 (Design) as json would be design.json, "
                        + "which phase 2 (Design) declares as an output too: take that one, or rename one of them",
                "orchestration-plan.json phase 4 (Build): input notes.txt of phase 2 (Design) as json: notes.txt has no "
                        + "extension the engine converts from (.json, .yaml, .csv, .md)",
                "orchestration-plan.json phase 4 (Build): input users.csv of phase 2 (Design) as yaml: csv → yaml is not a "
                        + "transform the engine makes (it makes: yaml → json, json → yaml, csv → json, markdown → json)",
                "orchestration-plan.json phase 4 (Build): inputs spec.yaml of phase 2 and spec.json of phase 3 would both be "
                        + "inputs/spec.json",
                "orchestration-plan.json phase 5 (Test): input spec.yaml of phase 2 as json names no contract, but phase 4 "
                        + "(Build) asks for the same conversion under contracts/spec.schema.json: the converted form is stored "
                        + "once, so one contract (or none) applies to it",
                "orchestration-plan.json phase 6 (Ship): contract contracts/missing.schema.json of input users.csv not found");

        ObjectNode contractWithoutAs = (ObjectNode) PlanJson.parse("{\"artifact\": \"spec.json\", \"from\": 3, "
                + "\"contract\": \"contracts/spec.schema.json\"}");
        ((ObjectNode) plan.get("phases").get(4)).putArray("inputs").add(contractWithoutAs);
        assertThat(validator.validate(new PlanBundle(plan, TestPlans.facts("a", "b"), null, contracts, allAgents(plan))))
                .extracting(Violation::where).contains("orchestration-plan.json /phases/4/inputs/0");
    }

    @Test
    void anAgentWhoseModelOrRunnerItsGatewayCannotRunIsRejectedNamingItsDefinition() {
        var claude = new RunnerConfig.Profile(null, List.of("claude", "--model", "{model}"), null, null, null, null, null,
                Map.of("claude-sonnet-4.5", "claude-sonnet-4-5"), null, null);
        var script = new RunnerConfig.Profile(null, List.of("/opt/run"), null, null, null);
        var runners = new RunnerConfig(Map.of("claude", claude, "script", script), Map.of("@doc", "claude", "*", "script"));
        ObjectNode plan = TestPlans.seedPlan();
        Map<String, String> agents = allAgents(plan);
        agents.put("doc", "---\nname: doc\nmodel: gpt-4.1\n---\nWrite docs.\n");
        agents.put("qa", "---\nname: qa\nrunner: codex\n---\nTest.\n");
        agents.put("backlog", "---\nname: backlog\nmodel: any-model\n---\nPlan.\n"); // the script profile passes any model
        var violations = new PlanValidator(schemas(), runners).validate(new PlanBundle(plan, TestPlans.facts("azure", "x"),
                null, contracts(), agents));
        assertThat(violations).extracting(Violation::toString).containsExactlyInAnyOrder(
                ".github/agents/doc.agent.md: agent @doc asks for model 'gpt-4.1', which runner profile 'claude' cannot run"
                        + " (it runs: claude-sonnet-4.5)",
                ".github/agents/qa.agent.md: agent @qa asks for runner profile 'codex', which the gateway's runner "
                        + "configuration does not define (defined: [claude, script])");
        agents.put("doc", "---\nname: doc\n---\nWrite docs.\n");
        assertThat(new PlanValidator(schemas(), runners).validate(new PlanBundle(plan, TestPlans.facts("azure", "x"), null,
                contracts(), agents))).extracting(Violation::message).contains("agent @doc names no model, and runner "
                        + "profile 'claude' has no default_model (it runs: claude-sonnet-4.5)");
    }

    @Test
    void theExamplesAgentsRunUnderTheShippedRunnerProfiles() throws Exception {
        Path example = Path.of("../examples/myapp");
        JsonNode plan = PlanJson.parse(Files.readString(example.resolve("orchestration-plan.json")));
        Map<String, String> agents = new HashMap<>();
        Map<String, String> contracts = new HashMap<>();
        try (var files = Files.list(example.resolve(".github/agents"))) {
            for (Path f : files.toList()) {
                agents.put(f.getFileName().toString().replace(".agent.md", ""), Files.readString(f));
            }
        }
        try (var files = Files.list(example.resolve("contracts"))) {
            for (Path f : files.toList()) {
                contracts.put("contracts/" + f.getFileName(), Files.readString(f));
            }
        }
        JsonNode facts = PlanJson.parse(Files.readString(example.resolve("ProjectPlan/project-plan.json")));
        for (String file : List.of("default.json", "agent-clis.json")) {
            var runners = RunnerConfig.read(Path.of("../deploy/runners", file));
            assertThat(new PlanValidator(schemas(), runners).validate(new PlanBundle(plan, facts, null, contracts, agents)))
                    .as("examples/myapp under deploy/runners/%s", file).isEmpty();
        }
    }

    private static Map<String, String> schemas() {
        return TestPlans.schemaTexts();
    }

    @Test
    void aConfigPathThatLeadsOutOfTheProjectIsRejectedNamingTheKey() {
        var config = PlanJson.parse("{\"state_file_path\": \"../elsewhere/state.json\", \"execution_log_path\": \"/tmp/log.json\","
                + " \"project_plan_path\": \"ProjectPlan/project-plan.json\"}");
        var violations = validator.validate(new PlanBundle(TestPlans.seedPlan(), TestPlans.facts("a", "b"), config,
                contracts(), allAgents(TestPlans.seedPlan())));
        assertThat(violations).extracting(Violation::toString).containsExactlyInAnyOrder(
                "engine.config.json /state_file_path: path '../elsewhere/state.json' leads outside the project directory",
                "engine.config.json /execution_log_path: path '/tmp/log.json' must be a relative path inside the project directory");
        assertThat(validator.validateConfig(config)).hasSize(2); // the same rule for a config given with START
    }
}
