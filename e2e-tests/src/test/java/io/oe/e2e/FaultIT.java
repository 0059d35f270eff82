package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.events.AgentResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Services killed with SIGKILL in the middle of an execution: it still finishes, no phase lost or completed twice. */
class FaultIT {
    static E2eStack env;
    static final Duration WAIT = Duration.ofSeconds(120);

    /** A fault round's gate: its last phase's agent runs until this file (under the stack's root) exists. */
    private static final String RELEASE = "fault-round-release";

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("FaultIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> {
            {
                Path runners = new TestRunners()
                        .profile("demo", Map.of("OE_DEMO_DELAY_MS", "300"))
                        .profile("flaky", Map.of("OE_DEMO_DELAY_MS", "300", "OE_DEMO_FAIL_ATTEMPTS", "1"))
                        .profile("slowish", Map.of("OE_DEMO_DELAY_MS", "8000"))
                        .profile("steady", Map.of("OE_DEMO_DELAY_MS", "5000"))
                        // the last phase of a fault round runs until the round's faults are all in: however slowly
                        // the services come back on a loaded machine, the plan cannot end before its sixth fault
                        .profile("gated", Map.of("OE_DEMO_DELAY_MS", "1000", "OE_DEMO_WAIT_FOR", root.resolve(RELEASE).toString()))
                        .agent("@flaky", "flaky").agent("@slowish", "slowish").agent("@steady", "steady").agent("@gated", "gated")
                        .agent("*", "demo")
                        .write(root.resolve("runners.json"));
                options.runnersFile(runners).env("OE_HEARTBEAT_TIMEOUT", "4s");
            }
        });
        // A service started without its build's class-data archive writes one as it exits: seconds of work on a loaded
        // machine, once per build. Restarted once here, so that the SIGTERMs below time each service's own shutdown.
        env.stack.classDataRecorded().stream().filter(LocalStack.SERVICES::containsKey).forEach(env.stack::restart);
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    private static Map<Integer, List<AgentResult>> resultsByPhase(String id) {
        return AgentRuns.of(env.broker.bootstrapServers(), id, List.of()).byPhase();
    }

    @Test
    void theSchedulerKilledDuringABackoffResumesAndEveryPhaseCompletesOnce() throws Exception {
        TestProject p = new TestProject(env.root, "kill-scheduler").tier("prep", "sequential", 1, 2)
                .tier("build", "parallel", 3, 4, 5, 6).tier("ship", "sequential", 7);
        p.phase(1, "@doc");
        p.phase(2, "@flaky").putObject("retry").put("max_retries", 2).put("backoff_seconds", 4);
        for (int i = 3; i <= 7; i++) {
            p.phase(i, "@doc");
        }
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, s -> s.path("phases").path("2").path("attempts").asInt() == 1
                && "pending".equals(s.path("phases").path("2").path("status").asText()), WAIT, "phase 2 in backoff");
        long t0 = System.nanoTime();
        env.stack.kill("phase-scheduler");
        System.out.println("[e2e] FaultIT: phase-scheduler SIGKILLed during phase 2's backoff");
        env.stack.startAgain("phase-scheduler");
        System.out.printf("[e2e] FaultIT: phase-scheduler back in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion after the scheduler restart");
        assertThat(s.path("phases").path("2").path("attempts").asInt()).isEqualTo(2);
        var results = resultsByPhase(id);
        assertThat(results.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        results.forEach((phase, rs) -> assertThat(rs.stream().filter(AgentResult::getSuccess).count())
                .as("successful runs of phase %d", phase).isEqualTo(1));
        assertThat(results.get(2)).hasSize(2);
    }

    @Test
    void aGatewayKilledMidAgentIsDetectedByMissedHeartbeatsAndTheAttemptRunsAgain() throws Exception {
        TestProject p = new TestProject(env.root, "kill-gateway").tier("t", "sequential", 1, 2);
        p.phase(1, "@slowish").putObject("retry").put("max_retries", 2).put("backoff_seconds", 0);
        p.phase(2, "@doc");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "in_progress"), WAIT, "phase 1 running");
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        env.stack.kill("agent-gateway");
        System.out.println("[e2e] FaultIT: agent-gateway SIGKILLed while phase 1's agent runs");
        await(api, id, s -> s.path("phases").path("1").path("attempts").asInt() == 2, WAIT, "heartbeat loss detected");
        System.out.printf("[e2e] FaultIT: lost attempt detected and retried %.1f s after the kill%n", (System.nanoTime() - t0) / 1e9);
        env.stack.startAgain("agent-gateway");
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion after the gateway restart");
        assertThat(s.path("phases").path("1").path("attempts").asInt()).isEqualTo(2);
        String log = Files.readString(p.dir.resolve("tee-output/execution-log.json"));
        assertThat(log).contains("no heartbeat from");
        assertThat(env.events(io.oe.schemas.Topics.ALERTS, id)).filteredOn(a -> a.getKind().equals("heartbeat_lost"))
                .singleElement().satisfies(a -> {
                    assertThat(a.getPhaseId()).isEqualTo(1);
                    assertThat(a.getSeverity().toString()).isEqualTo("WARNING");
                    assertThat(a.getMessage()).contains("no heartbeat from");
                });
        var results = resultsByPhase(id);
        assertThat(results.get(1)).singleElement().satisfies(r -> assertThat(r.getAttempt()).isEqualTo(2));
        assertThat(results.get(2)).hasSize(1);
    }

    @Test
    void everyServiceKilledInTurnMidRunLosesNoPhaseAndCompletesNoneTwice() throws Exception {
        everyServiceInTurn("kill-each", "SIGKILLed", service -> env.stack.kill(service));
    }

    /**
     * Graceful shutdown: SIGTERM to each service's own process in turn, mid-run, as Kubernetes sends it. Each must exit
     * by itself within 15 s and leave no process behind (the gateway stops its agents' trees), and the execution still
     * finishes with every phase completed exactly once.
     */
    @Test
    void everyServiceStoppedWithSigtermInTurnExitsCleanlyAndLosesNothing() throws Exception {
        Map<String, List<ProcessHandle>> leftBehind = new java.util.LinkedHashMap<>();
        everyServiceInTurn("term-each", "stopped with SIGTERM", service -> {
            long t0 = System.nanoTime();
            List<ProcessHandle> left = env.stack.terminate(service, Duration.ofSeconds(15));
            System.out.printf("[e2e] FaultIT: %s exited %s in %d ms%n", service, left.isEmpty() ? "cleanly" : "NOT cleanly (" + left.size()
                    + " processes left)", (System.nanoTime() - t0) / 1_000_000);
            leftBehind.put(service, left);
        });
        leftBehind.forEach((service, left) -> assertThat(left).as("processes of %s alive 15 s after its SIGTERM", service).isEmpty());
    }

    /**
     * The short form (part of ./mvnw verify) runs one round; the long form runs more on demand:
     * {@code -Doe.fault.rounds=5} (later rounds take the services in a shuffled order). Every round waits a random
     * 0–2 s after an agent is seen running before each fault; {@code -Doe.fault.seed} repeats a run's moments.
     */
    private void everyServiceInTurn(String name, String how, java.util.function.Consumer<String> fault) throws Exception {
        int rounds = Integer.getInteger("oe.fault.rounds", 1);
        long seed = Long.getLong("oe.fault.seed", System.nanoTime());
        java.util.Random random = new java.util.Random(seed);
        System.out.printf("[e2e] FaultIT %s: %d round(s), seed %d%n", name, rounds, seed);
        long runs = 0;
        int faults = 0;
        for (int round = 1; round <= rounds; round++) {
            int[] figures = oneRound(name + "-" + round, how, fault, random, round > 1);
            runs += figures[0];
            faults += figures[1];
        }
        if (rounds > 1) {
            System.out.printf("[e2e] FaultIT long form (%s): %d rounds, agent runs %d for %d phases to run, faults injected %d,"
                    + " phases lost 0, phases completed twice 0%n", how, rounds, runs, 11 * rounds, faults);
        }
    }

    /** One execution with a fault per service; returns {agent runs, faults injected}. */
    private int[] oneRound(String name, String how, java.util.function.Consumer<String> fault, java.util.Random random,
            boolean shuffle) throws Exception {
        TestProject p = new TestProject(env.root, name).tier("prep", "sequential", 1, 2)
                .tier("optional", "conditional", 3, 4).tier("build", "parallel", 5, 6, 7, 8)
                .tier("ship", "sequential", 9, 10, 11, 12); // 12 waits for the round's faults (RELEASE)
        for (int i = 1; i <= 12; i++) {
            p.phase(i, i == 12 ? "@gated" : "@steady").putObject("retry").put("max_retries", 3).put("backoff_seconds", 0.5);
        }
        Path release = env.root.resolve(RELEASE);
        Files.deleteIfExists(release);
        p.plan.withArray("phases").forEach(ph -> {
            if (ph.path("id").asInt() == 4) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) ph).put("condition", "project.project_name == 'another'");
            }
        });
        p.engineConfig = "{\"max_concurrent_phases\": 4}";
        Api api = env.api();
        String id = p.submit(api);
        List<String> order = new java.util.ArrayList<>(List.of("handoff-service", "state-projector", "monitor-service",
                "plan-loader", "phase-scheduler", "agent-gateway"));
        if (shuffle) {
            java.util.Collections.shuffle(order, random);
        }
        int faults = 0;
        for (String service : order) {
            await(api, id, s -> s.path("phases").findValuesAsText("status").contains("in_progress")
                    || "completed".equals(s.path("status").asText()), WAIT, "an agent running");
            long delay = random.nextInt(2000);
            Thread.sleep(delay);
            if ("completed".equals(api.state(id).json().path("status").asText())) {
                break;
            }
            fault.accept(service);
            faults++;
            System.out.printf("[e2e] FaultIT: %s %s mid-run, %d ms after an agent was seen running (fault %d)%n", service,
                    how, delay, faults);
            env.stack.startAgain(service);
        }
        Files.writeString(release, "the round's faults are in\n");
        JsonNode s = await(api, id, execution("completed"), Duration.ofSeconds(240), "completion after every fault");

        List<Integer> toRun = List.of(1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12);
        AgentRuns runs = AgentRuns.of(env.broker.bootstrapServers(), id, toRun);
        for (int phase : toRun) {
            assertThat(s.path("phases").path(String.valueOf(phase)).path("status").asText()).isEqualTo("completed");
        }
        assertThat(runs.byPhase()).doesNotContainKey(4);
        assertThat(s.path("phases").path("4").path("status").asText()).isEqualTo("skipped");
        System.out.printf("[e2e] FaultIT figures (%s): agent runs %d for 11 phases to run, faults injected %d, phases lost %d, "
                + "phases completed twice %d%n", how, runs.runs(), faults, runs.lost().size(), runs.twice().size());
        assertThat(faults).as("faults injected while the plan ran").isEqualTo(order.size());
        assertThat(runs.lost()).as("phases lost").isEmpty();
        assertThat(runs.twice()).as("phases completed twice (%s)", runs.twiceExplained()).isEmpty();
        return new int[] {(int) runs.runs(), faults};
    }
}
