package io.oe.planloader;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/executions/{id}/commands}, as the OpenAPI document shows it. The resource reads the
 * JSON field by field instead of binding it here, so that each refusal names the field that is wrong.
 */
@Schema(name = "Command", description = "A person's command on an execution (also what `oe retry`, `oe skip`, ... send)",
        requiredProperties = {"command"})
record CommandRequest(
        @Schema(enumeration = {"START", "RETRY", "SKIP", "CANCEL", "PAUSE", "RESUME", "APPROVE"},
                description = "Case does not matter", example = "RETRY") String command,
        @JsonProperty("phase_id") @Schema(description = "The phase: needed by RETRY, SKIP and APPROVE", example = "13")
        Integer phaseId,
        @Schema(description = "Who commands, for the execution log", defaultValue = "anonymous", example = "alice")
        String actor,
        @Schema(description = "Why, for the execution log", example = "fixed the npm registry URL") String reason,
        @Schema(ref = "EngineConfig", description = "With START: an engine.config.json replacing the one given at init")
        JsonNode config) {

    static final String EXAMPLE = """
            {"command": "RETRY", "phase_id": 13, "actor": "alice", "reason": "fixed the npm registry URL"}
            """;
}
