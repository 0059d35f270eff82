package io.oe.handoff;

import io.oe.core.artifact.ArtifactLimitException;
import io.oe.core.artifact.DirectoryManifest;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.Paths2;
import io.oe.core.artifact.StoredArtifact;
import io.oe.core.contract.ContractValidator;
import io.oe.core.contract.ContractViolation;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.events.Violation;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Handoff Manager: turns an agent's result into a handoff. For a successful agent every declared output must
 * exist inside its workspace (a regular file, or a directory of regular files), fit the limits and satisfy its contract; only when all of them do are they stored
 * (content-addressed) and the handoff succeeds. Otherwise the handoff fails with every violation. Kafka-free.
 */
public final class HandoffProcessor {
    private final Path projectRoot;
    private final long maxArtifactBytes;
    private final int maxArtifacts;
    private final int maxDirectoryFiles;
    private final ContractValidator contracts = new ContractValidator();
    private final Clock clock;

    public HandoffProcessor(Path projectRoot, long maxArtifactBytes, int maxArtifacts, Clock clock) {
        this(projectRoot, maxArtifactBytes, maxArtifacts, 10_000, clock);
    }

    /**
     * @param maxArtifactBytes the largest file, or the largest directory in all
     * @param maxArtifacts     the most outputs one handoff may carry
     * @param maxDirectoryFiles the most files one directory artifact may hold
     */
    public HandoffProcessor(Path projectRoot, long maxArtifactBytes, int maxArtifacts, int maxDirectoryFiles, Clock clock) {
        this.maxDirectoryFiles = maxDirectoryFiles;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.maxArtifactBytes = maxArtifactBytes;
        this.maxArtifacts = maxArtifacts;
        this.clock = clock;
    }

    public HandoffValidated process(AgentResult r) {
        HandoffValidated.Builder h = HandoffValidated.newBuilder()
                .setHandoffId("ho_" + r.getExecutionId() + "_" + r.getPhaseId() + "_" + r.getAttempt())
                .setExecutionId(r.getExecutionId())
                .setPhaseId(r.getPhaseId())
                .setAttempt(r.getAttempt())
                .setFromAgent(r.getAgent())
                .setToAgents(consumers(r))
                .setAgentExitCode(r.getExitCode())
                .setAgentStartedAt(r.getStartedAt())
                .setAgentEndedAt(r.getEndedAt())
                .setAt(clock.instant())
                .setArtifacts(List.of())
                .setViolations(List.of());
        if (!r.getSuccess()) {
            String tail = r.getStderrTail() == null || r.getStderrTail().isBlank() ? ""
                    : "\n--- agent output (tail) ---\n" + r.getStderrTail();
            return h.setStatus(HandoffStatus.FAILED).setError("agent " + r.getAgent() + " failed: "
                    + (r.getError() == null ? "exit code " + r.getExitCode() : r.getError()) + tail).build();
        }
        try {
            return validateAndStore(r, h);
        } catch (Exception e) {
            return h.setStatus(HandoffStatus.FAILED).setError("handoff failed: " + e.getMessage()).build();
        }
    }

    private HandoffValidated validateAndStore(AgentResult r, HandoffValidated.Builder h) throws Exception {
        Path project = Path.of(r.getProjectDir()).toAbsolutePath().normalize();
        Path workspace = Path.of(r.getWorkspaceDir()).toAbsolutePath().normalize();
        if (!project.startsWith(projectRoot) || !workspace.startsWith(project)) {
            return h.setStatus(HandoffStatus.FAILED).setError("handoff failed: project " + project + " or workspace "
                    + workspace + " is outside the engine's project root " + projectRoot).build();
        }
        if (r.getOutputs().size() > maxArtifacts) {
            return h.setStatus(HandoffStatus.FAILED).setError("handoff failed: " + r.getOutputs().size()
                    + " outputs, over the limit of " + maxArtifacts).build();
        }
        List<Violation> violations = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (OutputSpec o : r.getOutputs()) {
            String name = o.getArtifact();
            Path file;
            try {
                file = Paths2.confine(workspace.resolve("outputs"), Paths2.checkName(name));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(name, "", "path", e.getMessage()));
                continue;
            }
            if (Files.isSymbolicLink(file)) {
                violations.add(new Violation(name, "", "path", "outputs/" + name + " is a symbolic link (to "
                        + Files.readSymbolicLink(file) + "); outputs must be regular files inside the workspace"));
                continue;
            }
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    DirectoryManifest tree = DirectoryManifest.scan(name, file, maxArtifactBytes, maxDirectoryFiles);
                    if (o.getContractJson() != null) {
                        for (ContractViolation v : contracts.validateDirectory(name, o.getContractJson(), tree)) {
                            violations.add(new Violation(v.artifact(), v.pointer(), v.rule(), v.message()));
                        }
                    }
                    files.add(file);
                } catch (ArtifactLimitException e) {
                    violations.add(new Violation(name, "", "limit", e.getMessage()));
                } catch (IllegalArgumentException e) {
                    violations.add(new Violation(name, "", "path", e.getMessage()));
                }
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                violations.add(new Violation(name, "", "exists", "declared output outputs/" + name + " was not written"));
                continue;
            }
            long size = Files.size(file);
            if (size > maxArtifactBytes) {
                violations.add(new Violation(name, "", "maxSize", "is " + size + " bytes, over the limit of "
                        + maxArtifactBytes));
                continue;
            }
            if (o.getContractJson() != null) {
                String contractPath = o.getContractPath() == null ? name + ".schema.json" : o.getContractPath();
                for (ContractViolation v : contracts.validate(name, contractPath, o.getContractJson(), o.getContractRefs(), file)) {
                    violations.add(new Violation(v.artifact(), v.pointer(), v.rule(), v.message()));
                }
            }
            files.add(file);
        }
        if (!violations.isEmpty()) {
            return h.setStatus(HandoffStatus.FAILED).setViolations(violations).setError("handoff failed: "
                    + violations.size() + " contract violation(s): " + violations.get(0).getArtifact() + " "
                    + (violations.get(0).getPointer().isEmpty() ? "/" : violations.get(0).getPointer()) + ": "
                    + violations.get(0).getMessage()).build();
        }
        var store = new LocalArtifactStore(project, maxArtifactBytes);
        List<ArtifactRef> refs = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            StoredArtifact a = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                    ? store.putDirectory(name, file, maxDirectoryFiles) : store.put(name, file);
            refs.add(new ArtifactRef(a.name(), r.getPhaseId(), a.location(), a.sha256(), a.size(), true));
        }
        return h.setStatus(HandoffStatus.SUCCESS).setArtifacts(refs).build();
    }

    private static List<String> consumers(AgentResult r) {
        Set<String> to = new LinkedHashSet<>();
        r.getOutputs().forEach(o -> to.addAll(o.getConsumers()));
        return List.copyOf(to);
    }
}
