package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.agent.RunnerConfig;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.StoredArtifact;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.ProgressKind;
import io.oe.events.TaskSpec;
import io.oe.events.Transform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: shell-script agents run through the same runner the gateway uses. */
class AttemptRunnerTest {
    @TempDir
    Path root;
    Path project;
    final List<AgentProgress> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
    }

    private AttemptRunner runner(String script) throws Exception {
        Path agent = root.resolve("agent.sh");
        Files.writeString(agent, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        var config = new RunnerConfig(Map.of("script", new RunnerConfig.Profile("test", List.of(agent.toString(), "{phase_file}",
                "{agent}"), Map.of("GREETING", "hello {agent}", "OPENAI_API_KEY", "sk-test-0123456789abcdef"), List.of("PATH"),
                "{workspace}")), Map.of("*", "script"));
        assertThat(config.problems()).isEmpty();
        return new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20);
    }

    private PhaseReady phase(String name, long timeoutMs, List<ArtifactRef> inputs, String... outputs) {
        return PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName(name).setAgent("@doc").setAttempt(1)
                .setProjectDir(project.toString()).setProjectName("P").setReadyAt(Instant.now())
                .setAgentDefinition("---\nname: doc\nmodel: gpt-4.1\n---\nWrite the docs.")
                .setTasks(List.of(new TaskSpec("T1", "first"), new TaskSpec("T2", "$(touch /tmp/pwned) `id`; rm -rf / \n next")))
                .setInputs(inputs)
                .setOutputs(java.util.Arrays.stream(outputs).map(o -> new OutputSpec(o, null, "{\"type\": \"object\"}", List.of(), Map.of(), List.of()))
                        .toList())
                .setTimeoutMs(timeoutMs).setHeartbeatIntervalMs(100).build();
    }

    @Test
    void aDryRunStartsNoAgentAndWritesSampleOutputsThatSatisfyTheirContracts() throws Exception {
        Path marker = root.resolve("agent-ran");
        var r = runner("touch '" + marker + "'");
        String contract = "{\"type\": \"object\", \"required\": [\"produced_by\", \"items\"], \"properties\": {"
                + "\"produced_by\": {\"type\": \"string\", \"pattern\": \"^@\"}, \"items\": {\"type\": \"array\", \"minItems\": 3}}}";
        PhaseReady ready = PhaseReady.newBuilder(phase("Docs", 10_000, List.of())).setDryRun(true)
                .setOutputs(List.of(new OutputSpec("out.json", "contracts/out.schema.json", contract, List.of(), Map.of(), List.of()),
                        new OutputSpec("notes.md", null, null, List.of(), Map.of(), List.of())))
                .build();
        var result = r.run(ready, events::add, events::add);
        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        assertThat(marker).as("the agent's command never ran").doesNotExist();
        Path ws = Path.of(result.getWorkspaceDir());
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ws.resolve("outputs/out.json").toFile());
        assertThat(new io.oe.core.contract.ContractValidator().validate("out.json", contract, doc)).isEmpty();
        assertThat(doc.get("produced_by").asText()).isEqualTo("@doc");
        assertThat(Files.readString(ws.resolve("outputs/notes.md"))).startsWith("# Docs").contains("- T1: first");
        assertThat(events.get(0).getKind()).isEqualTo(ProgressKind.STARTED);
        assertThat(events.get(0).getMessage()).isEqualTo("dry run: agent @doc not started; the gateway writes sample outputs");
        assertThat(events).filteredOn(e -> e.getKind() == ProgressKind.TASK_COMPLETED).extracting(AgentProgress::getTaskId)
                .containsExactly("T1", "T2");
        assertThat(result.getUsage()).isEmpty();
    }

    @Test
    void anAgentGetsItsContractWritesOutputsAndReportsProgressInOrder() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact in = store.put("req.json", Files.writeString(root.resolve("req.json"), "{\"r\": 1}"));
        var r = runner("""
                test -f "$OE_INPUTS_DIR/req.json" || { echo "no input" >&2; exit 3; }
                echo "::task-started T1::"; echo "::progress task=T1 percent=50::"; echo "::task-completed T1::"
                echo "::progress task=T2 percent=100::"
                echo "{\\"argv1\\": \\"$1\\", \\"agent\\": \\"$2\\", \\"greeting\\": \\"$GREETING\\"}" > "$OE_OUTPUTS_DIR/out.json"
                sleep 0.3
                """);
        PhaseReady ready = PhaseReady.newBuilder(phase("Docs", 10_000, List.of(new ArtifactRef("req.json", 1, in.location(),
                in.sha256(), in.size(), true, null)), "out.json")).setInputContracts(Map.of("req.json", "{\"required\": [\"r\"]}")).build();
        var result = r.run(ready, events::add, events::add);
        assertThat(result.getSuccess()).as(result.getError() + " / " + result.getStderrTail()).isTrue();
        Path ws = Path.of(result.getWorkspaceDir());
        assertThat(ws).isEqualTo(project.resolve("tee-output/workspaces/e1/3/1"));
        assertThat(Files.readString(ws.resolve("outputs/out.json")))
                .contains("\"argv1\": \"" + ws.resolve("phase.json") + "\"", "\"agent\": \"doc\"", "\"greeting\": \"hello doc\"");
        assertThat(events.get(0).getKind()).isEqualTo(ProgressKind.STARTED);
        assertThat(events).filteredOn(e -> e.getKind() != ProgressKind.HEARTBEAT && e.getKind() != ProgressKind.STARTED)
                .extracting(AgentProgress::getKind, AgentProgress::getTaskId, AgentProgress::getPercent)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_STARTED, "T1", 0),
                        org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_PROGRESS, "T1", 50),
                        org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_COMPLETED, "T1", 100),
                        org.assertj.core.groups.Tuple.tuple(ProgressKind.TASK_PROGRESS, "T2", 100));
        assertThat(events).anyMatch(e -> e.getKind() == ProgressKind.HEARTBEAT);
        String prompt = Files.readString(ws.resolve("prompt.md"));
        assertThat(Files.readString(ws.resolve("contracts/req.schema.json"))).isEqualTo("{\"required\": [\"r\"]}");
        assertThat(prompt).contains("`inputs/req.json` from phase 1", "satisfies the contract in `contracts/req.schema.json`");
        assertThat(prompt).contains("Write the docs.").contains("$(touch /tmp/pwned) `id`; rm -rf /   next");
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void aConvertedInputIsNamedWithWhatItWasConvertedFromInThePromptAndPhaseFile() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact in = store.put("design.json", Files.writeString(root.resolve("design.json"), "{\"region\": \"eu\"}"));
        var converted = new ArtifactRef("design.json", 9, in.location(), in.sha256(), in.size(), true,
                new Transform("design.yaml", "yaml", "json"));
        var result = runner("exit 0").run(phase("Docs", 10_000, List.of(converted)), events::add, events::add);
        Path ws = Path.of(result.getWorkspaceDir());
        assertThat(ws.resolve("inputs/design.json")).hasContent("{\"region\": \"eu\"}");
        assertThat(Files.readString(ws.resolve("prompt.md")))
                .contains("- `inputs/design.json` from phase 9 (its design.yaml, converted from yaml to json) (sha256 ");
        assertThat(Files.readString(ws.resolve("phase.json"))).contains("\"converted_from\" : {", "\"artifact\" : \"design.yaml\"");
    }

    @Test
    void theContractFilesAnOutputContractReferencesAreInTheWorkspaceToo() throws Exception {
        PhaseReady r = PhaseReady.newBuilder(phase("Docs", 10_000, List.of())).setOutputs(List.of(new OutputSpec("design.json",
                "contracts/design.schema.json", "{\"$ref\": \"common.schema.json#/$defs/port\"}", List.of(), Map.of(
                        "contracts/design.schema.json", "{}", "contracts/common.schema.json", "{\"$defs\": {\"port\": {}}}",
                        "contracts/sub/types.schema.json", "{}", "shared/outside.schema.json", "{}"), List.of()))).build();
        var result = runner("exit 0").run(r, events::add, events::add);
        Path contracts = Path.of(result.getWorkspaceDir(), "contracts");
        assertThat(contracts.resolve("design.schema.json")).hasContent("{\"$ref\": \"common.schema.json#/$defs/port\"}");
        assertThat(contracts.resolve("common.schema.json")).hasContent("{\"$defs\": {\"port\": {}}}");
        assertThat(contracts.resolve("sub/types.schema.json")).exists();
        assertThat(Path.of(result.getWorkspaceDir(), "shared")).doesNotExist();
    }

    @Test
    void theAgentGetsItsProfilesModelArgumentAndAModelTheProfileCannotRunIsNotStarted() throws Exception {
        Path agent = Files.writeString(root.resolve("model.sh"), "#!/bin/sh\necho \"$1\" > \"$OE_OUTPUTS_DIR/model.txt\"\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        var cli = new RunnerConfig.Profile("a CLI", List.of(agent.toString(), "{model}"), null, List.of("PATH"), null, null,
                null, Map.of("gpt-4.1", "gpt-4.1-2025-04-14"), null, null);
        var runner = new AttemptRunner(new RunnerConfig(Map.of("cli", cli), Map.of("*", "cli")), root, root.toString(),
                "test-worker", 1 << 20);

        var ran = runner.run(phase("Docs", 10_000, List.of()), events::add, events::add);
        assertThat(Path.of(ran.getWorkspaceDir(), "outputs/model.txt")).hasContent("gpt-4.1-2025-04-14\n");

        events.clear();
        PhaseReady claude = PhaseReady.newBuilder(phase("Docs", 10_000, List.of()))
                .setAgentDefinition("---\nname: doc\nmodel: claude-sonnet-4.5\n---\nWrite the docs.").build();
        var refused = runner.run(claude, events::add, events::add);
        assertThat(refused.getSuccess()).isFalse();
        assertThat(refused.getError()).isEqualTo("agent @doc asks for model 'claude-sonnet-4.5', which runner profile 'cli' "
                + "cannot run (it runs: gpt-4.1)");
        assertThat(events).isEmpty(); // never started
    }

    @Test
    void aFailingAgentReportsItsExitCodeAndOutputTail() throws Exception {
        var result = runner("echo 'something broke' >&2; printf 'bad \\033[31mred\\033[0m\\n'; exit 7")
                .run(phase("Docs", 10_000, List.of()), events::add, events::add);
        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getExitCode()).isEqualTo(7);
        assertThat(result.getError()).isEqualTo("exited with code 7");
        assertThat(result.getStderrTail()).contains("something broke").doesNotContain("\033");
    }

    @Test
    void theAgentGetsItsAgentRunSpanAsTraceparentInItsEnvironment() throws Exception {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var result = runner("echo \"parent=$TRACEPARENT state=$TRACESTATE\"; exit 3").run(phase("Docs", 10_000, List.of()),
                Map.of("traceparent", parent, "tracestate", "oe=1"), events::add, events::add);
        String log = Files.readString(Path.of(result.getWorkspaceDir()).resolve("agent.log"));
        assertThat(log).contains("parent=" + parent + " state=oe=1");
    }

    @Test
    void withoutTracesTheAgentGetsNoTraceparent() throws Exception {
        var result = runner("echo \"parent=${TRACEPARENT-unset}\"; exit 3").run(phase("Docs", 10_000, List.of()), events::add,
                events::add);
        assertThat(Files.readString(Path.of(result.getWorkspaceDir()).resolve("agent.log"))).contains("parent=unset");
    }

    @Test
    void aSecretTheAgentPrintsIsRedactedFromItsLogAndItsFailure() throws Exception {
        var result = runner("echo \"using key $OPENAI_API_KEY\"; echo \"auth failed for $OPENAI_API_KEY\" >&2; echo \"$GREETING\"; exit 1")
                .run(phase("Docs", 10_000, List.of()), events::add, events::add);
        assertThat(result.getStderrTail()).contains("auth failed for [OPENAI_API_KEY redacted]").doesNotContain("sk-test");
        String log = Files.readString(Path.of(result.getWorkspaceDir()).resolve("agent.log"));
        assertThat(log).contains("using key [OPENAI_API_KEY redacted]", "hello doc").doesNotContain("sk-test-0123456789abcdef");
        assertThat(events).allSatisfy(e -> assertThat(String.valueOf(e)).doesNotContain("sk-test"));
    }

    @Test
    void aTimeoutStopsTheWholeProcessTree() throws Exception {
        Path pidFile = root.resolve("grandchild.pid");
        var result = runner("sh -c 'sleep 60 & echo $! > " + pidFile + "; wait' ; sleep 60")
                .run(phase("Docs", 700, List.of()), events::add, events::add);
        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).startsWith("timed out after");
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        Thread.sleep(300);
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).as("grandchild alive").isFalse();
    }

    @Test
    void aTaskThatOverrunsItsTaskTimeoutStopsTheAgent() throws Exception {
        PhaseReady r = PhaseReady.newBuilder(phase("Docs", 30_000, List.of())).setTaskTimeoutMs(600).build();
        long t0 = System.nanoTime();
        var result = runner("echo '::task-started T1::'; echo '::task-completed T1::'; echo '::task-started T2::'; sleep 30")
                .run(r, events::add, events::add);
        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).isEqualTo("task T2 exceeded its task timeout of 600 ms; agent stopped");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void anAlteredInputFailsTheAttemptBeforeTheAgentStarts() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact in = store.put("req.json", Files.writeString(root.resolve("req.json"), "{}"));
        Files.writeString(project.resolve(in.location()), "{\"tampered\": true}");
        var result = runner("exit 0").run(phase("Docs", 10_000,
                List.of(new ArtifactRef("req.json", 1, in.location(), in.sha256(), in.size(), true, null))), events::add, events::add);
        assertThat(result.getSuccess()).isFalse();
        assertThat(result.getError()).contains("checksum mismatch for " + in.location());
        assertThat(events).isEmpty(); // never started
    }

    @Test
    void runnerConfigProblemsAreNamed() {
        var config = new RunnerConfig(Map.of("x", new RunnerConfig.Profile(null, List.of("/no/such/program", "{nope}"), null,
                null, null), "y", new RunnerConfig.Profile(null, List.of("{phase_file}"), null, null, null)),
                Map.of("@a", "z"));
        assertThat(config.hostProblems()).containsExactlyInAnyOrder(
                "profile 'x' uses unknown placeholder {nope} (known: " + RunnerConfig.PLACEHOLDERS + ")",
                "profile 'x': program '/no/such/program' not found or not executable",
                "profile 'y': the program (argv[0]) must be fixed, not a placeholder",
                "agent '@a' maps to unknown profile 'z'");
        var tiny = new RunnerConfig(Map.of("t", new RunnerConfig.Profile(null, List.of("/bin/true"), null, null, null, null,
                new RunnerConfig.Limits(0, 10L, 512L))), Map.of("*", "t"));
        assertThat(tiny.problems()).containsExactly("profile 't': limits.max_runtime_minutes must be positive",
                "profile 't': limits.log_bytes must be at least 1024", "profile 't': limits.output_bytes must be at least 1024");
        assertThat(RunnerConfig.render(List.of("--prompt={prompt_file}", "{agent}"), Map.of("prompt_file", "/w/p.md",
                "agent", "a b; $(x)"))).containsExactly("--prompt=/w/p.md", "a b; $(x)");
    }

    @Test
    void progressLinesAreParsedStrictly() {
        assertThat(ProgressLine.parse("::progress task=TASK_002 percent=65::")).contains(
                new ProgressLine(ProgressLine.Kind.TASK_PROGRESS, "TASK_002", 65));
        assertThat(ProgressLine.parse("::progress task=T percent=101::")).isEmpty();
        assertThat(ProgressLine.parse("::task-started $(x)::")).isEmpty();
        assertThat(ProgressLine.parse("hello")).isEmpty();
    }

    @Test
    void anInProcessNoopProfileAnnouncesItsStartAndSucceedsWithoutAProcess() throws Exception {
        var noop = new RunnerConfig.Profile(null, null, null, null, null, null, null, null, null,
                RunnerConfig.Profile.IN_PROCESS_NOOP);
        var config = new RunnerConfig(Map.of("noop", noop), Map.of("*", "noop"));
        assertThat(config.hostProblems()).isEmpty();
        var runner = new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20);
        List<AgentProgress> started = new CopyOnWriteArrayList<>();
        AgentResult r = runner.run(phase("Noop", 10_000, List.of()), started::add, p -> { });

        assertThat(started).singleElement().satisfies(e -> assertThat(e.getKind()).isEqualTo(ProgressKind.STARTED));
        assertThat(r.getSuccess()).isTrue();
        assertThat(r.getExitCode()).isZero();
        assertThat(Path.of(r.getWorkspaceDir()).resolve("phase.json")).exists(); // the engine's part of the work was done
    }

    @Test
    void aProfileOfAnUnknownKindOrANoopThatWouldRunSomethingIsRefused() {
        var unknown = new RunnerConfig.Profile(null, null, null, null, null, null, null, null, null, "in-process-magic");
        var noopWithArgv = new RunnerConfig.Profile(null, List.of("/bin/true"), null, null, null, null, null, null, null,
                RunnerConfig.Profile.IN_PROCESS_NOOP);
        assertThat(new RunnerConfig(Map.of("x", unknown), Map.of("*", "x")).problems())
                .singleElement().asString().contains("unknown kind 'in-process-magic'");
        assertThat(new RunnerConfig(Map.of("y", noopWithArgv), Map.of("*", "y")).problems())
                .singleElement().asString().contains("runs nothing: no argv, no http");
    }
}
