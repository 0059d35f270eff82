package io.oe.planloader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.oe.events.PlanLoaded;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted plan: the execution it registered (or had registered, for a repeated submission id). */
@Schema(name = "Registered", description = "The execution the plan bundle registered")
public record Registered(
        @JsonProperty("execution_id") @Schema(description = "Where to find it (monitor) and what to command",
                example = "exec_s3f0a9c1b2d4e5f60") String executionId,
        @JsonProperty("submission_id") @Schema(description = "The bundle's submission_id, or the execution id when it had none",
                example = "myapp-release-42") String submissionId,
        @JsonProperty("plan_id") @Schema(example = "myapp") String planId,
        @JsonProperty("project_name") @Schema(example = "MyApp") String projectName,
        @JsonProperty("project_dir") @Schema(example = "/srv/projects/myapp") String projectDir,
        @Schema(description = "How many phases the plan has", example = "2") int phases,
        @Schema(description = "Whether the execution starts at once") boolean autostart,
        @JsonProperty("dry_run") @Schema(description = "Whether it is a dry run (sample outputs instead of agents)")
        boolean dryRun,
        @Schema(description = "True when this submission id had already started this execution: nothing was published again")
        boolean duplicate,
        @JsonProperty("submitted_by") @Schema(description = "Who submitted it, as the execution log records it: the"
                + " authenticated identity (anonymous when the API is open)", example = "alice") String submittedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "What of the bundle was not taken: a"
                + " submitted_by other than the identity's (absent when nothing was ignored)", nullable = true,
                example = "submitted_by 'ci' in the body is ignored: the actor is the authenticated identity alice")
        String ignored) {

    static Registered of(PlanLoaded event, int phases, boolean duplicate, String ignored) {
        return new Registered(event.getExecutionId(), event.getSubmissionId(), event.getPlanId(), event.getProjectName(),
                event.getProjectDir(), phases, event.getAutostart(), event.getDryRun(), duplicate, event.getSubmittedBy(),
                ignored);
    }
}
