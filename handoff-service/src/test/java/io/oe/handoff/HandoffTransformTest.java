package io.oe.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.events.Transform;
import io.oe.events.TransformSpec;
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

/** "Transform data between formats": a consumer's input in another format is converted, checked and stored at the producer's handoff. */
class HandoffTransformTest {
    private static final String DESIGN_CONTRACT = """
            {"type": "object", "required": ["region", "services"],
             "properties": {"services": {"type": "array", "items": {"type": "object", "required": ["name"]}}}}""";
    private static final String USERS_CONTRACT = """
            {"type": "array", "items": {"type": "object", "required": ["name", "email"],
             "properties": {"email": {"type": "string", "pattern": "@"}}}}""";

    @TempDir
    Path root;
    Path project;
    Path workspace;
    HandoffProcessor processor;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("proj"));
        workspace = Files.createDirectories(project.resolve("tee-output/workspaces/e1/9/1/outputs")).getParent();
        processor = new HandoffProcessor(root, 1 << 20, 10, Clock.systemUTC());
    }

    private HandoffValidated handOver(String artifact, String text, String producerContract, TransformSpec wanted)
            throws Exception {
        Files.writeString(workspace.resolve("outputs").resolve(artifact), text);
        return processor.process(AgentResult.newBuilder().setExecutionId("e1").setPhaseId(9).setAttempt(1)
                .setAgent("@azure-architect").setProjectDir(project.toString()).setSuccess(true).setExitCode(0)
                .setStartedAt(Instant.now()).setEndedAt(Instant.now()).setWorkspaceDir(workspace.toString())
                .setOutputs(List.of(new OutputSpec(artifact, producerContract == null ? null : "contracts/p.schema.json",
                        producerContract, List.of("@devops"), Map.of(), List.of(wanted))))
                .build());
    }

    private static TransformSpec asJson(String artifact, String contract) {
        return new TransformSpec(artifact, "json", contract == null ? null : "contracts/c.schema.json", contract, Map.of());
    }

    @Test
    void aYamlOutputAConsumerWantsAsJsonIsStoredInBothFormsAndTheRecordNamesTheTransform() throws Exception {
        String yaml = "region: westeurope\nservices:\n  - name: api\n    port: 8080\n";
        var h = handOver("design.yaml", yaml, DESIGN_CONTRACT, asJson("design.json", DESIGN_CONTRACT));

        assertThat(h.getStatus()).as(h.getError()).isEqualTo(HandoffStatus.SUCCESS);
        assertThat(h.getArtifacts()).extracting(ArtifactRef::getName, ArtifactRef::getTransform).containsExactly(
                tuple("design.yaml", null), tuple("design.json", new Transform("design.yaml", "yaml", "json")));
        ArtifactRef yamlRef = h.getArtifacts().get(0);
        ArtifactRef jsonRef = h.getArtifacts().get(1);
        assertThat(yamlRef.getSha256()).isEqualTo(LocalArtifactStore.sha256Of(workspace.resolve("outputs/design.yaml")));
        Path stored = project.resolve(jsonRef.getLocation());
        assertThat(jsonRef.getSha256()).isEqualTo(LocalArtifactStore.sha256Of(stored));
        assertThat(new ObjectMapper().readTree(stored.toFile())).isEqualTo(new ObjectMapper().readTree(
                "{\"region\": \"westeurope\", \"services\": [{\"name\": \"api\", \"port\": 8080}]}"));
        assertThat(project.resolve("tee-output/artifacts/design.json")).exists();
        assertThat(workspace.resolve("outputs/design.json")).as("the agent's directory is left as it wrote it").doesNotExist();
    }

    @Test
    void aCsvOutputBecomesAJsonArrayCheckedAgainstTheConsumersContract() throws Exception {
        var h = handOver("users.csv", "name,email\nalice,alice@example.com\nbob,bob@example.com\n", null,
                asJson("users.json", USERS_CONTRACT));
        assertThat(h.getStatus()).as(h.getError()).isEqualTo(HandoffStatus.SUCCESS);
        assertThat(new ObjectMapper().readTree(project.resolve(h.getArtifacts().get(1).getLocation()).toFile()).size())
                .isEqualTo(2);
    }

    @Test
    void aConvertedFormThatBreaksTheConsumersContractFailsTheHandoffAndNothingIsStored() throws Exception {
        var h = handOver("users.csv", "name,email\nalice,alice-at-example\n", null, asJson("users.json", USERS_CONTRACT));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).extracting(Violation::getArtifact, Violation::getPointer, Violation::getRule)
                .containsExactly(tuple("users.json", "/0/email", "pattern"));
        assertThat(h.getViolations().get(0).getMessage()).endsWith("(converted from users.csv, csv → json)");
        assertThat(project.resolve("tee-output/artifacts/users.csv")).doesNotExist();
        assertThat(project.resolve("tee-output/artifacts/users.json")).doesNotExist();
    }

    @Test
    void aConversionErrorNamesTheLineAndFailsTheHandoffSoTheProducersRetryCanFixIt() throws Exception {
        var h = handOver("users.csv", "name,email\nalice,a@x\nbob,b@x,extra\n", null, asJson("users.json", null));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).singleElement().satisfies(v -> {
            assertThat(v.getArtifact()).isEqualTo("users.csv");
            assertThat(v.getRule()).isEqualTo("transform");
            assertThat(v.getMessage()).startsWith("cannot be converted (csv → json) into users.json: line 3");
        });
        assertThat(h.getError()).startsWith("handoff failed: 1 contract violation(s): users.csv /: cannot be converted");

        var md = handOver("notes.md", "# Notes without front matter\n", null, asJson("notes.json", null));
        assertThat(md.getViolations()).extracting(Violation::getMessage).containsExactly(
                "cannot be converted (markdown → json) into notes.json: line 1: has no front matter to convert "
                        + "(a first line '---', YAML, then '---')");
    }

    @Test
    void anOutputThatBreaksItsOwnContractIsNotConvertedToo() throws Exception {
        var h = handOver("design.yaml", "region: westeurope\nservices: [\n", DESIGN_CONTRACT, asJson("design.json", null));
        assertThat(h.getStatus()).isEqualTo(HandoffStatus.FAILED);
        assertThat(h.getViolations()).singleElement().satisfies(v -> {
            assertThat(v.getRule()).isEqualTo("syntax");
            assertThat(v.getMessage()).startsWith("not valid YAML at line 2");
        });
    }
}
