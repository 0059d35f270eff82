package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a phase attempt's output; {@link PhaseOutput#page} writes it (DocumentedShapesTest). */
@Schema(name = "OutputPage", description = "A phase attempt's output chunks from `from`, in order")
record OutputPageJson(
        @JsonProperty("execution_id") String executionId,
        @JsonProperty("phase_id") int phaseId,
        @Schema(description = "The attempt (the latest when the request named none)") int attempt,
        @JsonProperty("attempt_ended") @Schema(description = "The engine state says the attempt ended") boolean attemptEnded,
        List<OutputChunkJson> chunks,
        @Schema(description = "The seq to ask from for what follows") long next,
        @Schema(description = "The attempt's last chunk is in this page: nothing follows") boolean complete) {
}
