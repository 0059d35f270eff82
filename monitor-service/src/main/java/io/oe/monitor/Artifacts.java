package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.artifact.ArtifactStore;
import io.oe.core.artifact.LocalArtifactStore;
import io.oe.events.ArtifactRef;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An execution's stored artifacts as the API lists and serves them: only what its own validated handoffs name (the
 * last {@code EngineStateFold.MAX_HANDOFFS} of them), so an id of another execution's artifact is simply not found.
 */
final class Artifacts {
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Served as themselves: formats a browser shows as text or an image. Anything else (HTML, SVG, XML: agent-written
     * markup could run script on the monitor's origin) is served as a download of application/octet-stream.
     */
    private static final Map<String, String> MEDIA_TYPES = Map.of("json", "application/json", "yaml", "application/yaml",
            "yml", "application/yaml", "md", "text/markdown; charset=utf-8", "csv", "text/csv; charset=utf-8",
            "txt", "text/plain; charset=utf-8", "sql", "text/plain; charset=utf-8", "png", "image/png", "jpg", "image/jpeg",
            "gif", "image/gif");

    /** One stored artifact and the handoff that stored it. */
    record Found(ArtifactRef ref, HandoffValidated handoff) {
        String contract() {
            return handoff.getContracts().get(ref.getName());
        }

        /** valid: checked against its contract; no_contract: its output declares none (stored unchecked). */
        String verdict() {
            return contract() != null ? "valid" : "no_contract";
        }

        boolean directory() {
            return LocalArtifactStore.isDirectory(ref.getLocation());
        }

        /** A directory artifact is served as its manifest (JSON: each file with its path, size and SHA-256). */
        String mediaType() {
            if (directory()) {
                return "application/json";
            }
            String name = ref.getName();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            return MEDIA_TYPES.getOrDefault(ext, "application/octet-stream");
        }

        /**
         * Its bytes from the execution's store, checked against the recorded SHA-256 before the first byte (a mismatch
         * or a missing blob: 409 naming it) and again as they stream ({@link ArtifactStore#writeVerified}).
         */
        Response download(Path trustedRoot, Path projectDir) {
            ArtifactStore store;
            try {
                store = ArtifactStore.of(trustedRoot, projectDir);
                store.verify(ref.getLocation(), ref.getSha256(), ref.getSize());
            } catch (IOException | RuntimeException e) {
                return ExecutionsResource.problem(409, "artifact " + ref.getName() + " (sha256 " + ref.getSha256()
                        + ") cannot be served: " + e.getMessage());
            }
            StreamingOutput body = out -> store.writeVerified(ref.getLocation(), ref.getSha256(), ref.getSize(), out);
            String file = (directory() ? ref.getName() + ".manifest.json" : ref.getName()).replaceAll("[^A-Za-z0-9._-]", "_");
            return Response.ok(body, mediaType()).header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "sandbox").header("ETag", "\"" + ref.getSha256() + "\"")
                    .header("Content-Disposition", (download() ? "attachment" : "inline") + "; filename=\"" + file + "\"")
                    .build();
        }

        private boolean download() {
            return mediaType().equals("application/octet-stream");
        }
    }

    private Artifacts() {
    }

    static ArrayNode list(EngineState s) {
        ArrayNode out = StateJson.MAPPER.createArrayNode();
        for (HandoffValidated h : s.getHandoffs()) {
            if (h.getStatus() != HandoffStatus.SUCCESS) {
                continue;
            }
            for (ArtifactRef a : h.getArtifacts()) {
                Found f = new Found(a, h);
                ObjectNode n = out.addObject().put("name", a.getName()).put("phase_id", a.getPhaseId())
                        .put("attempt", h.getAttempt()).put("handoff_id", h.getHandoffId()).put("sha256", a.getSha256())
                        .put("size", a.getSize()).put("kind", f.directory() ? "directory" : "file")
                        .put("media_type", f.mediaType()).put("contract", f.contract()).put("verdict", f.verdict())
                        .put("stored_at", h.getAt().toString())
                        .put("href", "/api/v1/executions/" + s.getExecutionId() + "/artifacts/" + a.getSha256());
                if (a.getTransform() != null) {
                    n.putObject("transform").put("source", a.getTransform().getSource())
                            .put("from", a.getTransform().getFromFormat()).put("to", a.getTransform().getToFormat());
                }
            }
        }
        return out;
    }

    /** The latest stored artifact of this execution with this SHA-256. */
    static Optional<Found> find(EngineState s, String sha256) {
        Found found = null;
        for (HandoffValidated h : s.getHandoffs()) {
            if (h.getStatus() == HandoffStatus.SUCCESS) {
                for (ArtifactRef a : h.getArtifacts()) {
                    if (a.getSha256().equalsIgnoreCase(sha256)) {
                        found = new Found(a, h);
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
