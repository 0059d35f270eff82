package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.plan.PlanJson;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.schemas.Topics;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan-loader's REST and command path with the publishing seam faked (no Kafka): a valid bundle is registered
 * and published once; every bad input is refused naming the problem and its place, and publishes nothing; a command
 * that does not apply in the execution's state is refused by CommandGuard, and publishes nothing.
 */
class ExecutionsResourceTest {
    @TempDir
    Path root;
    private final ExecutionDirectory directory = new ExecutionDirectory();
    private final RecordingPublisher publisher = new RecordingPublisher(directory);
    private ExecutionsResource resource;
    private ObjectNode bundle;

    @BeforeEach
    void setUp() throws Exception {
        PlanIntake plans = new PlanIntake(publisher, directory, root.toString(), 8 << 20, "..",
                "deploy/runners/default.json", Tracing.of(OpenTelemetry.noop(), false));
        resource = new ExecutionsResource(publisher, directory, plans, root.toString(), 1 << 20);
        bundle = (ObjectNode) PlanJson.parse(Submission.EXAMPLE);
        bundle.put("project_dir", Files.createDirectories(root.resolve("myapp")).toString());
        bundle.put("autostart", false); // stays initialized: START applies, RESUME does not
    }

    @Test
    void aValidBundleIsRegisteredAndItsPlanLoadedPublishedOnce() {
        Response r = resource.submit(null, bundle.toString());
        assertThat(r.getStatus()).isEqualTo(201);
        Registered registered = (Registered) r.getEntity();
        assertThat(registered.phases()).isEqualTo(2);
        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(Topics.PLAN_LOADED.name());
            assertThat(p.key()).isEqualTo(registered.executionId());
        });
    }

    @Test
    void theSameSubmissionAgainNamesItsExecutionAndPublishesNothingMore() {
        String id = ((Registered) resource.submit(null, bundle.toString()).getEntity()).executionId();
        Response again = resource.submit(null, bundle.toString());
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(((Registered) again.getEntity()).duplicate()).isTrue();
        assertThat(((Registered) again.getEntity()).executionId()).isEqualTo(id);
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void malformedJsonIsRefusedWithItsLineAndColumn() {
        Problem p = refused(resource.submit(null, "{\"plan\": "), 422);
        assertThat(p.error()).isEqualTo("malformed plan bundle");
        assertThat(p.violations()).singleElement().satisfies(v -> assertThat(v.where()).startsWith("bundle line 1, column"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThat(refused(resource.submit(null, "[]"), 422).error())
                .isEqualTo("the bundle must be a JSON object (a plan bundle)");
    }

    @Test
    void aPlanWhoseAgentHasNoDefinitionIsRefusedNamingThePhase() {
        bundle.remove("agents");
        Problem p = refused(resource.submit(null, bundle.toString()), 422);
        assertThat(p.error()).startsWith("plan rejected: ");
        assertThat(p.violations()).anySatisfy(v -> assertThat(v.message()).contains("@architect"));
    }

    @Test
    void aProjectOutsideTheProjectRootIsRefusedNamingProjectDir() {
        bundle.put("project_dir", root.getParent().toString());
        Problem p = refused(resource.submit(null, bundle.toString()), 422);
        assertThat(p.violations()).anySatisfy(v -> {
            assertThat(v.where()).isEqualTo("project_dir");
            assertThat(v.message()).contains("outside this engine's project root");
        });
    }

    @Test
    void aCommandThatAppliesIsPublishedOnExecutionControl() {
        String id = registered();
        Response r = resource.command(null, id, "{\"command\": \"start\"}");
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(((CommandAccepted) r.getEntity()).command()).isEqualTo("START");
        assertThat(publisher.published).last().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(Topics.EXECUTION_CONTROL.name());
            assertThat(p.key()).isEqualTo(id);
            assertThat(((ExecutionCommand) p.event()).getCommand()).isEqualTo(CommandKind.START);
        });
    }

    @Test
    void aCommandCommandGuardRefusesIsA409WithItsReasonAndPublishesNothing() {
        String id = registered();
        assertThat(refused(resource.command(null, id, "{\"command\": \"RESUME\"}"), 409).error())
                .isEqualTo("RESUME refused: execution is initialized, not paused");
        assertThat(refused(resource.command(null, id, "{\"command\": \"RETRY\", \"phase_id\": 1}"), 409).error())
                .isEqualTo("RETRY refused: phase 1 is pending, not waiting_for_intervention");
    }

    @Test
    void eachMalformedCommandIsRefusedNamingItsPlace() {
        String id = registered();
        assertThat(refused(resource.command(null, id, "{\"command\": "), 422).violations())
                .singleElement().satisfies(v -> assertThat(v.where()).isEqualTo("request body"));
        assertThat(refused(resource.command(null, "no such/id", "{\"command\": \"START\"}"), 422).violations())
                .singleElement().satisfies(v -> assertThat(v.where()).isEqualTo("path"));
        assertThat(refused(resource.command(null, id, "{\"command\": \"FLY\"}"), 422).violations())
                .singleElement().satisfies(v -> {
                    assertThat(v.where()).isEqualTo("command");
                    assertThat(v.message()).startsWith("'FLY' is not one of START, ");
                });
        assertThat(refused(resource.command(null, id, "{\"command\": \"RETRY\"}"), 422).violations())
                .singleElement().satisfies(v -> assertThat(v).isEqualTo(new Problem.Item("phase_id", "RETRY needs a phase_id")));
        assertThat(refused(resource.command(null, id, "{\"command\": \"RETRY\", \"phase_id\": \"one\"}"), 422).violations())
                .singleElement().satisfies(v -> assertThat(v).isEqualTo(new Problem.Item("phase_id", "must be an integer")));
        assertThat(refused(resource.command(null, id, "[]"), 422).error()).isEqualTo("request body must be a JSON object");
    }

    @Test
    void aCommandForAnUnknownExecutionIsA404() {
        assertThat(refused(resource.command(null, "exec_unknown", "{\"command\": \"START\"}"), 404).error())
                .isEqualTo("no execution exec_unknown");
    }

    @Test
    void aStartWhoseConfigGivesABudgetAboveTheRunnerCeilingIsA422NamingBothKeysAndPublishesNothing() throws Exception {
        withCeiling();
        String id = registered();
        Problem p = refused(resource.command(null, id, "{\"command\": \"START\", \"config\": {\"budget\": {\"execution\":"
                + " {\"tokens\": 50000}}}}"), 422);
        assertThat(p.error()).isEqualTo("engine config rejected");
        assertThat(p.violations()).singleElement().satisfies(v -> assertThat(v.message()).isEqualTo("budget.execution.tokens"
                + " is 50000, above the runner configuration's budget_ceiling.execution.tokens 10000"));
        // within the ceiling, the same START is published, its budget bounded by the ceiling's other measures
        assertThat(resource.command(null, id, "{\"command\": \"START\", \"config\": {\"budget\": {\"execution\":"
                + " {\"tokens\": 8000}}}}").getStatus()).isEqualTo(202);
        var budget = PlanJson.parse(((ExecutionCommand) publisher.published.get(0).event()).getConfigJson()).path("budget");
        assertThat(budget.path("execution").path("tokens").asLong()).isEqualTo(8000);
        assertThat(budget.path("phase").path("tokens").asLong()).isEqualTo(5000);
    }

    @Test
    void aBudgetAboveTheRunnerCeilingIsA422NamingTheFieldAndTheCeilingAndPublishesNothing() throws Exception {
        withCeiling();
        String id = registered();
        Problem execution = refused(resource.command(null, id, "{\"command\": \"BUDGET\", \"tokens\": 20000}"), 422);
        assertThat(execution.error()).isEqualTo("BUDGET refused: above the runner configuration's budget_ceiling");
        assertThat(execution.violations()).singleElement().satisfies(v -> {
            assertThat(v.where()).isEqualTo("tokens");
            assertThat(v.message()).contains("20000", "budget_ceiling.execution.tokens 10000");
        });
        Problem phase = refused(resource.command(null, id, "{\"command\": \"BUDGET\", \"phase_id\": 1, \"tokens\": 6000}"), 422);
        assertThat(phase.violations()).singleElement().satisfies(v -> assertThat(v.message())
                .contains("6000", "budget_ceiling.phase.tokens 5000"));
    }

    /** The resource with a runner configuration whose budget_ceiling is 10,000 tokens an execution, 5,000 a phase. */
    private void withCeiling() throws Exception {
        Path runners = Files.writeString(root.resolve("runners.json"), """
                {"runners": {"script": {"argv": ["/bin/true"]}}, "agents": {"*": "script"},
                 "budget_ceiling": {"execution": {"tokens": 10000}, "phase": {"tokens": 5000}}}
                """);
        PlanIntake plans = new PlanIntake(publisher, directory, root.toString(), 8 << 20, "..", runners.toString(),
                Tracing.of(OpenTelemetry.noop(), false));
        resource = new ExecutionsResource(publisher, directory, plans, root.toString(), 1 << 20);
    }

    /** A registered execution's id; the submission is the only event published so far. */
    private String registered() {
        String id = ((Registered) resource.submit(null, bundle.toString()).getEntity()).executionId();
        publisher.published.clear();
        return id;
    }

    /** The refusal's problem, after checking its status and that nothing was published. */
    private Problem refused(Response r, int status) {
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(publisher.published).isEmpty();
        return (Problem) r.getEntity();
    }
}
