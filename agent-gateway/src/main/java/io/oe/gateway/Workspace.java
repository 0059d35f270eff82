package io.oe.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.artifact.ArtifactStore;
import io.oe.core.artifact.ConfinedDirectory;
import io.oe.core.artifact.Paths2;
import io.oe.events.ArtifactRef;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import io.oe.events.TaskSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One attempt's working directory, {@code <project>/tee-output/workspaces/<execution>/<phase>/<attempt>/}: the phase
 * file, the prompt, the verified inputs, the project specification, the contracts of the outputs, an empty
 * {@code outputs/} and, after a rerun, the phase's previous outputs in {@code previous/} (docs/agents.md).
 * Everything is written from the project root down through {@link ConfinedDirectory}: a directory on the way that an
 * agent replaced with a link (an earlier attempt's agent can reach the next attempt's place) fails the preparation,
 * naming it, and nothing is written where the link leads.
 */
public record Workspace(Path dir, Path phaseFile, Path promptFile, Path inputs, Path outputs, Path contracts, Path log) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String LOG = "agent.log";
    /** Where a rerun's attempt finds the outputs of the phase's last completed attempt. */
    static final String PREVIOUS = "previous";

    public static Workspace prepare(PhaseReady r, Path projectRoot) throws IOException {
        Path root = projectRoot.toAbsolutePath().normalize();
        Path project = Path.of(r.getProjectDir()).toAbsolutePath().normalize();
        if (!project.startsWith(root)) {
            throw new IOException("project directory " + project + " is outside the gateway's project root " + projectRoot);
        }
        Path dir = project.resolve("tee-output/workspaces/" + Paths2.checkName(r.getExecutionId()) + "/" + r.getPhaseId()
                + "/" + r.getAttempt());
        Workspace ws = new Workspace(dir, dir.resolve("phase.json"), dir.resolve("prompt.md"), dir.resolve("inputs"),
                dir.resolve("outputs"), dir.resolve("contracts"), dir.resolve(LOG));
        // the project is opened once from the root down and everything below is reached from it (each directory on
        // the way costs an open on a helper thread and a check of its real path: see ConfinedDirectory)
        try (ConfinedDirectory projectDir = ConfinedDirectory.open(root, project);
                ConfinedDirectory home = projectDir.openOrCreate(project.relativize(dir).toString());
                ConfinedDirectory inputs = home.openOrCreate("inputs");
                ConfinedDirectory contracts = home.openOrCreate("contracts")) {
            home.openOrCreate("outputs").close();
            ArtifactStore store = ArtifactStore.of(root, project);
            for (ArtifactRef in : r.getInputs()) {
                store.copyVerified(in.getLocation(), in.getSha256(), in.getSize(), inputs, Paths2.checkName(in.getName()));
            }
            if (!r.getPreviousOutputs().isEmpty()) { // a rerun: what the last completed attempt handed over, to revise
                try (ConfinedDirectory previous = home.openOrCreate(PREVIOUS)) {
                    for (ArtifactRef out : r.getPreviousOutputs()) {
                        store.copyVerified(out.getLocation(), out.getSha256(), out.getSize(), previous,
                                Paths2.checkName(out.getName()));
                    }
                }
            }
            for (var c : r.getInputContracts().entrySet()) {
                contracts.writeFile(contractName(Paths2.checkName(c.getKey())), utf8(c.getValue()));
            }
            for (OutputSpec o : r.getOutputs()) {
                Paths2.checkName(o.getArtifact());
                if (o.getContractJson() != null) {
                    contracts.writeFile(contractName(o.getArtifact()), utf8(o.getContractJson()));
                    writeReferencedContracts(o, contracts);
                }
            }
            List<String> specification = Specification.copy(r, projectDir, project, home);
            home.writeFile("phase.json", utf8(JSON.writeValueAsString(ws.phaseJson(r, specification))));
            home.writeFile("prompt.md", utf8(Prompt.render(r, ws, specification)));
        }
        return ws;
    }

    /**
     * A fresh {@code agent.log}, held open for the attempt: the gateway writes the agent's output into this file and
     * reads its tail from it, so an agent that replaces the name with a link or a FIFO changes nothing the gateway
     * reads or writes.
     */
    FileChannel createLog(Path projectRoot) throws IOException {
        try (ConfinedDirectory home = ConfinedDirectory.open(projectRoot, dir)) {
            String tmp = ConfinedDirectory.temporaryName();
            SeekableByteChannel log = home.createFile(tmp);
            try {
                home.replace(tmp, home, LOG);
                return (FileChannel) log; // the JDK's channel for a file; positional reads need it
            } catch (IOException | RuntimeException e) {
                log.close();
                throw e;
            }
        }
    }

    /**
     * The contract files an output's contract {@code $ref}s, placed where its relative references lead from
     * {@code contracts/} (e.g. {@code contracts/common.schema.json}); one that would lead out of {@code contracts/} is
     * left out.
     */
    private static void writeReferencedContracts(OutputSpec o, ConfinedDirectory contracts) throws IOException {
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
            List<String> parts = Paths2.components(rel, contracts.path());
            try (ConfinedDirectory parent = contracts.openOrCreate(String.join("/", parts.subList(0, parts.size() - 1)))) {
                String name = parts.get(parts.size() - 1);
                if (parent.entry(name).kind() == ConfinedDirectory.Kind.MISSING) {
                    parent.writeFile(name, utf8(ref.getValue()));
                }
            }
        }
    }

    static String contractName(String artifact) {
        return artifact.replaceFirst("\\.(json|ya?ml)$", "") + ".schema.json";
    }

    Path previousOutput(String artifact) {
        return dir.resolve(PREVIOUS).resolve(artifact);
    }

    Path contractFor(String artifact) {
        return contracts.resolve(contractName(artifact));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode phaseJson(PhaseReady r, List<String> specification) {
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
            ObjectNode n = ins.addObject().put("artifact", in.getName()).put("from_phase", in.getPhaseId())
                    .put("path", inputs.resolve(in.getName()).toString()).put("sha256", in.getSha256())
                    .put("contract", r.getInputContracts().containsKey(in.getName()) ? contractFor(in.getName()).toString() : null);
            if (in.getTransform() != null) {
                n.putObject("converted_from").put("artifact", in.getTransform().getSource())
                        .put("format", in.getTransform().getFromFormat());
            }
        }
        ArrayNode spec = o.putArray("specification");
        for (String file : specification) {
            spec.addObject().put("file", file).put("path", Specification.inWorkspace(this, file).toString());
        }
        ArrayNode outs = o.putArray("outputs");
        for (OutputSpec out : r.getOutputs()) {
            ObjectNode n = outs.addObject().put("artifact", out.getArtifact())
                    .put("path", outputs.resolve(out.getArtifact()).toString());
            n.put("contract", out.getContractJson() == null ? null : contractFor(out.getArtifact()).toString());
        }
        o.put("previous_error", r.getPreviousError());
        ArrayNode previous = o.putArray("previous_outputs");
        for (ArtifactRef out : r.getPreviousOutputs()) {
            previous.addObject().put("artifact", out.getName()).put("path", previousOutput(out.getName()).toString())
                    .put("sha256", out.getSha256());
        }
        if (r.getFeedback() != null) {
            o.putObject("feedback").put("from", r.getFeedback().getActor()).put("at", r.getFeedback().getAt().toString())
                    .put("text", r.getFeedback().getText());
        }
        return o;
    }
}
