package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.artifact.LocalArtifactStore;
import io.oe.core.artifact.StoredArtifact;
import io.oe.core.plan.Violation;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.events.ArtifactRef;
import io.oe.events.Memo;
import io.oe.events.PlanLoaded;
import io.oe.events.ReusableAttempt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReuseIntakeTest {
    private static final String PLAN = "{\"plan_id\": \"p1\", \"phases\": [{\"id\": 1}, {\"id\": 2}]}";
    @TempDir
    Path root;
    Path project;
    StoredArtifact stored;
    final List<Violation> violations = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("demo"));
        stored = new LocalArtifactStore(project, 1 << 20).put("a.md", Files.writeString(root.resolve("a.md"), "# A\n"));
    }

    private PlanLoaded event(String planId, String plan, Path projectDir, boolean dryRun) {
        return PlanLoaded.newBuilder().setExecutionId("exec_new").setSubmissionId("s").setPlanId(planId)
                .setProjectName("Demo").setProjectDir(projectDir.toString()).setSubmittedAt(Instant.EPOCH)
                .setPlanJson(plan).setProjectPlanJson("{}").setConfigJson("{}").setDryRun(dryRun).build();
    }

    private ExecutionDirectory.Known earlier(String planId, boolean dryRun, Map<Integer, Memo> memos) {
        return new ExecutionDirectory.Known(ExecutionStatus.COMPLETED, new ConcurrentHashMap<>(), null, null, Map.of(),
                new ExecutionDirectory.Origin(planId, new TreeSet<>(List.of(1, 2)), project.toString(), dryRun),
                new ConcurrentHashMap<>(memos));
    }

    private Memo memo(String sha) {
        return new Memo("f", "d", "r", "p", Map.of(), List.of(new ArtifactRef("a.md", 1, stored.location(), sha, stored.size(),
                true, null)), "execution exec_old attempt 1");
    }

    @Test
    void eachPhasesLastCompletedAttemptIsOfferedOnceItsOutputsAreFoundUnchangedInTheStore() {
        List<ReusableAttempt> reusable = ReuseIntake.resolve("exec_old", earlier("p1", false, Map.of(1, memo(stored.sha256()))),
                event("p1", PLAN, project, false), root, violations);
        assertThat(violations).isEmpty();
        assertThat(reusable).singleElement().satisfies(r -> {
            assertThat(r.getPhaseId()).isEqualTo(1);
            assertThat(r.getUnusable()).isNull();
            assertThat(r.getMemo().getOrigin()).isEqualTo("execution exec_old attempt 1");
        });
    }

    @Test
    void anOutputChangedInTheStoreMakesItsPhaseRunAndSaysWhy() throws Exception {
        List<ReusableAttempt> reusable = ReuseIntake.resolve("exec_old", earlier("p1", false, Map.of(1, memo("0".repeat(64)))),
                event("p1", PLAN, project, false), root, violations);
        assertThat(violations).isEmpty();
        assertThat(reusable).singleElement().satisfies(r -> assertThat(r.getUnusable())
                .startsWith("its output a.md from execution exec_old attempt 1 cannot be reused: "));
    }

    @Test
    void anUnknownExecutionAnotherPlanAnotherProjectOrADryRunAreRefusedNamingTheProblem(@TempDir Path elsewhere) {
        ReuseIntake.resolve("exec_nope", null, event("p1", PLAN, project, false), root, violations);
        ReuseIntake.resolve("exec_old", earlier("p2", false, Map.of()), event("p1", PLAN, project, false), root, violations);
        ReuseIntake.resolve("exec_old", earlier("p1", false, Map.of()), event("p1",
                "{\"plan_id\": \"p1\", \"phases\": [{\"id\": 1}, {\"id\": 3}]}", project, false), root, violations);
        ReuseIntake.resolve("exec_old", earlier("p1", true, Map.of()), event("p1", PLAN, project, false), root, violations);
        ReuseIntake.resolve("exec_old", earlier("p1", false, Map.of()), event("p1", PLAN, elsewhere, false), root, violations);
        assertThat(violations).extracting(Violation::toString).containsExactly(
                "reuse_from: no execution exec_nope is known to this engine",
                "reuse_from: execution exec_old ran plan 'p2' (phases [1, 2]), not this plan 'p1' (phases [1, 2]): reuse only"
                        + " from an execution of the same plan",
                "reuse_from: execution exec_old ran plan 'p1' (phases [1, 2]), not this plan 'p1' (phases [1, 3]): reuse only"
                        + " from an execution of the same plan",
                "reuse_from: execution exec_old was a dry run: its outputs are samples, not an agent's; reuse from a real run",
                "reuse_from: execution exec_old ran in project " + project + ", not " + elsewhere + ": its outputs are in that"
                        + " project's artifact store");
    }
}
