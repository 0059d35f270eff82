package io.oe.planloader;

import io.oe.core.artifact.ArtifactStore;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import io.oe.events.ArtifactRef;
import io.oe.events.Memo;
import io.oe.events.PlanLoaded;
import io.oe.events.ReusableAttempt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A memoized resubmission at intake ({@code reuse_from}): the earlier execution must be known, of the same plan (its id
 * and phases) and project, and not a dry run; each of its phases' last completed attempt is offered for reuse with its
 * memo once its outputs are found unchanged in the artifact store (re-verified by checksum), else with why not. The
 * scheduler decides per phase, comparing memos (engine-core {@code Reuse}). Nothing is published for a refusal.
 */
final class ReuseIntake {
    private ReuseIntake() {
    }

    /** The reusable attempts for {@code event}, or the violations that refuse the submission (added to {@code out}). */
    static List<ReusableAttempt> resolve(String reuseFrom, ExecutionDirectory.Known earlier, PlanLoaded event,
            Path projectRoot, List<Violation> out) {
        if (earlier == null) {
            out.add(new Violation("reuse_from", "no execution " + reuseFrom + " is known to this engine"));
            return List.of();
        }
        var origin = earlier.origin();
        var phases = new TreeSet<Integer>();
        PlanJson.parse(event.getPlanJson()).path("phases").forEach(p -> phases.add(p.path("id").asInt()));
        if (origin.dryRun()) {
            out.add(new Violation("reuse_from", "execution " + reuseFrom + " was a dry run: its outputs are samples, not an"
                    + " agent's; reuse from a real run"));
        } else if (!origin.planId().equals(event.getPlanId()) || !origin.phaseIds().equals(phases)) {
            out.add(new Violation("reuse_from", "execution " + reuseFrom + " ran plan '" + origin.planId() + "' (phases "
                    + origin.phaseIds() + "), not this plan '" + event.getPlanId() + "' (phases " + phases
                    + "): reuse only from an execution of the same plan"));
        } else if (!origin.projectDir().equals(event.getProjectDir())) {
            out.add(new Violation("reuse_from", "execution " + reuseFrom + " ran in project " + origin.projectDir()
                    + ", not " + event.getProjectDir() + ": its outputs are in that project's artifact store"));
        }
        if (!out.isEmpty()) {
            return List.of();
        }
        ArtifactStore store = ArtifactStore.of(projectRoot, Path.of(event.getProjectDir()));
        List<ReusableAttempt> reusable = new ArrayList<>();
        new TreeMap<>(earlier.memos()).forEach((phase, memo) -> reusable.add(new ReusableAttempt(phase, memo,
                unusable(store, memo))));
        return reusable;
    }

    /** Why the attempt's outputs cannot be taken (one is missing or changed in the store), or null. */
    private static String unusable(ArtifactStore store, Memo memo) {
        for (ArtifactRef out : memo.getOutputs()) {
            try {
                store.verify(out.getLocation(), out.getSha256(), out.getSize());
            } catch (IOException | RuntimeException e) {
                return "its output " + out.getName() + " from " + memo.getOrigin() + " cannot be reused: " + e.getMessage();
            }
        }
        return null;
    }
}
