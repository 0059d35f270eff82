package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.agent.RunnerConfig;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.StoredArtifact;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.PhaseReady;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile agents against the gateway, as real processes run through {@link AttemptRunner}: an agent that replaces its
 * log, or (in attempt 1) the place where attempt 2's workspace, its inputs or a parent of it will be, or a stored input
 * with a link, a FIFO or a hard link. Each time the attempt fails naming the path, and nothing outside the project's
 * workspaces and store is read (a canary's content never appears) or written (no new file outside).
 */
@Timeout(60)
class HostileAgentTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;
    Path project;
    String canary;
    List<String> outsideBefore;
    final List<AgentProgress> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        canary = "CANARY-" + UUID.randomUUID();
        Files.writeString(outside.resolve("secret.txt"), canary);
        outsideBefore = listing(outside);
    }

    /** A runner whose every agent runs {@code script} in its workspace. */
    private AttemptRunner runner(String script) throws Exception {
        Path agent = root.resolve("agent.sh");
        Files.writeString(agent, "#!/bin/sh\nOUTSIDE='" + outside + "'\nPROJECT='" + project + "'\n" + script + "\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        var config = new RunnerConfig(Map.of("script", new RunnerConfig.Profile("test", List.of(agent.toString()), Map.of(),
                List.of("PATH"), "{workspace}")), Map.of("*", "script"));
        return new AttemptRunner(config, root, root.toString(), "test-worker", 1 << 20);
    }

    private PhaseReady attempt(int attempt, List<ArtifactRef> inputs) {
        return PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName("Hostile").setAgent("@hostile")
                .setAttempt(attempt).setProjectDir(project.toString()).setProjectName("P").setReadyAt(Instant.now())
                .setTasks(List.of()).setInputs(inputs).setOutputs(List.of()).setTimeoutMs(20_000).setHeartbeatIntervalMs(100)
                .build();
    }

    private AgentResult run(String script, int attempt, List<ArtifactRef> inputs) throws Exception {
        return runner(script).run(attempt(attempt, inputs), events::add, events::add);
    }

    /** Attempt 1's agent runs {@code script} (and succeeds); what it did outside is its own doing, not the engine's. */
    private void firstAgent(String script) throws Exception {
        AgentResult first = run(script, 1, List.of());
        assertThat(first.getSuccess()).as(first.getError() + " / " + first.getStderrTail()).isTrue();
        outsideBefore = listing(outside);
        events.clear();
    }

    private ArtifactRef storedInput() throws Exception {
        StoredArtifact in = new LocalArtifactStore(project, 1 << 20)
                .put("req.json", Files.writeString(root.resolve("req.json"), canaryFreeInput()));
        return new ArtifactRef("req.json", 1, in.location(), in.sha256(), in.size(), true, null);
    }

    private static String canaryFreeInput() {
        return "{\"r\": 1}";
    }

    /** The attempt failed before its agent started, naming the path; nothing leaked. */
    private void assertNotStarted(AgentResult r, String... message) throws IOException {
        assertThat(r.getSuccess()).isFalse();
        assertThat(r.getError()).startsWith("workspace not prepared, agent not started: ").contains(message);
        assertThat(events).as("no STARTED: the agent never ran").isEmpty();
        assertNothingLeaked(r);
    }

    private void assertNothingLeaked(AgentResult r) throws IOException {
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(outside.resolve("secret.txt")).hasContent(canary);
        assertThat(String.valueOf(r.getError()) + r.getStderrTail()).doesNotContain(canary);
        Path workspaces = project.resolve("tee-output/workspaces"); // where the gateway writes
        if (!Files.isDirectory(workspaces, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(workspaces)) {
            for (Path f : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(canary);
            }
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void anAgentLogReplacedByALinkIsNeitherWrittenThroughNorReadBack() throws Exception {
        var r = run("""
                echo before
                rm agent.log; ln -s "$OUTSIDE/secret.txt" agent.log
                echo after; exit 3
                """, 1, List.of());
        assertThat(r.getSuccess()).isFalse();
        assertThat(r.getError()).isEqualTo("exited with code 3");
        assertThat(r.getStderrTail()).contains("before", "after"); // the gateway's own log, not the name
        assertNothingLeaked(r);
    }

    @Test
    void anAgentLogReplacedByAFifoDoesNotHangTheGateway() throws Exception {
        long t0 = System.nanoTime();
        var r = run("echo before; rm agent.log; mkfifo agent.log; exit 4", 1, List.of());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(r.getError()).isEqualTo("exited with code 4");
        assertThat(r.getStderrTail()).contains("before");
    }

    @Test
    void aNextAttemptsInputsDirectoryMadeALinkByAnEarlierAgentIsRefused() throws Exception {
        ArtifactRef input = storedInput();
        firstAgent("mkdir -p ../2; ln -s \"$OUTSIDE\" ../2/inputs");
        assertNotStarted(run("exit 0", 2, List.of(input)), project.resolve("tee-output/workspaces/e1/3/2/inputs")
                + " is a symbolic link (to " + outside + "), not a directory; nothing is read or written through a link");
    }

    @Test
    void aNextAttemptsWorkspaceMadeARelativeLinkByAnEarlierAgentIsRefused() throws Exception {
        firstAgent("ln -s \"../../../../../../" + outside.getFileName() + "\" ../2");
        assertNotStarted(run("exit 0", 2, List.of()), project.resolve("tee-output/workspaces/e1/3/2")
                + " is a symbolic link (to ../../../../../../" + outside.getFileName() + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"outputs", "contracts"})
    void aNextAttemptsOutputsOrContractsDirectoryMadeALinkIsRefused(String dir) throws Exception {
        firstAgent("mkdir -p ../2; ln -s \"$OUTSIDE\" ../2/" + dir);
        assertNotStarted(run("exit 0", 2, List.of()), project.resolve("tee-output/workspaces/e1/3/2/" + dir)
                + " is a symbolic link");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tee-output/workspaces/e1", "tee-output/workspaces", "tee-output", "tee-output/artifacts"})
    void aParentReplacedByALinkFailsTheNextAttemptAndNothingIsWrittenWhereItLeads(String parent) throws Exception {
        ArtifactRef input = storedInput();
        firstAgent("mv \"$PROJECT/" + parent + "\" \"$OUTSIDE/moved\"; ln -s \"$OUTSIDE/moved\" \"$PROJECT/" + parent + "\"");
        assertNotStarted(run("exit 0", 2, List.of(input)), project.resolve(parent) + " is a symbolic link (to " + outside
                + "/moved), not a directory");
    }

    @Test
    void aStoredInputReplacedByALinkIsNotCopiedInEvenWithTheRightBytes() throws Exception {
        ArtifactRef input = storedInput();
        Path blob = project.resolve(input.getLocation());
        Files.writeString(outside.resolve("same.json"), canaryFreeInput()); // the recorded checksum would match
        outsideBefore = listing(outside);
        Files.delete(blob);
        Files.createSymbolicLink(blob, outside.resolve("same.json"));
        var r = run("exit 0", 1, List.of(input));
        assertNotStarted(r, blob + " is a symbolic link (to " + outside.resolve("same.json") + "), not a regular file");
        assertThat(project.resolve("tee-output/workspaces/e1/3/1/inputs")).isEmptyDirectory();
    }

    @Test
    void aStoredInputReplacedByAHardLinkOrAFifoIsRefusedWithoutHanging() throws Exception {
        ArtifactRef input = storedInput();
        Path blob = project.resolve(input.getLocation());
        Files.delete(blob);
        Files.createLink(blob, outside.resolve("secret.txt"));
        assertNotStarted(run("exit 0", 1, List.of(input)), blob + " is a hard link (one of 2 names of one file)");

        Files.delete(blob);
        assertThat(new ProcessBuilder("mkfifo", blob.toString()).start().waitFor()).isZero();
        long t0 = System.nanoTime();
        assertNotStarted(run("exit 0", 2, List.of(input)), blob + " is a FIFO (named pipe), not a regular file");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void anInputWithAnAbsoluteOrDotDotLocationOrNameIsRefused() throws Exception {
        ArtifactRef input = storedInput();
        assertNotStarted(run("exit 0", 1, List.of(ArtifactRef.newBuilder(input).setLocation("/etc/passwd").build())),
                "location '/etc/passwd' is not in the artifact store");
        assertNotStarted(run("exit 0", 2, List.of(ArtifactRef.newBuilder(input)
                .setLocation("tee-output/artifacts/../../../../" + outside.getFileName() + "/secret.txt").build())), "leads outside");
        assertNotStarted(run("exit 0", 3, List.of(ArtifactRef.newBuilder(input).setName("../../escape.json").build())),
                "'../../escape.json' must be a plain file name");
        assertThat(project.resolve("tee-output/workspaces/e1/escape.json")).doesNotExist();
    }
}
