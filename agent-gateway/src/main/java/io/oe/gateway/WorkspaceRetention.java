package io.oe.gateway;

import io.oe.core.artifact.ArtifactLimitException;
import io.oe.core.artifact.ConfinedDirectory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The retention rule for workspaces (docs/agents.md): in a project's {@code tee-output/workspaces/}, an execution's
 * directory in which nothing changed for {@code keep} is removed, checked whenever a new attempt's workspace is prepared
 * in that project (at most once per {@link #CHECK_EVERY} per project). The execution being prepared is never removed.
 * Everything is reached from the project root and removed through {@link ConfinedDirectory}: links are removed as
 * links, never followed, and a {@code workspaces} directory (or anything above it) replaced by a link is left alone.
 * {@code keep} of zero keeps everything.
 */
final class WorkspaceRetention {
    private static final Logger LOG = Logger.getLogger(WorkspaceRetention.class);
    static final Duration CHECK_EVERY = Duration.ofMinutes(10);

    private final Path projectRoot;
    private final Duration keep;
    private final Map<Path, Instant> lastCheck = new ConcurrentHashMap<>();

    WorkspaceRetention(Path projectRoot, Duration keep) {
        this.projectRoot = projectRoot;
        this.keep = keep;
    }

    /** Prunes the project's old workspaces unless it was checked recently; never throws. */
    void maybePrune(Path project, String currentExecution, Instant now) {
        if (keep.isZero() || keep.isNegative()) {
            return;
        }
        Instant last = lastCheck.get(project);
        if (last != null && last.plus(CHECK_EVERY).isAfter(now)) {
            return;
        }
        lastCheck.put(project, now);
        try {
            List<Path> removed = prune(projectRoot, project, currentExecution, keep, now);
            if (!removed.isEmpty()) {
                LOG.infof("removed %d workspace(s) unchanged for more than %s in %s: %s", removed.size(), keep, project,
                        removed.stream().map(p -> p.getFileName().toString()).toList());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("workspace retention in %s: %s", project, e.getMessage());
        }
    }

    /** Removes each execution directory of the project's workspaces whose newest entry is older than {@code keep}. */
    static List<Path> prune(Path root, Path project, String currentExecution, Duration keep, Instant now) throws IOException {
        List<Path> removed = new ArrayList<>();
        Instant cutoff = now.minus(keep);
        try (ConfinedDirectory workspaces = ConfinedDirectory.open(root, project.resolve("tee-output/workspaces"))) {
            for (String name : workspaces.names(Integer.MAX_VALUE - 1)) {
                try {
                    if (name.equals(currentExecution) || workspaces.entry(name).kind() != ConfinedDirectory.Kind.DIRECTORY) {
                        continue;
                    }
                    FileTime newest;
                    try (ConfinedDirectory execution = workspaces.openDirectory(name)) {
                        newest = newest(execution, 0);
                    }
                    if (newest.toInstant().isBefore(cutoff)) {
                        workspaces.delete(name);
                        removed.add(workspaces.path().resolve(name));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("workspace retention: %s left in place: %s", workspaces.path().resolve(name), e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            // no workspaces yet
        }
        return removed;
    }

    /** The newest modification time of anything in the tree (an agent writing a log keeps its workspace alive). */
    static FileTime newest(ConfinedDirectory dir, int depth) throws IOException {
        if (depth >= ConfinedDirectory.MAX_DEPTH) {
            throw new ArtifactLimitException(dir.path() + " is nested deeper than " + ConfinedDirectory.MAX_DEPTH + " levels");
        }
        FileTime newest = dir.modified();
        for (String name : dir.names(Integer.MAX_VALUE - 1)) {
            ConfinedDirectory.Entry e = dir.entry(name);
            FileTime t = null;
            if (e.kind() == ConfinedDirectory.Kind.DIRECTORY) {
                try (ConfinedDirectory sub = dir.openDirectory(name)) {
                    t = newest(sub, depth + 1);
                }
            } else if (e.kind() != ConfinedDirectory.Kind.LINK && e.kind() != ConfinedDirectory.Kind.MISSING) {
                t = e.modified(); // a link's own time cannot be set or trusted; its directory's time records its creation
            }
            if (t != null && t.compareTo(newest) > 0) {
                newest = t;
            }
        }
        return newest;
    }
}
