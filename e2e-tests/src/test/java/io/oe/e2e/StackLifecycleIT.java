package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.cli.Api;
import io.oe.cli.OeCli;
import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local stack keeps its users' work, driven through the `oe` commands as a user would: an execution interrupted
 * by `oe down`, by a SIGKILL of the whole standalone stack, or by the loss of one service of the separate stack
 * continues when `oe up` brings the stack back, every phase ran once (an interrupted one at most twice, and its
 * attempt history says why); finished executions and their audit trails are still there; and `oe reset`, the only
 * command that deletes data, asks first. The tests run in order on one stack's data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackLifecycleIT {
    static E2eStack env;
    static final Duration WAIT = Duration.ofSeconds(180);
    /** Executions finished by an earlier test, with the length of their audit trail then. */
    static final Map<String, Integer> finished = new LinkedHashMap<>();

    @BeforeAll
    static void startStack() {
        env = E2eStack.standalone("StackLifecycleIT", (root, options) -> options
                .runnersFile(new TestRunners().profile("slow", Map.of("OE_DEMO_DELAY_MS", "2500")).agent("*", "slow")
                        .write(root.resolve("runners.json")))
                .env("OE_HEARTBEAT_TIMEOUT", "5s"));
    }

    @AfterAll
    static void stopStack() {
        StackInfo.read(env.stack.stackDir()).ifPresent(s -> LocalStack.stop(s, Duration.ofSeconds(30)));
    }

    /** `oe COMMAND ARGS... --data <this stack>`; its exit code. */
    static int oe(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--data");
        all.add(2, env.stack.stackDir().toString());
        System.out.println("[e2e] StackLifecycleIT: oe " + String.join(" ", args));
        return OeCli.run(all.toArray(String[]::new));
    }

    static StackInfo recorded() {
        return StackInfo.read(env.stack.stackDir()).orElseThrow();
    }

    /** The API of the stack as recorded now (its token and addresses survive restarts). */
    static Api api() {
        StackInfo s = recorded();
        return new Api(s.url("plan-loader"), s.url("monitor-service"), env.token());
    }

    static TestProject chain(String name, int phases) {
        TestProject p = new TestProject(env.root, name).tier("all", "sequential", IntStream.rangeClosed(1, phases).toArray());
        for (int i = 1; i <= phases; i++) {
            p.phase(i, "@worker");
        }
        p.engineConfig = "{\"max_concurrent_phases\": 2, \"retry_policy\": {\"max_retries\": 2, \"backoff_seconds\": 0.2}}";
        return p;
    }

    /** The phase running now, once one does. */
    static int runningPhase(Api api, String id) throws InterruptedException {
        JsonNode s = await(api, id, st -> phaseIn(st, "in_progress") > 0, WAIT, "a phase in progress");
        return phaseIn(s, "in_progress");
    }

    private static int phaseIn(JsonNode state, String status) {
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) state.path("phases")::fields) {
            if (status.equals(e.getValue().path("status").asText())) {
                return Integer.parseInt(e.getKey());
            }
        }
        return 0;
    }

    /** Every phase ran to success exactly once; {@code interrupted} at most twice, its first attempt's error {@code why}. */
    static void everyPhaseRanOnce(Api api, String id, int phases, int interrupted, String why) throws InterruptedException {
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion after the restart");
        var runs = AgentRuns.of(recorded().bootstrapServers, id, IntStream.rangeClosed(1, phases).boxed().toList());
        assertThat(runs.lost()).as("phases lost").isEmpty();
        assertThat(runs.twice()).as("phases completed twice (%s)", runs.twiceExplained()).isEmpty();
        runs.byPhase().forEach((phase, results) -> assertThat(results).as("runs of phase %d", phase).hasSizeLessThanOrEqualTo(2));
        JsonNode history = s.path("phases").path(String.valueOf(interrupted)).path("attempt_history");
        System.out.println("[e2e] StackLifecycleIT: phase " + interrupted + " attempts " + history);
        assertThat(history.size()).as("attempts of the interrupted phase %d", interrupted).isBetween(1, 2);
        if (history.size() == 2) {
            assertThat(history.get(0).path("error").asText()).as("why attempt 1 of phase %d ended", interrupted).contains(why);
        }
    }

    @Test
    @Order(1)
    void anExecutionInterruptedByOeDownContinuesAfterOeUpAndFinishedOnesKeepTheirAuditTrail() throws Exception {
        Api api = api();
        String done = chain("finished-before", 1).submit(api);
        await(api, done, execution("completed"), WAIT, "the first execution");
        finished.put(done, api.log(done).json().path("entries").size());

        String id = chain("down-up", 5).submit(api);
        int phase = runningPhase(api, id);
        assertThat(oe("down")).isZero();
        assertThat(recorded().anyAlive()).as("nothing of the stack runs after oe down").isFalse();
        assertThat(oe("up")).isZero();
        everyPhaseRanOnce(api(), id, 5, phase, "interrupted: the agent-gateway");
        assertFinishedOnesAreThere();
    }

    @Test
    @Order(2)
    void anExecutionInterruptedByASigkillOfTheWholeStackContinuesAfterOeUp() throws Exception {
        Api api = api();
        String id = chain("sigkill", 5).submit(api);
        int phase = runningPhase(api, id);
        kill(recorded().services.get(LocalStack.STANDALONE));
        System.out.println("[e2e] StackLifecycleIT: the standalone process SIGKILLed while phase " + phase + " ran");
        assertThat(oe("up")).isZero();
        everyPhaseRanOnce(api(), id, 5, phase, "no heartbeat");
        finished.put(id, api().log(id).json().path("entries").size());
        assertFinishedOnesAreThere();
    }

    @Test
    @Order(3)
    void aServiceKilledInTheSeparateStackIsStartedAloneByOeUpAndOeRestartRestartsOneService() throws Exception {
        assertThat(oe("up", "--services", "separate")).isZero();
        assertFinishedOnesAreThere();
        Api api = api();
        String id = chain("one-service", 6).submit(api);
        int phase = runningPhase(api, id);
        StackInfo before = recorded();
        kill(before.services.get("agent-gateway"));
        System.out.println("[e2e] StackLifecycleIT: agent-gateway SIGKILLed while phase " + phase + " ran");
        assertThat(oe("ps")).as("oe ps: a service is gone").isNotZero();
        assertThat(stderrOf("status", "--execution-id", id)).as("oe status warns")
                .contains("oe status: warning: agent-gateway is not running");
        assertThat(oe("up")).isZero();
        StackInfo after = recorded();
        after.services.forEach((name, p) -> {
            if (!name.equals("agent-gateway")) {
                assertThat(p.pid).as("%s was left alone", name).isEqualTo(before.services.get(name).pid);
            }
        });
        assertThat(after.services.get("agent-gateway").pid).isNotEqualTo(before.services.get("agent-gateway").pid);
        assertThat(after.broker.pid).isEqualTo(before.broker.pid);

        await(api, id, st -> phaseIn(st, "in_progress") > phase, WAIT, "a later phase in progress");
        assertThat(oe("restart", "phase-scheduler")).isZero();
        assertThat(recorded().services.get("phase-scheduler").pid).isNotEqualTo(before.services.get("phase-scheduler").pid);
        everyPhaseRanOnce(api, id, 6, phase, "no heartbeat");
        assertThat(oe("ps")).as("every service ready").isZero();

        // another runner configuration restarts the three services that read it (the scheduler: its limits across
        // executions), and nothing else
        StackInfo unchanged = recorded();
        Path runners = env.root.resolve("runners-changed.json");
        Files.copy(Path.of(unchanged.runnersFile), runners);
        assertThat(oe("up", "--runners", runners.toString())).isZero();
        Set<String> readTheRunners = Set.of("agent-gateway", "plan-loader", "phase-scheduler");
        recorded().services.forEach((name, p) -> assertThat(p.pid != unchanged.services.get(name).pid)
                .as("%s restarted after the runners changed", name).isEqualTo(readTheRunners.contains(name)));
        assertThat(recorded().runnersFile).isEqualTo(runners.toString());
        assertFinishedOnesAreThere();
        String next = chain("after-runners-change", 2).submit(api());
        await(api(), next, execution("completed"), WAIT, "an execution after the runners changed");
    }

    @Test
    @Order(4)
    void resetIsTheOnlyCommandThatDeletesDataAndItAsksFirst() throws Exception {
        Path kafka = env.stack.stackDir().resolve("kafka");
        assertThat(kafka).isDirectory();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("no\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(oe("reset")).as("answered no").isEqualTo(2);
            assertThat(kafka).isDirectory();
            assertThat(recorded().anyAlive()).as("a refused reset stops nothing").isTrue();
            assertFinishedOnesAreThere();

            System.setIn(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(oe("reset")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(kafka).doesNotExist();
        assertThat(env.stack.stackDir().resolve("state")).doesNotExist();
        assertThat(StackInfo.read(env.stack.stackDir())).isEmpty();
        assertThat(Files.isDirectory(env.root.resolve("down-up/tee-output"))).as("the projects' own files stay").isTrue();
    }

    /** What {@code oe ARGS...} printed on stderr (it must succeed). */
    static String stderrOf(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(oe(args)).isZero();
        } finally {
            System.setErr(err);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.err.print(out);
        return out;
    }

    /** SIGKILL, and wait until it is gone. */
    static void kill(StackInfo.Proc process) throws Exception {
        ProcessHandle h = process.handle().orElseThrow();
        h.destroyForcibly();
        h.onExit().get();
    }

    /** The executions finished before are still known, with their whole audit trail. */
    static void assertFinishedOnesAreThere() {
        Api api = api();
        finished.forEach((id, entries) -> {
            Api.Response state = api.state(id);
            assertThat(state.status()).as("execution %s after the restart", id).isEqualTo(200);
            assertThat(state.json().path("status").asText()).isEqualTo("completed");
            assertThat(api.log(id).json().path("entries").size()).as("audit trail of %s", id).isEqualTo(entries);
        });
    }
}
