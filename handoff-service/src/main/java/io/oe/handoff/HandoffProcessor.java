package io.oe.handoff;

import io.oe.core.artifact.ArtifactLimitException;
import io.oe.core.artifact.ArtifactPathException;
import io.oe.core.artifact.ArtifactStore;
import io.oe.core.artifact.ConfinedDirectory;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.Paths2;
import io.oe.core.artifact.ReplacementFile;
import io.oe.core.artifact.StoredArtifact;
import io.oe.core.contract.ContractValidator;
import io.oe.core.contract.ContractViolation;
import io.oe.events.AgentResult;
import io.oe.events.ArtifactRef;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.OutputSpec;
import io.oe.events.Transform;
import io.oe.events.Violation;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Handoff Manager: turns an agent's result into a handoff. For a successful agent every declared output must
 * exist inside its workspace (a regular file, or a directory of regular files, reached from the project root without
 * following a link), fit the limits and satisfy its contract. Each output is read once, into the store's staging area,
 * and its contract checked there, and the forms its consumers asked for in another format are converted from those
 * bytes ({@link OutputConversions}); only when all of them pass are they committed (content-addressed) and the handoff
 * succeeds. Otherwise the handoff fails with every violation and nothing is left in the store. Kafka-free.
 */
public final class HandoffProcessor {
    private final Path projectRoot;
    private final long maxArtifactBytes;
    private final int maxArtifacts;
    private final int maxDirectoryFiles;
    private final ContractValidator contracts = new ContractValidator();
    private final OutputConversions conversions = new OutputConversions(contracts);
    private final Clock clock;

    public HandoffProcessor(Path projectRoot, long maxArtifactBytes, int maxArtifacts, Clock clock) {
        this(projectRoot, maxArtifactBytes, maxArtifacts, LocalArtifactStore.DEFAULT_MAX_ENTRIES, clock);
    }

    /**
     * @param maxArtifactBytes the largest file, or the largest directory in all
     * @param maxArtifacts     the most outputs one handoff may carry
     * @param maxDirectoryFiles the most files and directories one directory artifact may hold
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
                // a replacement is a handoff of its own: its id tells it from the attempt's (a re-processing keeps it)
                .setHandoffId("ho_" + r.getExecutionId() + "_" + r.getPhaseId() + "_" + r.getAttempt()
                        + (r.getReplacedBy() == null ? "" : "_replaced_" + r.getStartedAt().toEpochMilli()))
                .setReplacedBy(r.getReplacedBy())
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
        Map<String, Transform> converted = new HashMap<>();
        ArtifactStore store = ArtifactStore.of(projectRoot, project, maxArtifactBytes, maxDirectoryFiles);
        try (ArtifactStore.Staging staging = store.stage()) {
            if (r.getReplacedBy() != null) {
                violations.addAll(stageReplacement(r, project, staging, converted));
            } else try (ConfinedDirectory outputs = ConfinedDirectory.open(projectRoot, workspace.resolve("outputs"))) {
                for (OutputSpec o : r.getOutputs()) {
                    violations.addAll(stage(o, outputs, staging, converted, o.getArtifact()));
                }
            } catch (ArtifactPathException | NoSuchFileException e) {
                String why = e instanceof NoSuchFileException ? e.getMessage() + " does not exist" : e.getMessage();
                r.getOutputs().forEach(o -> violations.add(new Violation(o.getArtifact(), "", "path", why)));
            }
            if (!violations.isEmpty()) {
                return h.setStatus(HandoffStatus.FAILED).setViolations(violations).setError("handoff failed: "
                        + violations.size() + " contract violation(s): "
                        + ContractViolation.place(violations.get(0).getArtifact(), violations.get(0).getPointer()) + ": "
                        + violations.get(0).getMessage()).build();
            }
            List<ArtifactRef> refs = new ArrayList<>();
            for (StoredArtifact a : staging.commit()) {
                refs.add(new ArtifactRef(a.name(), r.getPhaseId(), a.location(), a.sha256(), a.size(), true,
                        converted.get(a.name())));
            }
            return h.setStatus(HandoffStatus.SUCCESS).setArtifacts(refs).setContracts(contracts(r)).build();
        }
    }

    /**
     * Reads one declared output into the staging area (once, within the limits, without following links), checks
     * the staged bytes against its contract and, when they pass, stages the forms its consumers asked for.
     */
    private List<Violation> stage(OutputSpec o, ConfinedDirectory outputs, ArtifactStore.Staging staging,
            Map<String, Transform> converted, String entry) {
        String name = o.getArtifact();
        boolean directory = false;
        try {
            ConfinedDirectory.Entry e = outputs.entry(Paths2.checkName(entry));
            if (e.kind() == ConfinedDirectory.Kind.MISSING) {
                return List.of(new Violation(name, "", "exists", "declared output outputs/" + name + " was not written"));
            }
            directory = e.kind() == ConfinedDirectory.Kind.DIRECTORY;
            ArtifactStore.Staged staged = staging.add(name, outputs, entry);
            List<ContractViolation> found = List.of();
            if (o.getContractJson() != null) {
                String contractPath = contractPath(o);
                found = staged.isDirectory()
                        ? contracts.validateDirectory(name, o.getContractJson(), staged.tree())
                        : contracts.validate(name, contractPath, o.getContractJson(), o.getContractRefs(), staged.content());
            }
            if (!found.isEmpty()) { // what breaks its own contract is not converted: one complaint, not two
                return found.stream().map(v -> new Violation(v.artifact(), v.pointer(), v.rule(), v.message())).toList();
            }
            return conversions.stage(o, staged, staging, converted);
        } catch (ArtifactLimitException e) {
            return List.of(new Violation(name, "", directory ? "limit" : "maxSize", e.getMessage()));
        } catch (ArtifactPathException e) {
            return List.of(new Violation(name, "", "path", e.getMessage()));
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? e.getMessage() + " disappeared while it was read" : e.getMessage();
            return List.of(new Violation(name, "", "read", "outputs/" + name + " could not be read: " + why));
        }
    }

    /**
     * A person's file in place of the one output {@code r} names ({@code oe review --replace}): read from the project
     * without following a link ({@link ReplacementFile}) and held to the output's contract like an agent's.
     */
    private List<Violation> stageReplacement(AgentResult r, Path project, ArtifactStore.Staging staging,
            Map<String, Transform> converted) {
        OutputSpec o = r.getOutputs().get(0);
        try (ReplacementFile file = ReplacementFile.open(projectRoot, project, r.getReplacementPath())) {
            return stage(o, file.directory(), staging, converted, file.name());
        } catch (ArtifactPathException | IOException e) {
            return List.of(new Violation(o.getArtifact(), "", "path", e.getMessage())); // names the path and why
        }
    }

    /** The contract path an output is validated against (its own, or the one its violations name when it has none). */
    private static String contractPath(OutputSpec o) {
        return o.getContractPath() == null ? o.getArtifact() + ".schema.json" : o.getContractPath();
    }

    /** Each artifact with a contract (outputs and the forms converted for consumers) → that contract's path. */
    private static Map<String, String> contracts(AgentResult r) {
        Map<String, String> out = new TreeMap<>();
        for (OutputSpec o : r.getOutputs()) {
            if (o.getContractJson() != null) {
                out.put(o.getArtifact(), contractPath(o));
            }
            o.getTransforms().stream().filter(t -> t.getContractJson() != null && t.getContractPath() != null)
                    .forEach(t -> out.put(t.getArtifact(), t.getContractPath()));
        }
        return out;
    }

    private static List<String> consumers(AgentResult r) {
        Set<String> to = new LinkedHashSet<>();
        r.getOutputs().forEach(o -> to.addAll(o.getConsumers()));
        return List.copyOf(to);
    }
}
