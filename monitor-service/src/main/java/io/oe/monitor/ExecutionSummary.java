package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An execution in a list or on the all-executions stream, as the OpenAPI document shows it; {@link StateJson#summary}
 * writes it (StateJsonTest keeps the two alike).
 */
@Schema(name = "ExecutionSummary", description = "An execution at a glance")
record ExecutionSummary(
        @JsonProperty("execution_id") @Schema(example = "exec_s3f0a9c1b2d4e5f60") String executionId,
        @JsonProperty("orchestration_plan_id") @Schema(example = "myapp") String orchestrationPlanId,
        @JsonProperty("project_name") @Schema(example = "MyApp") String projectName,
        @Schema(enumeration = {"initialized", "in_progress", "paused", "waiting_for_intervention", "completed",
                "cancelled"}) String status,
        @JsonProperty("dry_run") @Schema(description = "A dry run: sample outputs instead of agents (docs/architecture.md)")
        boolean dryRun,
        @JsonProperty("start_time") @Schema(format = "date-time", description = "null until it starts") String startTime,
        @JsonProperty("end_time") @Schema(format = "date-time", description = "null until it ends") String endTime,
        @JsonProperty("updated_at") @Schema(format = "date-time") String updatedAt,
        @JsonProperty("phases_completed") int phasesCompleted,
        @JsonProperty("phases_total") int phasesTotal,
        @JsonProperty("phase_counts") @Schema(description = "Phases per status (every status, zero included) and `total`")
        Map<String, Integer> phaseCounts,
        @JsonProperty("current_phases") @Schema(description = "The phases running now") List<Integer> currentPhases,
        @JsonProperty("tasks_completed") int tasksCompleted,
        @JsonProperty("tasks_total") int tasksTotal,
        @Schema(description = "What its agents reported using so far: input_tokens, output_tokens, cached_tokens,"
                + " total_tokens, cost_usd (US dollars), reports, unpriced_reports (reports whose cost is unknown), text (the"
                + " same in words)")
        Map<String, Object> usage) {
}
