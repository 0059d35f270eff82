package io.oe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON report as the OpenAPI document shows it: its sections; {@link Report#json} writes it (ReportTest keeps
 * the two alike).
 */
@Schema(name = "Report", description = "The report as data: the same facts as the Markdown report")
record ReportJson(
        @Schema(description = "The execution's summary (as ExecutionSummary) with wall_time_seconds") JsonNode summary,
        @Schema(description = "Each tier: name, mode, phases, counts per status, duration_seconds") List<JsonNode> tiers,
        @Schema(description = "Where branches join: phases (the sync point), waits_for (the phases they wait for), tier "
                + "(the tier those make up, or null), text") @JsonProperty("sync_points") List<JsonNode> syncPoints,
        @Schema(description = "Each phase: id, name, agent, tier, status, attempts, times (started_at and duration_seconds "
                + "of its last attempt, first_started_at and elapsed_seconds over all), reason, last_error, note (what "
                + "to show beside its status), attempts_summary, attempt_history (each attempt's usage when it reported some), usage, "
                + "budget_use (its limit beside its usage, as the top-level budget_use; null without a limit)")
        List<JsonNode> phases,
        @Schema(description = "Each phase with agent alternatives: phase_id, name, and which alternative was chosen and why"
                + " (chosen: its 1-based position, 0 when none holds; agent; condition; reason; alternatives: every one with"
                + " its condition's outcome)") List<JsonNode> alternatives,
        @Schema(description = "Skipped phases with their reasons") List<JsonNode> skipped,
        @Schema(description = "Every failed attempt with its error") List<JsonNode> errors,
        @Schema(description = "What the agents reported using: totals (input_tokens, output_tokens, cached_tokens,"
                + " total_tokens, cost_usd, reports, unpriced_reports), by_model, and by_agent (each with its by_model)")
        JsonNode usage,
        @Schema(description = "The budget the scheduler applied (engine.config.json's budget with the runner's ceiling and"
                + " every raise); null without one") JsonNode budget,
        @Schema(description = "The execution's limit beside its usage: tokens and/or cost_usd (each used, limit, percent)"
                + " and text (\"tokens 1,234 of 5,000 (25 %)\"); null without a limit")
        @JsonProperty("budget_use") JsonNode budgetUse,
        @Schema(description = "The handoffs, with their artifacts, checksums and every contract violation")
        List<JsonNode> handoffs,
        @Schema(description = "Each task: id, phase_id, title, status, progress, duration_minutes") List<JsonNode> tasks,
        @Schema(description = "Alerts raised") List<JsonNode> alerts) {
}
