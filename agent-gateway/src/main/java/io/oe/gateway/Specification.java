package io.oe.gateway;

import io.oe.core.artifact.ArtifactChangedException;
import io.oe.core.artifact.ConfinedCopy;
import io.oe.core.artifact.ConfinedDirectory;
import io.oe.core.artifact.Paths2;
import io.oe.core.plan.ProjectSpecification;
import io.oe.events.PhaseReady;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project specification in an attempt's workspace: the project plan file and the documents it names
 * ({@link ProjectSpecification}), each copied from the project to {@code specification/<its path in the project>}.
 * Read from the project root down without following a link, like every file an agent may have touched: a link, a FIFO
 * or a file over {@link ProjectSpecification#MAX_FILE_BYTES} fails the attempt, naming it (a file replaced while it
 * was opened is read again, twice at most). A file that is not in the project (a bundle posted over REST need not
 * have its project plan on disk) is left out.
 */
final class Specification {
    static final String DIR = "specification";

    private Specification() {
    }

    /** {@code from}: the project, opened from the gateway's root down. @return the project-relative paths copied, in the phase's order */
    static List<String> copy(PhaseReady r, ConfinedDirectory from, Path project, ConfinedDirectory workspace) throws IOException {
        List<String> copied = new ArrayList<>();
        if (r.getSpecification().isEmpty()) {
            return copied;
        }
        try (ConfinedDirectory into = workspace.openOrCreate(DIR)) {
            for (String file : r.getSpecification()) {
                if (copyOne(file, from, into, project)) {
                    copied.add(file);
                }
            }
        }
        return copied;
    }

    /** The monitor rewrites the project plan by renaming a new file over it: one swapped while opened is read again. */
    private static final int TRIES = 3;

    private static boolean copyOne(String file, ConfinedDirectory project, ConfinedDirectory into, Path projectPath)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return copyOnce(file, project, into, projectPath);
            } catch (ArtifactChangedException e) {
                if (attempt == TRIES) {
                    throw e;
                }
            }
        }
    }

    private static boolean copyOnce(String file, ConfinedDirectory project, ConfinedDirectory into, Path projectPath)
            throws IOException {
        List<String> parts = Paths2.components(file, projectPath);
        String parent = String.join("/", parts.subList(0, parts.size() - 1));
        String name = parts.get(parts.size() - 1);
        try (ConfinedDirectory dir = project.open(parent)) {
            if (dir.entry(name).kind() == ConfinedDirectory.Kind.MISSING) {
                return false;
            }
            try (ConfinedDirectory to = into.openOrCreate(parent)) {
                ConfinedCopy.copy(dir, name, to, name, ProjectSpecification.MAX_FILE_BYTES);
            }
            return true;
        } catch (NoSuchFileException e) { // its directory is not in the project, or it went while it was copied
            return false;
        }
    }

    /** Where the agent finds a file of the specification. */
    static Path inWorkspace(Workspace ws, String file) {
        return ws.dir().resolve(DIR).resolve(file);
    }
}
