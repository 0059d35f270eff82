package io.oe.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.Paths2;
import io.oe.events.ArtifactRef;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One attempt's working directory, {@code <project>/tee-output/workspaces/<execution>/<phase>/<attempt>/}: the phase
 * file, the prompt, the verified inputs, the contracts of the outputs and an empty {@code outputs/} (docs/agents.md).
 */
public record Workspace(Path dir, Path phaseFile, Path promptFile, Path inputs, Path outputs, Path contracts, Path log) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Workspace prepare(PhaseReady r, Path projectRoot) throws IOException {
        Path project = Path.of(r.getProjectDir()).toAbsolutePath().normalize();
        if (!project.startsWith(projectRoot.toAbsolutePath().normalize())) {
            throw new IOException("project directory " + project + " is outside the gateway's project root " + projectRoot);
        }
        Path dir = Paths2.confine(project, "tee-output/workspaces/" + Paths2.checkName(r.getExecutionId()) + "/"
                + r.getPhaseId() + "/" + r.getAttempt());
        Workspace ws = new Workspace(dir, dir.resolve("phase.json"), dir.resolve("prompt.md"), dir.resolve("inputs"),
                dir.resolve("outputs"), dir.resolve("contracts"), dir.resolve("agent.log"));
        Files.createDirectories(ws.inputs);
        Files.createDirectories(ws.outputs);
        Files.createDirectories(ws.contracts);
        var store = new LocalArtifactStore(project, Long.MAX_VALUE);
        for (ArtifactRef in : r.getInputs()) {
            store.copyVerified(in.getLocation(), in.getSha256(), ws.inputs.resolve(Paths2.checkName(in.getName())));
        }
        for (var c : r.getInputContracts().entrySet()) {
            Files.writeString(ws.contractFor(Paths2.checkName(c.getKey())), c.getValue());
        }
        for (OutputSpec o : r.getOutputs()) {
            Paths2.checkName(o.getArtifact());
            if (o.getContractJson() != null) {
                Files.writeString(ws.contractFor(o.getArtifact()), o.getContractJson());
                ws.writeReferencedContracts(o);
            }
        }
        Files.writeString(ws.phaseFile, JSON.writeValueAsString(ws.phaseJson(r)));
        Files.writeString(ws.promptFile, Prompt.render(r, ws));
        return ws;
    }

    /**
     * The contract files an output's contract {@code $ref}s, placed where its relative references lead from
     * {@code contracts/} (e.g. {@code contracts/common.schema.json}); one that would lead out of {@code contracts/} is
     * left out.
     */
    private void writeReferencedContracts(OutputSpec o) throws IOException {
        if (o.getContractPath() == null || o.getContractRefs().isEmpty()) {
            return;
        }
        Path main = Path.of(o.getContractPath()).normalize();
        Path from = main.getParent() == null ? Path.of("") : main.getParent();
        for (var ref : o.getContractRefs().entrySet()) {
            Path path = Path.of(ref.getKey()).normalize();
            String rel = from.relativize(path).toString();
            if (path.equals(main) || rel.startsWith("..")) {
                continue;
            }
            Path target = Paths2.confine(contracts, rel);
            if (!Files.exists(target)) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, ref.getValue());
            }
        }
    }

    Path contractFor(String artifact) {
        return contracts.resolve(artifact.replaceFirst("\\.(json|ya?ml)$", "") + ".schema.json");
    }

    private ObjectNode phaseJson(PhaseReady r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("execution_id", r.getExecutionId());
        o.put("phase_id", r.getPhaseId());
        o.put("phase_name", r.getPhaseName());
        o.put("agent", r.getAgent());
        o.put("attempt", r.getAttempt());
        o.put("project_name", r.getProjectName());
        o.put("workspace", dir.toString());
        o.put("timeout_ms", r.getTimeoutMs());
        ArrayNode tasks = o.putArray("tasks");
        for (TaskSpec t : r.getTasks()) {
            tasks.addObject().put("id", t.getId()).put("title", t.getTitle());
        }
        ArrayNode ins = o.putArray("inputs");
        for (ArtifactRef in : r.getInputs()) {
            ins.addObject().put("artifact", in.getName()).put("from_phase", in.getPhaseId())
                    .put("path", inputs.resolve(in.getName()).toString()).put("sha256", in.getSha256())
                    .put("contract", r.getInputContracts().containsKey(in.getName()) ? contractFor(in.getName()).toString() : null);
        }
        ArrayNode outs = o.putArray("outputs");
        for (OutputSpec out : r.getOutputs()) {
            ObjectNode n = outs.addObject().put("artifact", out.getArtifact())
                    .put("path", outputs.resolve(out.getArtifact()).toString());
            n.put("contract", out.getContractJson() == null ? null : contractFor(out.getArtifact()).toString());
        }
        o.put("previous_error", r.getPreviousError());
        return o;
    }
}
