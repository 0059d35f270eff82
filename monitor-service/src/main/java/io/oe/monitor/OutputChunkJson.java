package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One chunk of an agent's output as the API gives it; {@link PhaseOutput#chunk} writes it (DocumentedShapesTest). */
@Schema(name = "OutputChunk", description = "A chunk of what a phase attempt's agent printed, secrets redacted")
record OutputChunkJson(
        @Schema(description = "0, 1, 2... within the attempt: ask from the next one") long seq,
        @Schema(enumeration = {"stdout", "stderr", "unknown"}, description = "unknown: a marker, or an HTTP runner's log")
        String stream,
        @Schema(description = "The text (not UTF-8 and control characters read as U+FFFD); show it as text, never as HTML",
                example = "running tests\n") String text,
        @Schema(format = "date-time") String at,
        @Schema(description = "The attempt's output reached the gateway's cap: this chunk says so, no more text follows")
        boolean cut,
        @JsonProperty("dropped_bytes") @Schema(description = "Bytes dropped just before this chunk (the gateway could not"
                + " publish them fast enough)") long droppedBytes,
        @Schema(description = "The agent ended: nothing follows") boolean last) {
}
