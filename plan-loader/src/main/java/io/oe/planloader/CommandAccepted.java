package io.oe.planloader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted command: it is on execution-control, and the scheduler acts on it. */
@Schema(name = "CommandAccepted", description = "The command was published; the execution's state shows its effect")
public record CommandAccepted(
        @JsonProperty("command_id") @Schema(example = "5b0c4c1e-8a55-4f43-9a43-0d2c6f3b5e7a") String commandId,
        @JsonProperty("execution_id") @Schema(example = "exec_s3f0a9c1b2d4e5f60") String executionId,
        @Schema(example = "RETRY") String command,
        @Schema(description = "When the command was published (ISO-8601): the execution's state shows its effect from"
                + " then on (what `oe rerun --wait` waits for)", example = "2026-12-01T05:10:00.123Z") String at,
        @Schema(description = "Who commanded, as the execution log records it: the authenticated identity (anonymous"
                + " when the API is open)", example = "alice") String actor,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "What of the body was not taken: an actor"
                + " other than the identity's (absent when nothing was ignored)", nullable = true,
                example = "actor 'bob' in the body is ignored: the actor is the authenticated identity alice")
        String ignored) {
}
