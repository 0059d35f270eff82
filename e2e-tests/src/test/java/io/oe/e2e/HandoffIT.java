package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.Json;
import io.oe.core.artifact.LocalArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handoff manager with real files, real agent processes (a shell script whose behaviour depends on the agent's
 * name) and the real broker: outputs that try to leave the workspace, a stored input altered between two phases, and a
 * directory handed from one phase to the next.
 */
class HandoffIT {
    static E2eStack env;
    static final Duration WAIT = Duration.ofSeconds(90);

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("HandoffIT", List.of("plan-loader", "phase-scheduler", "agent-gateway", "handoff-service",
                "state-projector", "monitor-service"), (root, options) -> {
            Path runners = new TestRunners().script("script", root.resolve("agent.sh"), """
                            #!/bin/sh
                            out="$OE_OUTPUTS_DIR"
                            case "$OE_AGENT" in
                              @escaper)
                                ln -s /etc/passwd "$out/passwd.json"
                                echo '{"escaped": true}' > "$out/../../escape.json"
                                ln -s ../../escape.json "$out/report.json" ;;
                              @outputs-linker)
                                rm -rf "$out"; ln -s /etc "$out" ;;
                              @producer)
                                echo '{"value": 42}' > "$out/data.json" ;;
                              @consumer)
                                cp "$OE_INPUTS_DIR/data.json" "$out/copy.json" ;;
                              @tree-maker)
                                mkdir -p "$out/app/src/lib"
                                echo '{"name": "app"}' > "$out/app/package.json"
                                echo 'export * from "./lib/a";' > "$out/app/src/index.ts"
                                echo 'export const a = 1;' > "$out/app/src/lib/a.ts" ;;
                              @tree-reader)
                                test -f "$OE_INPUTS_DIR/app/package.json" || { echo "no app/package.json in inputs" >&2; exit 4; }
                                find "$OE_INPUTS_DIR/app" -type f | sort | sed "s|$OE_INPUTS_DIR/||" > "$out/files.txt" ;;
                            esac
                            """).agent("*", "script")
                    .write(root.resolve("runners.json"));
            options.runnersFile(runners);
        });
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    private static ObjectNode outputs(ObjectNode phase, String... artifacts) {
        var list = phase.putArray("outputs");
        for (String a : artifacts) {
            list.addObject().put("artifact", a);
        }
        return phase;
    }

    private static JsonNode handoff(JsonNode state, int phase, int attempt) {
        for (JsonNode h : state.path("handoffs")) {
            if (h.path("phase_id").asInt() == phase && h.path("attempt").asInt() == attempt) {
                return h;
            }
        }
        throw new AssertionError("no handoff of phase " + phase + " attempt " + attempt + " in " + state.path("handoffs"));
    }

    @Test
    void outputsThatLeadOutOfTheWorkspaceFailTheHandoffAndNothingLeavesTheStore() throws Exception {
        TestProject p = new TestProject(env.root, "escape").tier("t", "sequential", 1);
        outputs(p.phase(1, "@escaper"), "passwd.json", "report.json");
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, phaseIs(1, "failed").or(phaseIs(1, "waiting_for_intervention")), WAIT, "phase 1 failed");

        JsonNode h = handoff(s, 1, 1);
        assertThat(h.path("status").asText()).isEqualTo("failed");
        List<String> messages = h.path("violations").findValuesAsText("message");
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("outputs/passwd.json is a symbolic link (to /etc/passwd)"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("report.json").contains("symbolic link"));
        assertThat(s.path("phases").path("1").path("last_error").asText()).contains("passwd.json");
        // Nothing of /etc/passwd or of the escaped file reached the store, and no handoff wrote outside it.
        Path store = p.dir.resolve("tee-output/artifacts");
        if (Files.exists(store)) {
            try (Stream<Path> files = Files.walk(store)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).doesNotContain("root:").doesNotContain("escaped");
                }
            }
        }
        assertThat(p.dir.resolve("escape.json")).doesNotExist();
        // And a plan that itself names such a path is refused before anything runs.
        TestProject bad = new TestProject(env.root, "escape-plan").tier("t", "sequential", 1);
        outputs(bad.phase(1, "@escaper"), "../../escape.json");
        AssertionError refused = org.assertj.core.api.Assertions.catchThrowableOfType(() -> bad.submit(api), AssertionError.class);
        assertThat(refused).hasMessageContaining("422").hasMessageContaining("../../escape.json");
    }

    @Test
    void anAgentThatReplacesItsOutputsWithALinkToEtcWaitsForInterventionWithTheReason() throws Exception {
        TestProject p = new TestProject(env.root, "outputs-link").tier("t", "sequential", 1);
        outputs(p.phase(1, "@outputs-linker"), "passwd");
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, phaseIs(1, "waiting_for_intervention"), WAIT, "phase 1 waiting for intervention");

        Path outputs = p.dir.resolve("tee-output/workspaces/" + id + "/1/1/outputs");
        String reason = outputs + " is a symbolic link (to /etc), not a directory; nothing is read or written through a link";
        assertThat(s.path("status").asText()).isEqualTo("waiting_for_intervention");
        assertThat(s.path("phases").path("1").path("last_error").asText()).contains("passwd /: " + reason);
        assertThat(handoff(s, 1, 1).path("violations").findValuesAsText("message")).containsExactly(reason);
        Path store = p.dir.resolve("tee-output/artifacts");
        if (Files.exists(store)) {
            try (Stream<Path> files = Files.walk(store)) {
                assertThat(files.filter(Files::isRegularFile).toList()).isEmpty(); // /etc/passwd never got in
            }
        }
    }

    @Test
    void anInputAlteredInTheStoreBetweenTwoPhasesIsDetectedByItsChecksum() throws Exception {
        TestProject p = new TestProject(env.root, "altered").tier("t", "sequential", 1, 2);
        outputs(p.phase(1, "@producer"), "data.json");
        ObjectNode consumer = outputs(p.phase(2, "@consumer"), "copy.json").put("approval", true);
        consumer.putArray("inputs").addObject().put("artifact", "data.json").put("from", 1);
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, phaseIs(2, "waiting_for_approval"), WAIT, "phase 2 waiting for its approval");
        JsonNode stored = handoff(s, 1, 1).path("artifacts").path("data.json");
        Path blob = p.dir.resolve(stored.path("location").asText());
        assertThat(LocalArtifactStore.sha256Of(blob)).isEqualTo(stored.path("checksum").asText());
        Files.writeString(blob, "{\"value\": 666}"); // someone edits the stored artifact
        assertThat(api.command(id, command("APPROVE", 2)).status()).isEqualTo(202);

        s = await(api, id, phaseIs(2, "failed").or(phaseIs(2, "waiting_for_intervention")), WAIT, "phase 2 failed");
        String error = s.path("phases").path("2").path("last_error").asText();
        assertThat(error).contains("checksum mismatch for " + stored.path("location").asText())
                .contains("recorded sha256 " + stored.path("checksum").asText());
        Path workspace = p.dir.resolve("tee-output/workspaces/" + id + "/2/1");
        assertThat(workspace.resolve("inputs/data.json")).doesNotExist(); // the altered bytes never reached the agent
        assertThat(workspace.resolve("agent.log")).doesNotExist(); // and the agent never started
    }

    @Test
    void aDirectoryIsHandedOverWholeAndVerified() throws Exception {
        TestProject p = new TestProject(env.root, "tree").tier("t", "sequential", 1, 2);
        p.phase(1, "@tree-maker").putArray("outputs").addObject().put("artifact", "app").put("contract", "contracts/app.contract.json");
        ObjectNode reader = outputs(p.phase(2, "@tree-reader"), "files.txt");
        reader.putArray("inputs").addObject().put("artifact", "app").put("from", 1);
        Files.createDirectories(p.dir.resolve("contracts"));
        Files.writeString(p.dir.resolve("contracts/app.contract.json"), """
                {"x-oe-file": {"type": "directory", "min_files": 2, "required_files": ["package.json", "src/index.ts"]}}
                """);
        Api api = env.api();
        String id = p.submit(api);
        JsonNode s = await(api, id, execution("completed"), WAIT, "completion");

        JsonNode app = handoff(s, 1, 1).path("artifacts").path("app");
        assertThat(app.path("location").asText()).startsWith("tee-output/artifacts/trees/");
        assertThat(app.path("validated").asBoolean()).isTrue();
        Path received = p.dir.resolve("tee-output/workspaces/" + id + "/2/1/inputs/app");
        assertThat(received.resolve("src/lib/a.ts")).hasContent("export const a = 1;");
        assertThat(p.dir.resolve("tee-output/artifacts/app/package.json")).hasContent("{\"name\": \"app\"}");
        assertThat(Files.readAllLines(p.dir.resolve("tee-output/artifacts/files.txt")))
                .containsExactly("app/package.json", "app/src/index.ts", "app/src/lib/a.ts");
    }
}
