package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.oe.events.AgentResult;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.events.Violation;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile agents against the handoff: each test lets a real shell process do what a hostile agent would to its
 * workspace (the commands of issue #20), then runs the handoff on real files and checks that it fails naming the path,
 * and that nothing outside the workspace was read (a canary's content never reaches the store) or written (no new file
 * outside, none in the store).
 */
@Timeout(60)
class HostileOutputsTest {
    private static final long LIMIT = 1 << 20;
    private static final int MAX_ENTRIES = 50;

    @TempDir
    Path root;
    @TempDir
    Path outside;
    Path project;
    Path workspace;
    Path outputs;
    String canary;
    List<String> outsideBefore;
    HandoffProcessor processor;
    Process lingering;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        workspace = project.resolve("tee-output/workspaces/e1/8/1");
        outputs = Files.createDirectories(workspace.resolve("outputs"));
        canary = "CANARY-" + UUID.randomUUID();
        Files.writeString(outside.resolve("secret.txt"), canary);
        Files.createDirectories(outside.resolve("secrets"));
        Files.writeString(outside.resolve("secrets/a.txt"), canary);
        Files.createDirectories(outside.resolve("outputs"));
        Files.writeString(outside.resolve("outputs/a.txt"), canary);
        outsideBefore = listing(outside);
        processor = new HandoffProcessor(root, LIMIT, 10, MAX_ENTRIES, Clock.systemUTC());
    }

    @AfterEach
    void stopLingering() {
        if (lingering != null) {
            lingering.descendants().forEach(ProcessHandle::destroyForcibly);
            lingering.destroyForcibly();
        }
    }

    /** Runs a shell script as the agent would: in its workspace, with its environment; it must succeed. */
    private void agent(String script) throws Exception {
        Process p = process(script);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(script + "\n" + out).isZero();
        outsideBefore = listing(outside); // what the agent itself did outside is not the engine's doing
    }

    private Process process(String script) throws IOException {
        var pb = new ProcessBuilder("sh", "-c", "set -e\n" + script).directory(workspace.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("OE_WORKSPACE", workspace.toString(), "OE_OUTPUTS_DIR", outputs.toString(),
                "PROJECT", project.toString(), "OUTSIDE", outside.toString(), "OUTSIDE_NAME", outside.getFileName().toString()));
        return pb.start();
    }

    private HandoffValidated handoff(String... artifacts) {
        return processor.process(AgentResult.newBuilder().setExecutionId("e1").setPhaseId(8).setAttempt(1)
                .setAgent("@hostile").setProjectDir(project.toString()).setSuccess(true).setExitCode(0)
                .setStartedAt(Instant.now()).setEndedAt(Instant.now()).setWorkspaceDir(workspace.toString())
                .setOutputs(Arrays.stream(artifacts).map(a -> new OutputSpec(a, null, null, List.of(), Map.of(), List.of())).toList())
                .build());
    }

    /** The handoff failed, with a violation of {@code artifact} whose rule and message are as given. */
    private void assertRefused(HandoffValidated h, String artifact, String rule, String... message) throws IOException {
        assertThat(h.getStatus()).as(h.getError()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).filteredOn(v -> v.getArtifact().equals(artifact)).singleElement()
                .satisfies(v -> assertThat(v.getRule()).isEqualTo(rule))
                .extracting(Violation::getMessage).asString().contains(message);
        assertThat(h.getError()).startsWith("handoff failed: ");
        assertNothingLeaked();
        assertThat(storeFiles()).isEmpty();
    }

    /** The canary's content is in no stored file, and the engine created no file outside. */
    private void assertNothingLeaked() throws IOException {
        for (Path f : storeFiles()) {
            assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(canary)
                    .doesNotContain("root:x:0:0");
        }
        assertThat(listing(outside)).isEqualTo(outsideBefore);
        assertThat(outside.resolve("secret.txt")).hasContent(canary);
    }

    /** Every file in the store, found without following links (a link itself counts as a file). */
    private List<Path> storeFiles() throws IOException {
        Path store = project.resolve("tee-output/artifacts");
        if (!Files.isDirectory(store, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(store)) {
            return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void anOutputsDirectoryReplacedByALinkToEtcIsRefusedAndPasswdNeverReachesTheStore() throws Exception {
        agent("rm -rf \"$OE_OUTPUTS_DIR\"; ln -s /etc \"$OE_OUTPUTS_DIR\"");
        assertRefused(handoff("passwd"), "passwd", "path",
                outputs + " is a symbolic link (to /etc), not a directory; nothing is read or written through a link");
    }

    @Test
    void anOutputsDirectoryReplacedByARelativeLinkIsRefused() throws Exception {
        agent("rm -rf \"$OE_OUTPUTS_DIR\"; ln -s \"../../../../../../../$OUTSIDE_NAME/outputs\" \"$OE_OUTPUTS_DIR\"\n"
                + "test -f \"$OE_OUTPUTS_DIR/a.txt\"");
        assertRefused(handoff("a.txt"), "a.txt", "path", outputs + " is a symbolic link (to ../../../../../../../"
                + outside.getFileName() + "/outputs)");
    }

    @Test
    void anOutputFileThatIsAnAbsoluteOrRelativeLinkIsRefused() throws Exception {
        agent("""
                ln -s "$OUTSIDE/secret.txt" "$OE_OUTPUTS_DIR/abs.txt"
                ln -s "../../../../../../../../$OUTSIDE_NAME/secret.txt" "$OE_OUTPUTS_DIR/rel.txt"
                test -f "$OE_OUTPUTS_DIR/rel.txt"
                echo log > "$OE_WORKSPACE/agent.log"; ln -s ../agent.log "$OE_OUTPUTS_DIR/inside.txt"
                """);
        var h = handoff("abs.txt", "rel.txt", "inside.txt");
        assertRefused(h, "abs.txt", "path", outputs.resolve("abs.txt") + " is a symbolic link (to " + outside.resolve("secret.txt")
                + "), not a regular file or a directory");
        assertRefused(h, "rel.txt", "path", outputs.resolve("rel.txt") + " is a symbolic link (to ../../../");
        assertRefused(h, "inside.txt", "path", outputs.resolve("inside.txt") + " is a symbolic link (to ../agent.log)");
    }

    @Test
    void theWorkspaceItselfReplacedByALinkIsRefused() throws Exception {
        agent("cd ..; mv 1 \"$OUTSIDE/moved\"; ln -s \"$OUTSIDE/outputs/..\" 1");
        assertRefused(handoff("a.txt"), "a.txt", "path", workspace + " is a symbolic link (to " + outside
                + "/outputs/..), not a directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tee-output/workspaces/e1", "tee-output/workspaces", "tee-output"})
    void aParentOfTheWorkspaceReplacedByALinkIsRefused(String parent) throws Exception {
        Files.writeString(outputs.resolve("a.txt"), "fine");
        agent("mv \"$PROJECT/" + parent + "\" \"$OUTSIDE/moved\"; ln -s \"$OUTSIDE/moved\" \"$PROJECT/" + parent + "\"");
        assertRefused(handoff("a.txt"), "a.txt", "path", project.resolve(parent) + " is a symbolic link (to " + outside
                + "/moved), not a directory");
    }

    @Test
    void aStoreReplacedByALinkIsNeverWrittenAndTheHandoffFailsNamingIt() throws Exception {
        Files.writeString(outputs.resolve("a.txt"), "fine");
        agent("mkdir -p \"$OUTSIDE/store\" \"$PROJECT/tee-output\"; ln -s \"$OUTSIDE/store\" \"$PROJECT/tee-output/artifacts\"");
        assertRefused(handoff("a.txt"), "a.txt", "path", project.resolve("tee-output/artifacts") + " is a symbolic link (to "
                + outside + "/store), not a directory");
        assertThat(outside.resolve("store")).isEmptyDirectory();
    }

    @Test
    void aHardLinkToAFileOutsideIsRefusedAsAnOutputAndInsideADirectory() throws Exception {
        agent("""
                ln "$OUTSIDE/secret.txt" "$OE_OUTPUTS_DIR/a.txt"
                mkdir "$OE_OUTPUTS_DIR/app"; echo fine > "$OE_OUTPUTS_DIR/app/ok.txt"; ln "$OUTSIDE/secrets/a.txt" "$OE_OUTPUTS_DIR/app/b.txt"
                """);
        var h = handoff("a.txt", "app");
        assertRefused(h, "a.txt", "path", outputs.resolve("a.txt") + " is a hard link (one of 2 names of one file)");
        assertRefused(h, "app", "path", outputs.resolve("app/b.txt") + " is a hard link (one of 2 names of one file)");
    }

    @Test
    void fifosAndSocketsNeitherHangNorPassTheHandoff() throws Exception {
        agent("mkfifo \"$OE_OUTPUTS_DIR/a.txt\"; mkdir \"$OE_OUTPUTS_DIR/app\"; mkfifo \"$OE_OUTPUTS_DIR/app/pipe\"");
        try (var socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(outputs.resolve("s.sock")));
            long t0 = System.nanoTime();
            var h = handoff("a.txt", "app", "s.sock");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
            assertRefused(h, "a.txt", "path", outputs.resolve("a.txt") + " is a FIFO (named pipe), not a regular file or a directory");
            assertRefused(h, "app", "path", outputs.resolve("app/pipe") + " is a FIFO (named pipe)");
            assertRefused(h, "s.sock", "path", outputs.resolve("s.sock") + " is a socket");
        }
    }

    @Test
    void aDeviceFileIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root (the tests run as root in CI)");
        agent("mknod \"$OE_OUTPUTS_DIR/zero\" c 1 5; mkdir \"$OE_OUTPUTS_DIR/app\"; mknod \"$OE_OUTPUTS_DIR/app/disk\" b 7 0");
        var h = handoff("zero", "app");
        assertRefused(h, "zero", "path", outputs.resolve("zero") + " is a character device, not a regular file or a directory");
        assertRefused(h, "app", "path", outputs.resolve("app/disk") + " is a block device");
    }

    @Test
    void namesWithDotDotAbsolutePathsOrControlCharactersAreRefused() throws Exception {
        agent("""
                echo '{}' > "$PROJECT/tee-output/escape.json"
                mkdir "$OE_OUTPUTS_DIR/app"; echo x > "$OE_OUTPUTS_DIR/app/ok.txt"; echo x > "$OE_OUTPUTS_DIR/app/$(printf 'bad\\033name')"
                """);
        var h = handoff("../../../escape.json", "/etc/passwd", "line\nbreak.txt", "app");
        assertRefused(h, "../../../escape.json", "path", "'../../../escape.json' must be a plain file name");
        assertRefused(h, "/etc/passwd", "path", "'/etc/passwd' must be a plain file name");
        assertRefused(h, "line\nbreak.txt", "path", "'line?break.txt' must be a plain file name");
        assertRefused(h, "app", "path", "in " + outputs.resolve("app") + ": name 'bad?name' must be a plain file name");
    }

    @Test
    void aFileOverTheLimitIsRefusedWithoutBeingRead() throws Exception {
        agent("head -c 2000000 /dev/zero > \"$OE_OUTPUTS_DIR/big.bin\"");
        assertRefused(handoff("big.bin"), "big.bin", "maxSize", "is 2000000 bytes, over the limit of " + LIMIT);
    }

    @Test
    void aFileAProcessKeepsGrowingIsCutAtTheLimit() throws Exception {
        agent("echo start > \"$OE_OUTPUTS_DIR/grow.txt\"");
        lingering = process("while :; do head -c 65536 /dev/zero; done >> \"$OE_OUTPUTS_DIR/grow.txt\""); // outlives the agent
        while (Files.size(outputs.resolve("grow.txt")) <= LIMIT) {
            Thread.sleep(10);
        }
        var h = handoff("grow.txt");
        // Either the size seen before reading is over the limit, or the bytes read went past it: never more is read.
        assertThat(h.getViolations()).singleElement().satisfies(v -> {
            assertThat(v.getRule()).isEqualTo("maxSize");
            assertThat(v.getMessage()).containsAnyOf("over the limit of " + LIMIT, "grew past the limit of " + LIMIT);
        });
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void aDirectoryWithMoreEntriesThanTheLimitOrNestedTooDeepIsRefused() throws Exception {
        agent("""
                mkdir "$OE_OUTPUTS_DIR/many"; i=0; while [ $i -lt 60 ]; do : > "$OE_OUTPUTS_DIR/many/f$i"; i=$((i+1)); done
                d="$OE_OUTPUTS_DIR/deep"; i=0; while [ $i -lt 70 ]; do d="$d/d"; i=$((i+1)); done; mkdir -p "$d"
                """);
        assertRefused(handoff("many"), "many", "limit", "directory many holds more than " + MAX_ENTRIES
                + " files and directories");
        processor = new HandoffProcessor(root, LIMIT, 10, 100, Clock.systemUTC()); // 60 files or 70 levels are within 100
        assertRefused(handoff("deep"), "deep", "limit", "directory deep is nested deeper than 64 levels ("
                + outputs.resolve("deep" + "/d".repeat(64)) + ")");
        assertThat(handoff("many").getStatus()).isEqualTo(HandoffStatus.SUCCESS);
    }

    @Test
    void anAgentSwappingADirectoryForALinkWhileTheHandoffReadsCannotMakeItReadThroughTheLink() throws Exception {
        agent("mkdir -p \"$OE_OUTPUTS_DIR/app/sub\"; echo fine > \"$OE_OUTPUTS_DIR/app/sub/a.txt\"");
        lingering = process("cd \"$OE_OUTPUTS_DIR/app\"; while :; do mv sub real; ln -s \"$OUTSIDE/secrets\" sub; "
                + "rm sub; mv real sub; done");
        int succeeded = 0;
        for (int i = 0; i < 40; i++) {
            var h = handoff("app");
            if (h.getStatus() == HandoffStatus.SUCCESS) {
                succeeded++;
            } else {
                assertThat(h.getViolations()).allSatisfy(v -> assertThat(v.getRule()).isIn("path", "read"));
            }
            assertNothingLeaked();
        }
        lingering.destroyForcibly();
        assertThat(storeFiles()).noneMatch(p -> p.getFileName().toString().startsWith(".incoming-"));
        System.out.printf("swap race: %d of 40 handoffs read a consistent tree, the rest were refused%n", succeeded);
    }
}
