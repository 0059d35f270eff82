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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person's replacement of a reviewed output is a handoff like an agent's: same contract, same store, who replaced it. */
class HandoffReplacementTest {
    private static final String CONTRACT = """
            {"type": "object", "required": ["services"], "properties": {"services": {"type": "array"}}}
            """;

    @TempDir
    Path root;
    Path project;
    HandoffProcessor processor;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        Files.createDirectories(project.resolve("edits"));
        processor = new HandoffProcessor(root, 1024, 10, Clock.systemUTC());
    }

    private AgentResult replacement(String path) {
        Instant at = Instant.ofEpochMilli(1_000);
        return AgentResult.newBuilder().setExecutionId("e1").setPhaseId(2).setAttempt(1).setAgent("@a")
                .setProjectDir(project.toString()).setSuccess(true).setStartedAt(at).setEndedAt(at)
                .setWorkspaceDir(project.toString())
                .setOutputs(List.of(new OutputSpec("design.json", "c.json", CONTRACT, List.of("@b"), Map.of(), List.of())))
                .setReplacedBy("alice").setReplacementPath(path).build();
    }

    @Test
    void aValidReplacementIsStoredByChecksumUnderTheOutputsNameAndSaysWhoReplacedIt() throws Exception {
        Path edited = Files.writeString(project.resolve("edits/my-design.json"), "{\"services\": [\"edited\"]}");
        var h = processor.process(replacement("edits/my-design.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.SUCCESS);
        assertThat(h.getReplacedBy()).isEqualTo("alice");
        assertThat(h.getHandoffId()).isEqualTo("ho_e1_2_1_replaced_1000");
        var a = h.getArtifacts().get(0);
        assertThat(a.getName()).isEqualTo("design.json");
        assertThat(a.getSha256()).isEqualTo(LocalArtifactStore.sha256Of(edited));
        assertThat(project.resolve(a.getLocation())).hasSameTextualContentAs(edited);
        assertThat(h.getContracts()).containsEntry("design.json", "c.json");
    }

    @Test
    void aReplacementThatBreaksTheContractFailsWithItsViolations() throws Exception {
        Files.writeString(project.resolve("edits/my-design.json"), "{\"servers\": []}");
        var h = processor.process(replacement("edits/my-design.json"));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getReplacedBy()).isEqualTo("alice");
        assertThat(h.getViolations()).extracting(Violation::getRule).containsExactly("required");
    }

    @Test
    void aReplacementThroughALinkOrOutsideTheProjectIsRefused() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.json"), "{\"services\": []}");
        Files.createSymbolicLink(project.resolve("edits/link.json"), secret);
        for (String path : List.of("edits/link.json", "../secret.json")) {
            var h = processor.process(replacement(path));
            assertThat(h.getStatus()).as(path).isEqualTo(HandoffStatus.FAILED);
            assertThat(h.getViolations()).as(path).extracting(Violation::getRule).containsExactly("path");
        }
    }
}
