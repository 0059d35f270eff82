package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.PhaseReady;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dry run of the example plan (#18) on the standalone stack: every agent's runner would leave a marker file, so a
 * dry run that started any agent process would show; it must complete with every contract exercised, skip phase 11
 * saying its condition's value, be marked as a dry run in the state, status, report and list, and leave the project's
 * own files alone.
 */
class DryRunIT {
    static E2eStack env;
    static Path marker;

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("DryRunIT", (root, options) -> {
            marker = root.resolve("an-agent-ran");
            // every agent maps to this runner: a real attempt leaves the marker (and fails, so it could not pass unseen)
            options.runnersFile(new TestRunners().script("marker", root.resolve("marker-agent.sh"),
                    "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n").agent("*", "marker").write(root.resolve("runners.json")));
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }



    @Test
    void aDryRunOfTheExamplePlanStartsNoAgentExercisesEveryContractAndSaysWhatWouldBeSkipped() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp");
        byte[] projectPlan = Files.readAllBytes(project.resolve("ProjectPlan/project-plan.json"));
        Api api = env.api();

        E2eStack.OeRun run = env.oe("execute", "--dry-run", "--config", project.resolve("engine.config.json").toString(), "--wait",
                "--timeout-seconds", "240");
        String id = run.executionId();
        assertThat(run.code()).as("oe execute --dry-run --wait exit code").isZero();
        JsonNode state = await(api, id, execution("completed"), Duration.ofSeconds(30), "the dry run's end");

        // no agent process: the runner's command never ran, and every attempt was the gateway's own
        assertThat(marker).as("marker left by any agent process").doesNotExist();
        List<PhaseReady> ready = env.events(Topics.PHASE_READY, id);
        assertThat(ready).hasSize(13).allSatisfy(r -> assertThat(r.getDryRun()).isTrue());
        assertThat(env.events(Topics.AGENT_PROGRESS, id)).filteredOn(p -> p.getKind() == ProgressKind.STARTED)
                .hasSize(13).extracting(AgentProgress::getMessage)
                .allSatisfy(m -> assertThat(m).startsWith("dry run: agent @").endsWith(" not started; the gateway writes sample outputs"));
        assertThat(env.events(Topics.AGENT_RESULT, id)).hasSize(13).allSatisfy(r -> {
            assertThat(r.getSuccess()).isTrue();
            assertThat(r.getUsage()).isEmpty();
        }).extracting(AgentResult::getPhaseId).doesNotContain(11);

        // every contract exercised: each phase that ran handed off outputs that passed theirs
        assertThat(StreamSupport.stream(state.path("handoffs").spliterator(), false)
                .filter(h -> "success".equals(h.path("status").asText())).map(h -> h.path("phase_id").asInt()).distinct())
                .hasSize(13);
        // which ran, which would be skipped and why
        assertThat(state.path("dry_run").asBoolean()).isTrue();
        assertThat(state.path("phases").path("11").path("status").asText()).isEqualTo("skipped");
        String why = "condition `project.infrastructure.iac == 'bicep'` is false";
        assertThat(state.path("phases").path("11").path("reason").asText()).isEqualTo(why);

        // marked as a dry run wherever it is shown
        E2eStack.OeRun status = env.oe("status", "--execution-id", id);
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains(id + "  MyApp (plan ", "[DRY RUN]", "dry run:  sample outputs instead of agents");
        String md = api.report(id, "md").body();
        assertThat(md).startsWith("# Execution report (dry run): MyApp").contains("> **DRY RUN: every agent was replaced",
                "\n## Dry run\n", "- phase 11 Bicep templates (@bicep-specialist): would be skipped: "
                        + why.replace("`", "\\`"), "- phase 9 Azure design (@azure-architect): would run: sample outputs"
                        + " passed their contracts");
        JsonNode json = api.report(id, "json").json();
        assertThat(json.path("summary").path("dry_run").asBoolean()).isTrue();
        assertThat(json.path("dry_run").path("phases")).filteredOn(p -> p.path("phase_id").asInt() == 11).singleElement()
                .satisfies(p -> {
                    assertThat(p.path("outcome").asText()).isEqualTo("would be skipped");
                    assertThat(p.path("why").asText()).isEqualTo(why);
                });
        assertThat(api.report(id, "html").body()).contains("<title>Dry run report: MyApp", "<h2>Dry run</h2>");
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                env.stack.info().url("monitor-service") + "/api/v1/executions")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(StreamSupport.stream(Json.MAPPER.readTree(list.body()).spliterator(), false)
                .filter(e -> id.equals(e.path("execution_id").asText()))).singleElement()
                .satisfies(e -> assertThat(e.path("dry_run").asBoolean()).isTrue());

        // the project's own files are left alone; the dry run's state, log and report are beside them
        Path dryRunDir = project.resolve("tee-output/dry-runs/" + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(dryRunDir.resolve("report.md")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(dryRunDir.resolve("report.md")).isRegularFile();
        assertThat(Json.MAPPER.readTree(dryRunDir.resolve("engine-state.json").toFile()).path("dry_run").asBoolean()).isTrue();
        assertThat(dryRunDir.resolve("execution-log.json")).isRegularFile();
        assertThat(Files.readAllBytes(project.resolve("ProjectPlan/project-plan.json"))).as("project plan").isEqualTo(projectPlan);
        assertThat(project.resolve("tee-output/engine-state.json")).doesNotExist();
        assertThat(project.resolve("tee-output/report.md")).doesNotExist();
    }

    @Test
    void aDryRunFlagThatIsNotABooleanOrThatWouldTurnARealExecutionIntoADryRunIsRefusedAndNothingIsPublished() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp-bad");
        Api api = env.api();
        ObjectNode bundle = BundlePacker.pack(project.resolve("orchestration-plan.json"), null, null, true).bundle();
        bundle.put("dry_run", "yes").put("submission_id", "dry-run-bad-flag");
        int loadedBefore = Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_LOADED, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).size();
        Api.Response refused = api.createExecution(bundle);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("dry_run", "must be true or false, not \\\"yes\\\"");

        E2eStack.OeRun cli = env.oe("execute", "--dry-run", "--execution-id", "exec_real_one");
        assertThat(cli.code()).isEqualTo(2);

        List<PlanLoaded> loaded = Events.readAll(env.broker.bootstrapServers(), Topics.PLAN_LOADED, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).stream().map(r -> r.value()).toList();
        assertThat(loaded).hasSize(loadedBefore);
    }
}
