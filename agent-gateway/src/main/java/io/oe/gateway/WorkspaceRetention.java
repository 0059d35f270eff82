package io.oe.gateway;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The retention rule for workspaces (docs/agents.md): in a project's {@code tee-output/workspaces/}, an execution's
 * directory in which nothing changed for {@code keep} is removed, checked whenever a new attempt's workspace is prepared
 * in that project (at most once per {@link #CHECK_EVERY} per project). The execution being prepared is never removed,
 * and symbolic links are removed as links, never followed. {@code keep} of zero keeps everything.
 */
final class WorkspaceRetention {
    private static final Logger LOG = Logger.getLogger(WorkspaceRetention.class);
    static final Duration CHECK_EVERY = Duration.ofMinutes(10);

    private final Duration keep;
    private final Map<Path, Instant> lastCheck = new ConcurrentHashMap<>();

    WorkspaceRetention(Duration keep) {
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
            List<Path> removed = prune(project.resolve("tee-output/workspaces"), currentExecution, keep, now);
            if (!removed.isEmpty()) {
                LOG.infof("removed %d workspace(s) unchanged for more than %s in %s: %s", removed.size(), keep, project,
                        removed.stream().map(p -> p.getFileName().toString()).toList());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("workspace retention in %s: %s", project, e.getMessage());
        }
    }

    /** Removes each execution directory under {@code workspaces} whose newest entry is older than {@code keep}. */
    static List<Path> prune(Path workspaces, String currentExecution, Duration keep, Instant now) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(workspaces, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        Instant cutoff = now.minus(keep);
        List<Path> executions;
        try (Stream<Path> list = Files.list(workspaces)) {
            executions = list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().equals(currentExecution)).toList();
        }
        for (Path execution : executions) {
            if (newest(execution).isBefore(cutoff)) {
                deleteTree(execution);
                removed.add(execution);
            }
        }
        return removed;
    }

    /** The newest modification time of anything in the tree (an agent writing a log keeps its workspace alive). */
    static Instant newest(Path dir) throws IOException {
        FileTime[] newest = {Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS)};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                // A link's own time cannot be set or trusted (no lutimes here); its directory's time records its creation.
                if (!attrs.isSymbolicLink() && attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
                    newest[0] = attrs.lastModifiedTime();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
                    newest[0] = attrs.lastModifiedTime();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return newest[0].toInstant();
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() { // walkFileTree does not follow links by default
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
