package io.oe.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.oe.core.artifact.Paths2;
import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * What is kept of an execution once it is pruned: {@code <project>/tee-output/archive/<execution>.tar.gz} holding, under
 * {@code <execution>/}, its engine state ({@code engine-state.json}, as the API gave it), its whole audit trail
 * ({@code execution-log.json}, every entry, not the file's last 10,000), its final report ({@code report.md},
 * {@code report.html}) and its handoff records ({@code handoffs.json}, the seed's Handoff Data).
 *
 * <p>Written to a temporary file beside it and moved into place: a reader (or a crash) never sees half an archive,
 * and writing it again (a sweep repeated after a crash) replaces it whole.
 */
final class ExecutionArchive {
    static final String DIRECTORY = "tee-output/archive";
    static final String STATE = "engine-state.json";
    static final String LOG = "execution-log.json";
    static final String HANDOFFS = "handoffs.json";
    private static final ObjectMapper PRETTY = StateJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ExecutionArchive() {
    }

    /** Where the execution's archive goes, relative to its project. */
    static String relativePath(String executionId) {
        return DIRECTORY + "/" + Paths2.checkName(executionId) + ".tar.gz";
    }

    /** Writes the archive into {@code project} and returns its path. */
    static Path write(Path project, EngineState s, List<LogEntry> log, Instant now) throws IOException {
        Path file = Paths2.confine(project, relativePath(s.getExecutionId()));
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp);
                    TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                String dir = s.getExecutionId() + "/";
                add(tar, dir + STATE, PRETTY.writeValueAsBytes(StateJson.state(s)), now);
                add(tar, dir + LOG, PRETTY.writeValueAsBytes(StateJson.log(s.getExecutionId(), log)), now);
                add(tar, dir + ProjectFiles.REPORT_MD, Report.markdown(s).getBytes(StandardCharsets.UTF_8), now);
                add(tar, dir + ProjectFiles.REPORT_HTML, Report.html(s).getBytes(StandardCharsets.UTF_8), now);
                ArrayNode handoffs = StateJson.MAPPER.createArrayNode();
                StateJson.handoffs(handoffs, s.getHandoffs());
                add(tar, dir + HANDOFFS, PRETTY.writeValueAsBytes(handoffs), now);
                tar.finish();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] bytes, Instant now) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setModTime(now.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
