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
        @Schema(enumeration = {"START", "RETRY", "SKIP", "CANCEL", "PAUSE", "RESUME", "APPROVE", "RERUN", "REVIEW", "BUDGET"},
                description = "Case does not matter", example = "RETRY") String command,
        @JsonProperty("phase_id") @Schema(description = "The phase: needed by RETRY, SKIP, APPROVE, RERUN and REVIEW", example = "13")
        Integer phaseId,
        @Schema(deprecated = true, description = "Ignored: the execution log records the authenticated identity as the"
                + " actor (a different value here is not refused, and the answer's `ignored` says it was not taken)",
                example = "alice") String actor,
        @Schema(description = "Why, for the execution log", example = "fixed the npm registry URL") String reason,
        @Schema(ref = "EngineConfig", description = "With START: an engine.config.json replacing the one given at init")
        JsonNode config,
        @JsonProperty("with_dependants") @Schema(description = "With RERUN: every phase that needs the phase, directly"
                + " or through the tier order, goes back to pending too", defaultValue = "false") Boolean withDependants,
        @Schema(description = "With RERUN, and REVIEW reject (where it is needed): a person's words for the phase's"
                + " next attempt, shown in its agent's prompt with who and when; at most 16 KiB (16,384 bytes) of UTF-8",
                example = "Name the database tables in snake_case") String feedback,
        @Schema(enumeration = {"approve", "reject", "replace"}, description = "With REVIEW: approve the outputs (the"
                + " phase completes), reject them (it reruns with the feedback), or replace one by a file (the phase"
                + " completes with it once the handoff-service validated it)", example = "approve") String decision,
        @Schema(description = "With REVIEW replace: the output the file replaces", example = "design.json") String output,
        @Schema(description = "With REVIEW replace: the file, relative to the execution's project directory; refused"
                + " if it leaves the project or goes through a symbolic link", example = "reviews/design.json")
        String path,
        @Schema(description = "With BUDGET: the new token limit (input + output + cached) of the phase's budget"
                + " (phase_id) or, without a phase, of the execution's; above what is used and the runner"
                + " configuration's budget_ceiling", example = "200000") Long tokens,
        @JsonProperty("cost_usd") @Schema(description = "With BUDGET: the new cost limit in US dollars, likewise",
                example = "5.0") Double costUsd) {

    static final String EXAMPLE = """
            {"command": "RETRY", "phase_id": 13, "reason": "fixed the npm registry URL"}
            """;
}
