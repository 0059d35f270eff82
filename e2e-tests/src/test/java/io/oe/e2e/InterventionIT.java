package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.events.AgentResult;
import io.oe.events.Alert;
import io.oe.events.HandoffValidated;
import io.oe.events.PhaseReady;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The durable state machine on a real broker with real agent processes: retries with backoff, retries exhausted →
 * intervention, approval, pause/resume, cancel, timeouts, duplicate results, and a scheduler killed mid-run.
 */
class InterventionIT {
    static E2eStack env;
    static Path marker;
    static final Duration WAIT = Duration.ofSeconds(90);

    /** A webhook receiver, as a chat or pager service would be: every alert the monitor posts. */
    static com.sun.net.httpserver.HttpServer webhook;
    static final List<JsonNode> posted = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() throws java.io.IOException {
        webhook = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", ex -> {
            posted.add(io.oe.cli.Json.MAPPER.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        webhook.start();
        String hookUrl = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
        env = E2eStack.start("InterventionIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            try {
                marker = Files.writeString(root.resolve("broken.marker"), "remove me to fix @broken");
                Path runners = new TestRunners()
                        .profile("demo", Map.of("OE_DEMO_DELAY_MS", "200"))
                        .profile("flaky", Map.of("OE_DEMO_DELAY_MS", "200", "OE_DEMO_FAIL_ATTEMPTS", "2"))
                        .profile("broken", Map.of("OE_DEMO_DELAY_MS", "100", "OE_DEMO_FAIL_IF_EXISTS", marker.toString()))
                        .profile("breaker", Map.of("OE_DEMO_DELAY_MS", "100", "OE_DEMO_BREAK_CONTRACT_ATTEMPTS", "1"))
                        .profile("slow", Map.of("OE_DEMO_DELAY_MS", "30000"))
                        .profile("unhurried", Map.of("OE_DEMO_DELAY_MS", "3000"))
                        .agent("@flaky", "flaky").agent("@broken", "broken").agent("@breaker", "breaker").agent("@slow", "slow").agent("@unhurried", "unhurried")
                        .agent("*", "demo").write(root.resolve("runners.json"));
                options.runnersFile(runners).env("OE_HEARTBEAT_TIMEOUT", "6s").env("OE_ALERT_WEBHOOK_URL", hookUrl);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    private static <V extends SpecificRecord> List<V> events(io.oe.schemas.Topic<V> topic, String id) {
        return Events.readAll(env.broker.bootstrapServers(), topic, Duration.ofSeconds(1), Duration.ofSeconds(20)).stream()
                .map(r -> r.value()).filter(v -> id.equals(String.valueOf(v.get(v.getSchema().getField("execution_id").pos()))))
                .toList();
    }

    @Test
    void anAgentThatFailsTwiceIsRetriedWithBackoffAndCompletes() throws Exception {
        TestProject p = new TestProject(env.root, "flaky").tier("t", "sequential", 1);
        p.phase(1, "@flaky").putObject("retry").put("max_retries", 3).put("backoff_seconds", 1);
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion");
        assertThat(s.path("phases").path("1").path("attempts").asInt()).isEqualTo(3);
        JsonNode history = s.path("phases").path("1").path("attempt_history");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(history.get(0).path("error").asText()).contains("simulated failure on attempt 1");
        assertThat(history.get(2).path("outcome").asText()).isEqualTo("completed");
        assertThat(history.get(2).path("worker_id").asText()).isNotBlank();
        // shown as a completed phase with three attempts, in the state, `oe status` and the report; not as its old failure
        JsonNode phase = s.path("phases").path("1");
        assertThat(phase.path("note").asText()).isEqualTo(phase.path("attempts_summary").asText())
                .matches("3 attempts: #1 failed after \\d+\\.\\d s \\(exited with code 1\\), #2 failed after \\d+\\.\\d s "
                        + "\\(exited with code 1\\), #3 completed in \\d+\\.\\d s");
        assertThat(phase.path("first_started_at").asText()).isEqualTo(history.get(0).path("started_at").asText());
        assertThat(io.oe.cli.StatusFormatter.format(s)).contains("attempts 3  " + phase.path("note").asText())
                .doesNotContain("simulated failure");
        String md = api.report(id, "md").body();
        assertThat(md).contains("| completed | 3 | " + history.get(0).path("started_at").asText() + " | ",
                " | " + phase.path("note").asText() + " |");
        JsonNode reported = api.report(id, "json").json().path("phases").get(0);
        assertThat(reported.path("note").asText()).isEqualTo(phase.path("note").asText());
        assertThat(reported.path("elapsed_seconds").asDouble()).isGreaterThan(reported.path("duration_seconds").asDouble());
        List<PhaseReady> ready = events(Topics.PHASE_READY, id).stream().sorted(Comparator.comparingInt(PhaseReady::getAttempt)).toList();
        List<HandoffValidated> handoffs = events(Topics.HANDOFF_VALIDATED, id).stream()
                .sorted(Comparator.comparingInt(HandoffValidated::getAttempt)).toList();
        assertThat(ready).extracting(PhaseReady::getAttempt).containsExactly(1, 2, 3);
        assertThat(ready.get(1).getPreviousError()).contains("simulated failure on attempt 1");
        for (int i = 0; i < 2; i++) {
            long gap = ready.get(i + 1).getReadyAt().toEpochMilli() - handoffs.get(i).getAt().toEpochMilli();
            System.out.printf("[e2e] retry %d waited %d ms (policy: %d ms ±10%%)%n", i + 1, gap, 1000L << i);
            assertThat(gap).as("backoff before attempt %d", i + 2).isGreaterThanOrEqualTo((long) (0.9 * (1000L << i)));
        }
    }

    @Test
    void whenRetriesRunOutAPersonRetriesAfterTheFixAndEarlierPhasesAreNotRerun() throws Exception {
        TestProject p = new TestProject(env.root, "broken").tier("t", "sequential", 1, 2, 3);
        p.phase(1, "@doc");
        var broken = p.phase(2, "@broken");
        broken.putObject("retry").put("max_retries", 1).put("backoff_seconds", 0.2);
        broken.putArray("tasks").addObject().put("id", "T2A").put("title", "started, then the agent fails");
        broken.withArray("tasks").addObject().put("id", "T2B").put("title", "never reached");
        p.phase(3, "@qa");
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("waiting_for_intervention"), WAIT, "waiting_for_intervention");
        assertThat(s.path("phases").path("2").path("status").asText()).isEqualTo("waiting_for_intervention");
        // the failed attempt's tasks: the one it had started failed with it, the other was never reported
        assertThat(s.path("tasks").path("T2A").path("status").asText()).isEqualTo("failed");
        assertThat(s.path("tasks").path("T2A").path("progress").asInt()).isEqualTo(35);
        assertThat(s.path("tasks").path("T2B").path("status").asText()).isEqualTo("not_reported");
        assertThat(io.oe.cli.StatusFormatter.format(s)).contains("attempts 2  retries exhausted after 2 failed attempt(s)");
        assertThat(s.path("phases").path("2").path("attempts").asInt()).isEqualTo(2);
        assertThat(s.path("phases").path("3").path("status").asText()).isEqualTo("pending");
        assertThat(events(Topics.ALERTS, id)).extracting(Alert::getKind).contains("retries_exhausted");
        // the same alert at the webhook, with a link to the dashboard
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (posted.stream().noneMatch(a -> id.equals(a.path("execution_id").asText())) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(posted).filteredOn(a -> id.equals(a.path("execution_id").asText()))
                .anySatisfy(a -> {
                    assertThat(a.path("kind").asText()).isEqualTo("retries_exhausted");
                    assertThat(a.path("phase_id").asInt()).isEqualTo(2);
                    assertThat(a.path("dashboard").asText()).endsWith("/#" + id);
                });
        // nonsense commands are refused with a reason, and publish nothing
        assertThat(api.command(id, command("RETRY", 3)).status()).isEqualTo(409);
        assertThat(api.command(id, command("RETRY", 99)).body()).contains("has no phase 99");
        assertThat(api.command("exec_nope", command("CANCEL", null)).status()).isEqualTo(404);
        Files.delete(marker); // the person fixes the agent
        assertThat(api.command(id, command("RETRY", 2)).status()).isEqualTo(202);
        s = await(api, id, execution("completed"), WAIT, "completion after retry");
        assertThat(s.path("phases").path("2").path("attempts").asInt()).isEqualTo(3);
        // the retry started its tasks afresh, and this attempt's agent reported both done
        assertThat(s.path("tasks").path("T2A").path("status").asText()).isEqualTo("completed");
        assertThat(s.path("tasks").path("T2B").path("status").asText()).isEqualTo("completed");
        assertThat(s.path("phases").path("2").path("note").asText()).startsWith("3 attempts: #1 failed after ")
                .endsWith(" s").contains("#3 completed in ");
        var results = events(Topics.AGENT_RESULT, id);
        assertThat(results).filteredOn(r -> r.getPhaseId() == 1).hasSize(1); // not re-run
        assertThat(results).filteredOn(r -> r.getPhaseId() == 3).hasSize(1);
    }

    @Test
    void anOutputThatBreaksItsContractFailsTheHandoffWithTheViolationAndTheRetryFixesIt() throws Exception {
        TestProject p = new TestProject(env.root, "contract").tier("t", "sequential", 1, 2);
        ObjectNodeHolder.out(p.phase(1, "@breaker"), "design.json", "contracts/design.schema.json")
                .putObject("retry").put("max_retries", 1).put("backoff_seconds", 0.2);
        p.phase(2, "@doc").putArray("inputs").addObject().put("artifact", "design.json").put("from", 1);
        Files.createDirectories(p.dir.resolve("contracts"));
        Files.writeString(p.dir.resolve("contracts/design.schema.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["produced_by"],
                 "properties": {"produced_by": {"type": "string"}}}
                """);
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion");
        assertThat(s.path("phases").path("1").path("attempts").asInt()).isEqualTo(2);
        JsonNode failed = null;
        for (JsonNode h : s.path("handoffs")) {
            if (h.path("attempt").asInt() == 1 && h.path("phase_id").asInt() == 1) {
                failed = h;
            }
        }
        assertThat(failed).as("handoff of attempt 1").isNotNull();
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("violations").get(0).path("rule").asText()).isEqualTo("required");
        assertThat(failed.path("violations").get(0).path("message").asText()).contains("produced_by");
        assertAlerted(id, "contract_violated", "WARNING", 1);
        var ready = events(Topics.PHASE_READY, id).stream().filter(r -> r.getPhaseId() == 1 && r.getAttempt() == 2).toList();
        assertThat(ready).singleElement().satisfies(r -> assertThat(r.getPreviousError())
                .contains("design.json /: required property 'produced_by' not found (required)"));
        Path prompt = p.dir.resolve("tee-output/workspaces/" + id + "/1/2/prompt.md");
        assertThat(Files.readString(prompt)).contains("The previous attempt failed").contains("produced_by");
        // the next phase received exactly the validated bytes
        Path input = p.dir.resolve("tee-output/workspaces/" + id + "/2/1/inputs/design.json");
        assertThat(io.oe.core.artifact.LocalArtifactStore.sha256Of(input))
                .isEqualTo(s.path("handoffs").findValues("checksum").get(0).asText());
    }

    @Test
    void severalExecutionsRunSideBySideEachInItsOwnOrder() throws Exception {
        Api api = env.api();
        List<String> ids = new java.util.ArrayList<>();
        for (int n = 0; n < 3; n++) {
            TestProject p = new TestProject(env.root, "side-by-side-" + n).tier("a", "sequential", 1, 2, 3)
                    .tier("b", "parallel", 4, 5);
            for (int i = 1; i <= 5; i++) {
                p.phase(i, "@doc");
            }
            ids.add(p.submit(api));
        }
        for (String id : ids) {
            await(api, id, execution("completed"), WAIT, "completion");
            List<PhaseReady> ready = events(Topics.PHASE_READY, id);
            List<AgentResult> results = events(Topics.AGENT_RESULT, id);
            assertThat(results).hasSize(5).allMatch(AgentResult::getSuccess);
            // within one execution the sequential tier kept its order: each phase dispatched after the last ended
            for (int i = 1; i < 3; i++) {
                int phase = i;
                long ended = results.stream().filter(r -> r.getPhaseId() == phase).findFirst().orElseThrow().getEndedAt().toEpochMilli();
                long next = ready.stream().filter(r -> r.getPhaseId() == phase + 1).findFirst().orElseThrow().getReadyAt().toEpochMilli();
                assertThat(next).as("%s: phase %d dispatched after phase %d ended", id, phase + 1, phase).isGreaterThanOrEqualTo(ended);
            }
        }
    }

    @Test
    void anApprovalGateWaitsForItsApproval() throws Exception {
        TestProject p = new TestProject(env.root, "approval").tier("t", "sequential", 1, 2);
        p.phase(1, "@doc");
        p.phase(2, "@devops").put("approval", true);
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(2, "waiting_for_approval"), WAIT, "approval wait");
        Thread.sleep(1000);
        assertThat(api.state(id).json().path("phases").path("2").path("status").asText()).isEqualTo("waiting_for_approval");
        assertAlerted(id, "waiting_for_approval", "INFO", 2);
        assertThat(api.command(id, command("APPROVE", 1)).status()).isEqualTo(409);
        assertThat(api.command(id, command("APPROVE", 2)).status()).isEqualTo(202);
        await(api, id, execution("completed"), WAIT, "completion after approval");
        assertThat(Files.readString(p.dir.resolve("tee-output/execution-log.json"))).contains("APPROVE phase 2 by api-token");
        // the audit trail paged three entries at a time is the whole trail, in order
        List<Long> paged = new java.util.ArrayList<>();
        Long from = 1L;
        while (from != null) {
            JsonNode page = api.log(id, from, 3).json();
            assertThat(page.path("entries").size()).isBetween(1, 3);
            page.path("entries").forEach(e -> paged.add(e.path("seq").asLong()));
            from = page.hasNonNull("next_from") ? page.path("next_from").asLong() : null;
        }
        List<Long> whole = new java.util.ArrayList<>();
        api.log(id).json().path("entries").forEach(e -> whole.add(e.path("seq").asLong()));
        assertThat(paged).isEqualTo(whole).hasSizeGreaterThan(6).startsWith(1L);
    }

    @Test
    void pauseStopsNewPhasesAndResumeGoesOn() throws Exception {
        TestProject p = new TestProject(env.root, "pause").tier("t", "sequential", 1, 2, 3);
        // long enough that the pause (seen running, then posted, then read by the scheduler) lands while it runs
        p.phase(1, "@unhurried");
        p.phase(2, "@qa");
        p.phase(3, "@qa");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "in_progress"), WAIT, "phase 1 running");
        assertThat(api.command(id, command("PAUSE", null)).status()).isEqualTo(202);
        await(api, id, phaseIs(1, "completed").and(execution("paused")), WAIT, "phase 1 done while paused");
        Thread.sleep(1500);
        assertThat(api.state(id).json().path("phases").path("2").path("status").asText()).isEqualTo("pending");
        assertThat(api.command(id, command("RESUME", null)).status()).isEqualTo(202);
        await(api, id, execution("completed"), WAIT, "completion after resume");
    }

    @Test
    void cancelStopsTheRunningAgent() throws Exception {
        TestProject p = new TestProject(env.root, "cancel").tier("t", "parallel", 1, 2);
        p.phase(1, "@slow");
        p.phase(2, "@slow");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "in_progress").and(phaseIs(2, "in_progress")), WAIT, "agents running");
        assertThat(api.command(id, command("CANCEL", null)).status()).isEqualTo(202);
        JsonNode s = await(api, id, execution("cancelled"), WAIT, "cancellation");
        assertThat(s.path("phases").path("1").path("status").asText()).isEqualTo("cancelled");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agentsOf(id) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(agentsOf(id)).as("agent processes of the cancelled execution").isZero();
        assertThat(api.command(id, command("RESUME", null)).status()).isEqualTo(409);
    }

    /** Adds an output with a contract to a phase. */
    static final class ObjectNodeHolder {
        static com.fasterxml.jackson.databind.node.ObjectNode out(com.fasterxml.jackson.databind.node.ObjectNode phase,
                String artifact, String contract) {
            phase.putArray("outputs").addObject().put("artifact", artifact).put("contract", contract);
            return phase;
        }
    }

    private static long agentsOf(String executionId) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains("workspaces/" + executionId))
                .count();
    }

    @Test
    void aTimeoutFailsTheAttempt() throws Exception {
        TestProject p = new TestProject(env.root, "timeout").tier("t", "sequential", 1);
        p.phase(1, "@slow").put("timeout_minutes", 0.03).putObject("retry").put("max_retries", 0);
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("waiting_for_intervention"), WAIT, "timeout");
        assertThat(s.path("phases").path("1").path("last_error").asText()).contains("timed out after");
        assertAlerted(id, "attempt_timed_out", "WARNING", 1);
        assertAlerted(id, "retries_exhausted", "CRITICAL", 1);
    }

    @Test
    void anExecutionSlowerThanItsTasksEstimatesRaisesOneAlertAndStillCompletes() throws Exception {
        TestProject p = new TestProject(env.root, "estimate").tier("t", "sequential", 1, 2);
        for (int phase : new int[] {1, 2}) {
            p.phase(phase, "@unhurried").putArray("tasks").addObject().put("id", "T" + phase).put("title", "a quick one")
                    .put("estimate_minutes", 0.01); // 0.6 s each; the agent takes 3 s
        }
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, execution("completed"), WAIT, "completion");
        List<Alert> behind = events(Topics.ALERTS, id).stream().filter(a -> a.getKind().equals("execution_behind_estimate")).toList();
        assertThat(behind).as("once per execution").singleElement().satisfies(a -> {
            assertThat(a.getSeverity().toString()).isEqualTo("WARNING");
            assertThat(a.getPhaseId()).isNull();
            assertThat(a.getMessage()).startsWith("execution behind its estimate: ")
                    .contains("since it started, and the tasks' estimate_minutes add up to ");
        });
        assertWebhookGot(id, "execution_behind_estimate");
    }

    /** The scheduler raised one alert of this kind for the phase, and the monitor posted it to the webhook. */
    private static void assertAlerted(String id, String kind, String severity, int phaseId) throws InterruptedException {
        List<Alert> alerts = events(Topics.ALERTS, id).stream().filter(a -> a.getKind().equals(kind)).toList();
        assertThat(alerts).as(kind + " alerts of " + id).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getSeverity().toString()).isEqualTo(severity);
            assertThat(a.getPhaseId()).isEqualTo(phaseId);
            assertThat(a.getMessage()).isNotBlank();
        });
        assertWebhookGot(id, kind);
    }

    private static void assertWebhookGot(String id, String kind) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (posted.stream().noneMatch(a -> id.equals(a.path("execution_id").asText()) && kind.equals(a.path("kind").asText()))) {
            assertThat(System.nanoTime()).as("the webhook got " + kind + " of " + id + "; it got " + posted).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void aDuplicateResultIsIgnored() throws Exception {
        TestProject p = new TestProject(env.root, "duplicate").tier("t", "sequential", 1, 2);
        p.phase(1, "@doc");
        p.phase(2, "@qa");
        Api api = env.api();
        String id = p.submit(api);
        JsonNode before = await(api, id, execution("completed"), WAIT, "completion");
        AgentResult first = events(Topics.AGENT_RESULT, id).stream().filter(r -> r.getPhaseId() == 1).findFirst().orElseThrow();
        Events.publish(env.broker.bootstrapServers(), Topics.AGENT_RESULT, id, first);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events(Topics.HANDOFF_VALIDATED, id).stream().filter(h -> h.getPhaseId() == 1).count() < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
        assertThat(events(Topics.HANDOFF_VALIDATED, id)).filteredOn(h -> h.getPhaseId() == 1).hasSize(2);
        Thread.sleep(1000);
        JsonNode after = api.state(id).json();
        assertThat(after.path("phases")).isEqualTo(before.path("phases"));
        assertThat(events(Topics.PHASE_READY, id)).hasSize(2);
        assertThat(Files.readString(env.stack.logFile("phase-scheduler"))).contains("duplicate result of phase 1 attempt 1");
    }
}
