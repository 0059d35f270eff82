package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.artifact.LocalArtifactStore;
import io.oe.events.AgentResult;
import io.oe.events.HandoffStatus;
import io.oe.events.OutputSpec;
import io.oe.events.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandoffProcessorTest {
    private static final String CONTRACT = """
            {"type": "object", "required": ["services"], "properties": {"services": {"type": "array",
              "items": {"type": "object", "properties": {"port": {"type": "integer", "maximum": 65535}}}}}}
            """;

    @TempDir
    Path root;
    Path project;
    Path workspace;
    HandoffProcessor processor;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        workspace = Files.createDirectories(project.resolve("tee-output/workspaces/e1/8/1/outputs")).getParent();
        processor = new HandoffProcessor(root, 1024, 10, Clock.systemUTC());
    }

    /** No file in the store: a refused handoff leaves no blob, no copy, no temporary file. */
    private void assertStoreHoldsNothing() throws Exception {
        Path store = project.resolve("tee-output/artifacts");
        if (Files.exists(store)) {
            try (var files = Files.walk(store)) {
                assertThat(files.filter(p -> !Files.isDirectory(p))).isEmpty();
            }
        }
    }

    private AgentResult result(boolean success, String... artifacts) {
        return AgentResult.newBuilder().setExecutionId("e1").setPhaseId(8).setAttempt(1).setAgent("@code-architect")
                .setProjectDir(project.toString()).setSuccess(success).setExitCode(success ? 0 : 1)
                .setError(success ? null : "exited with code 1").setStderrTail(success ? null : "boom\n")
                .setStartedAt(Instant.now()).setEndedAt(Instant.now()).setWorkspaceDir(workspace.toString())
                .setOutputs(java.util.Arrays.stream(artifacts).map(a -> new OutputSpec(a, "c.json", CONTRACT, List.of("@react"), java.util.Map.of(), List.of()))
                        .toList())
                .build();
    }

    @Test
    void validOutputsAreStoredByChecksum() throws Exception {
        Path out = Files.writeString(workspace.resolve("outputs/design.json"), "{\"services\": [{\"port\": 80}]}");
        var h = processor.process(result(true, "design.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.SUCCESS);
        assertThat(h.getHandoffId()).isEqualTo("ho_e1_8_1");
        assertThat(h.getToAgents()).containsExactly("@react");
        var a = h.getArtifacts().get(0);
        assertThat(a.getSha256()).isEqualTo(LocalArtifactStore.sha256Of(out));
        assertThat(project.resolve(a.getLocation())).hasSameTextualContentAs(out);
    }

    @Test
    void aContractViolationFailsTheHandoffWithItsPointerAndNothingIsStored() throws Exception {
        Files.writeString(workspace.resolve("outputs/design.json"), "{\"services\": [{\"port\": 80}, {\"port\": 70000}]}");
        var h = processor.process(result(true, "design.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).extracting(Violation::getPointer, Violation::getRule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/services/1/port", "maximum"));
        assertThat(h.getError()).startsWith("handoff failed: 1 contract violation(s): design.json /services/1/port:");
        assertStoreHoldsNothing();
    }

    @Test
    void missingEscapingAndSymlinkedOutputsAreRefused() throws Exception {
        Files.createSymbolicLink(workspace.resolve("outputs/passwd.json"), Path.of("/etc/passwd"));
        var h = processor.process(result(true, "missing.json", "../../escape.json", "passwd.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).extracting(Violation::getMessage).satisfiesExactly(
                m -> assertThat(m).contains("outputs/missing.json was not written"),
                m -> assertThat(m).contains("'../../escape.json' must be a plain file name"),
                m -> assertThat(m).isEqualTo(workspace.resolve("outputs/passwd.json") + " is a symbolic link (to /etc/passwd), "
                        + "not a regular file or a directory; nothing is read or written through a link"));
        assertStoreHoldsNothing();
    }

    @Test
    void anAgentFailureIsForwardedWithItsOutputTail() {
        var h = processor.process(result(false, "design.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getError()).contains("agent @code-architect failed: exited with code 1").contains("boom");
        assertThat(h.getAgentExitCode()).isEqualTo(1);
    }

    private AgentResult withContract(String artifact, String contract) {
        return AgentResult.newBuilder(result(true)).setOutputs(List.of(new OutputSpec(artifact, "c.json", contract,
                List.of("@react"), java.util.Map.of(), List.of()))).build();
    }

    @Test
    void aDirectoryOutputIsValidatedAndStoredAsATree() throws Exception {
        Path app = Files.createDirectories(workspace.resolve("outputs/app/src"));
        Files.writeString(app.resolve("index.ts"), "export {};");
        Files.writeString(app.getParent().resolve("package.json"), "{}");
        String contract = "{\"x-oe-file\": {\"type\": \"directory\", \"required_files\": [\"package.json\"]}}";
        var h = processor.process(withContract("app", contract));
        assertThat(h.getStatus()).as(h.getError()).isEqualTo(HandoffStatus.SUCCESS);
        var a = h.getArtifacts().get(0);
        assertThat(a.getLocation()).startsWith("tee-output/artifacts/trees/");
        assertThat(a.getSize()).isEqualTo(12);
        assertThat(project.resolve("tee-output/artifacts/app/src/index.ts")).hasContent("export {};");

        Files.delete(app.getParent().resolve("package.json"));
        var failed = processor.process(withContract("app", contract));
        assertThat(failed.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(failed.getViolations()).extracting(Violation::getPointer, Violation::getRule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/package.json", "required_files"));
    }

    @Test
    void aDirectoryWithALinkOutOrOverTheSizeLimitFailsNamingThePath() throws Exception {
        Path app = Files.createDirectories(workspace.resolve("outputs/app"));
        Files.createSymbolicLink(app.resolve("secrets"), Path.of("/etc/passwd"));
        var h = processor.process(withContract("app", "{\"x-oe-file\": {\"type\": \"directory\"}}"));
        assertThat(h.getViolations()).extracting(Violation::getRule, Violation::getMessage).containsExactly(
                org.assertj.core.groups.Tuple.tuple("path", app.resolve("secrets") + " is a symbolic link (to /etc/passwd), "
                        + "not a regular file; a directory artifact holds only regular files and directories; nothing is "
                        + "read or written through a link"));
        Files.delete(app.resolve("secrets"));
        Files.writeString(app.resolve("big.bin"), "x".repeat(2000)); // the processor's limit is 1024 bytes
        assertThat(processor.process(withContract("app", "{\"x-oe-file\": {\"type\": \"directory\"}}")).getViolations())
                .extracting(Violation::getRule, Violation::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("limit", "directory app holds more than 1024 bytes"));
        assertStoreHoldsNothing();
    }

    @Test
    void moreOutputsThanTheLimitFailTheHandoffBeforeAnyIsRead() throws Exception {
        String[] eleven = java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "o" + i + ".json").toArray(String[]::new);
        for (String o : eleven) {
            Files.writeString(workspace.resolve("outputs/" + o), "{\"services\": []}");
        }
        var h = processor.process(result(true, eleven));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getError()).isEqualTo("handoff failed: 11 outputs, over the limit of 10");
        assertThat(project.resolve("tee-output/artifacts")).doesNotExist();
    }

    @Test
    void anOversizedFileFailsWithoutBeingStored() throws Exception {
        Files.writeString(workspace.resolve("outputs/design.json"), "{\"pad\": \"" + "x".repeat(2000) + "\"}");
        var h = processor.process(result(true, "design.json"));
        assertThat(h.getViolations()).extracting(Violation::getRule, Violation::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("maxSize", "is 2011 bytes, over the limit of 1024"));
        assertStoreHoldsNothing();
    }
}
