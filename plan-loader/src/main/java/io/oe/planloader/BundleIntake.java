package io.oe.planloader;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.OutputDecl;
import io.oe.core.plan.Phase;
import io.oe.core.plan.PhaseFlowCheck;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanBundle;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.PlanValidator;
import io.oe.core.plan.Violation;
import io.oe.events.ArtifactRef;
import io.oe.events.PlanLoaded;
import io.oe.schemas.ExecutionIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a submission into a {@link PlanLoaded} event, or rejects it with every violation. Pure of Kafka: the
 * resource publishes what this returns, so nothing is published for a rejected bundle.
 */
public final class BundleIntake {
    static final String ARTIFACT_DIR = "tee-output/artifacts";
    static final java.util.regex.Pattern SUBMISSION_ID = java.util.regex.Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final PlanValidator validator;
    private final Path projectRoot;
    private final Clock clock;

    public BundleIntake(PlanValidator validator, Path projectRoot, Clock clock) {
        this.validator = validator;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The project's own .github/phase-flow.gv, if it keeps one, must draw the plan's flow (PhaseFlowCheck). */
    static List<Violation> phaseFlow(Plan plan, Path projectDir) {
        Path file = projectDir.resolve(PhaseFlowCheck.FILE);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            if (Files.size(file) > 1 << 20) {
                return List.of(new Violation(PhaseFlowCheck.FILE, "larger than 1 MiB"));
            }
            return PhaseFlowCheck.compare(plan, Files.readString(file));
        } catch (IOException e) {
            return List.of(new Violation(PhaseFlowCheck.FILE, "cannot be read: " + e.getMessage()));
        }
    }

    public PlanLoaded accept(Submission s) {
        List<Violation> violations = new ArrayList<>();
        if (s.submissionId() != null && !SUBMISSION_ID.matcher(s.submissionId()).matches()) {
            violations.add(new Violation("submission_id", "'" + s.submissionId().replaceAll("\\p{Cntrl}", "?")
                    + "' must be 1 to 128 of letters, digits, '_', '.', '-'"));
        }
        if (s.dryRun() != null && !s.dryRun().isNull() && !s.dryRun().isBoolean()) {
            violations.add(new Violation("dry_run", "must be true or false, not " + s.dryRun()));
        }
        if (s.reuseFrom() != null && !SUBMISSION_ID.matcher(s.reuseFrom()).matches()) {
            violations.add(new Violation("reuse_from", "'" + s.reuseFrom().replaceAll("\\p{Cntrl}", "?")
                    + "' is not an execution id"));
        } else if (s.reuseFrom() != null && s.isDryRun()) {
            violations.add(new Violation("reuse_from", "a dry run reuses nothing (its outputs would be samples either way):"
                    + " drop reuse_from or dry_run"));
        }
        Path projectDir = projectDir(s.projectDir(), violations);
        violations.addAll(validator.validate(new PlanBundle(s.plan(), s.projectPlan(), s.config(), s.contracts(), s.agents())));
        if (!violations.isEmpty()) {
            throw new Rejection("plan rejected: " + violations.size() + " problem(s)", violations);
        }
        Plan plan = PlanJson.plan(s.plan());
        violations.addAll(phaseFlow(plan, projectDir));
        violations.addAll(SpecificationCheck.check(s.config(), s.projectPlan(), projectRoot, projectDir));
        List<ArtifactRef> existing = completedArtifacts(plan, projectDir, violations);
        if (!violations.isEmpty()) {
            throw new Rejection("plan rejected: " + violations.size() + " problem(s)", violations);
        }
        EngineConfig config = validator.bounded(PlanJson.config(s.config()));
        long now = clock.millis();
        String executionId = s.submissionId() == null || s.submissionId().isBlank()
                ? "exec_" + DAY.format(clock.instant()) + "_" + UUID.randomUUID().toString().substring(0, 8)
                : executionIdFor(s.submissionId());
        return PlanLoaded.newBuilder()
                .setExecutionId(executionId)
                .setSubmissionId(s.submissionId() == null || s.submissionId().isBlank() ? executionId : s.submissionId())
                .setPlanId(plan.planId())
                .setProjectName(plan.projectName())
                .setProjectDir(projectDir.toString())
                .setSubmittedAt(java.time.Instant.ofEpochMilli(now))
                .setSubmittedBy(s.submittedBy() == null || s.submittedBy().isBlank() ? "anonymous" : s.submittedBy())
                .setPlanJson(PlanJson.write(s.plan()))
                .setProjectPlanJson(PlanJson.write(s.projectPlan()))
                .setConfigJson(PlanJson.write(config))
                .setContracts(s.contracts() == null ? Map.of() : s.contracts())
                .setAgents(s.agents() == null ? Map.of() : s.agents())
                .setCompletedArtifacts(existing)
                .setAutostart(s.autostart())
                .setDryRun(s.isDryRun())
                .build();
    }

    /** The execution a submission id starts (the same id, the same execution: see {@link ExecutionIds}). */
    public static String executionIdFor(String submissionId) {
        return ExecutionIds.forSubmission(submissionId);
    }

    /** The project directory must be absolute and inside the trusted root: services write only there. */
    private Path projectDir(String text, List<Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(new Violation("project_dir", "missing: the absolute path of the project directory"));
            return null;
        }
        Path dir = Path.of(text);
        if (!dir.isAbsolute()) {
            violations.add(new Violation("project_dir", "'" + text + "' is not an absolute path"));
            return null;
        }
        dir = dir.normalize();
        if (!dir.startsWith(projectRoot)) {
            violations.add(new Violation("project_dir", "'" + dir + "' is outside this engine's project root '"
                    + projectRoot + "'"));
            return null;
        }
        if (!Files.isDirectory(dir)) {
            violations.add(new Violation("project_dir", "'" + dir + "' is not a directory on the engine's hosts"));
            return null;
        }
        return dir;
    }

    /**
     * Phases the plan marks completed are not run again, so their outputs must already be in the artifact store:
     * found, inside it, and checksummed here so that every reader can verify them.
     */
    private List<ArtifactRef> completedArtifacts(Plan plan, Path projectDir, List<Violation> violations) {
        List<ArtifactRef> refs = new ArrayList<>();
        Path store = projectDir.resolve(ARTIFACT_DIR);
        for (Phase p : plan.phases()) {
            if (!p.alreadyCompleted()) {
                continue;
            }
            for (OutputDecl o : p.outputs()) {
                String location = ARTIFACT_DIR + "/" + o.artifact();
                Path file = store.resolve(o.artifact()).normalize();
                if (!file.startsWith(store) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    violations.add(new Violation(PlanValidator.PLAN_FILE + " " + p.label(), "is marked completed but its output "
                            + o.artifact() + " is not in the artifact store (" + location + " missing or not a regular file)"));
                    continue;
                }
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
                    long size = in.transferTo(OutputStream.nullOutputStream());
                    String sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
                    refs.add(new ArtifactRef(o.artifact(), p.id(), location, sha, size, true, null));
                } catch (IOException e) {
                    violations.add(new Violation(location, "cannot be read: " + e.getMessage()));
                }
            }
        }
        return refs;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
