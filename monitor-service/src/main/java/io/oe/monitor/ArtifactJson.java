package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored artifact as {@code GET …/artifacts} lists it; {@link Artifacts#list} writes it (DocumentedShapesTest keeps the two alike). */
@Schema(name = "Artifact", description = "An artifact a validated handoff stored")
record ArtifactJson(
        @Schema(example = "code-architecture.json") String name,
        @JsonProperty("phase_id") @Schema(description = "The phase that produced it") int phaseId,
        @Schema(description = "The attempt whose handoff stored it") int attempt,
        @JsonProperty("handoff_id") String handoffId,
        @Schema(description = "SHA-256 of its bytes (a directory artifact: of its manifest); its id in the download URL")
        String sha256,
        @Schema(description = "Bytes (a directory artifact: all its files)") long size,
        @Schema(enumeration = {"file", "directory"}) String kind,
        @JsonProperty("media_type") @Schema(description = "What the download answers with") String mediaType,
        @Schema(description = "The contract it was validated against, relative to the project directory; null when its"
                + " output declares none") String contract,
        @Schema(enumeration = {"valid", "no_contract"}, description = "valid: it satisfied its contract; no_contract: stored"
                + " without one") String verdict,
        @JsonProperty("stored_at") @Schema(format = "date-time") String storedAt,
        @Schema(description = "Where to download it") String href,
        @Schema(description = "Set when the engine converted it from another output for a consumer: source, from, to")
        Map<String, String> transform) {
}
