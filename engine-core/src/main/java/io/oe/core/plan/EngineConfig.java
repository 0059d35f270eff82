package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's engine.config.json, every key honoured, defaults filled in. Paths are relative to the project
 * directory.
 */
@JsonIgnoreProperties({"$schema"})
public record EngineConfig(
        @JsonProperty("orchestration_plan_path") String orchestrationPlanPath,
        @JsonProperty("project_plan_path") String projectPlanPath,
        @JsonProperty("execution_log_path") String executionLogPath,
        @JsonProperty("state_file_path") String stateFilePath,
        @JsonProperty("max_concurrent_phases") Integer maxConcurrentPhases,
        @JsonProperty("phase_timeout_minutes") Double phaseTimeoutMinutes,
        @JsonProperty("task_timeout_minutes") Double taskTimeoutMinutes,
        @JsonProperty("retry_policy") RetrySettings retryPolicy,
        @JsonProperty("monitoring_enabled") Boolean monitoringEnabled,
        @JsonProperty("update_project_plan_on_progress") Boolean updateProjectPlanOnProgress,
        @JsonProperty("alert_on_failure") Boolean alertOnFailure,
        @JsonProperty("alerts") Map<String, Boolean> alerts,
        @JsonProperty("review_outputs") Boolean reviewOutputs,
        @JsonProperty("budget") Budget budget,
        @JsonProperty("priority") Integer priority) {
    /**
     * The bounds of {@code priority} (engine-config.schema.json says the same): among phases of several executions
     * waiting for a seat of one limit, the higher priority goes first (docs/architecture.md, "Limits across executions").
     */
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;

    public EngineConfig {
        alerts = alerts == null ? null : Collections.unmodifiableMap(new TreeMap<>(alerts));
    }

    /** A configuration that says nothing of priority (0, the default). */
    public EngineConfig(String orchestrationPlanPath, String projectPlanPath, String executionLogPath, String stateFilePath,
            Integer maxConcurrentPhases, Double phaseTimeoutMinutes, Double taskTimeoutMinutes, RetrySettings retryPolicy,
            Boolean monitoringEnabled, Boolean updateProjectPlanOnProgress, Boolean alertOnFailure,
            Map<String, Boolean> alerts, Boolean reviewOutputs, Budget budget) {
        this(orchestrationPlanPath, projectPlanPath, executionLogPath, stateFilePath, maxConcurrentPhases,
                phaseTimeoutMinutes, taskTimeoutMinutes, retryPolicy, monitoringEnabled, updateProjectPlanOnProgress,
                alertOnFailure, alerts, reviewOutputs, budget, null);
    }

    /** A configuration that says nothing of budgets (nothing limits what agents use, unless a ceiling does). */
    public EngineConfig(String orchestrationPlanPath, String projectPlanPath, String executionLogPath, String stateFilePath,
            Integer maxConcurrentPhases, Double phaseTimeoutMinutes, Double taskTimeoutMinutes, RetrySettings retryPolicy,
            Boolean monitoringEnabled, Boolean updateProjectPlanOnProgress, Boolean alertOnFailure,
            Map<String, Boolean> alerts, Boolean reviewOutputs) {
        this(orchestrationPlanPath, projectPlanPath, executionLogPath, stateFilePath, maxConcurrentPhases,
                phaseTimeoutMinutes, taskTimeoutMinutes, retryPolicy, monitoringEnabled, updateProjectPlanOnProgress,
                alertOnFailure, alerts, reviewOutputs, null);
    }

    /** A configuration that says nothing of the alert kinds (every kind on, unless {@code alertOnFailure} is false). */
    public EngineConfig(String orchestrationPlanPath, String projectPlanPath, String executionLogPath, String stateFilePath,
            Integer maxConcurrentPhases, Double phaseTimeoutMinutes, Double taskTimeoutMinutes, RetrySettings retryPolicy,
            Boolean monitoringEnabled, Boolean updateProjectPlanOnProgress, Boolean alertOnFailure) {
        this(orchestrationPlanPath, projectPlanPath, executionLogPath, stateFilePath, maxConcurrentPhases,
                phaseTimeoutMinutes, taskTimeoutMinutes, retryPolicy, monitoringEnabled, updateProjectPlanOnProgress,
                alertOnFailure, null, null);
    }

    /** A configuration that says nothing of reviews (phases' outputs are not reviewed unless a phase says so). */
    public EngineConfig(String orchestrationPlanPath, String projectPlanPath, String executionLogPath, String stateFilePath,
            Integer maxConcurrentPhases, Double phaseTimeoutMinutes, Double taskTimeoutMinutes, RetrySettings retryPolicy,
            Boolean monitoringEnabled, Boolean updateProjectPlanOnProgress, Boolean alertOnFailure,
            Map<String, Boolean> alerts) {
        this(orchestrationPlanPath, projectPlanPath, executionLogPath, stateFilePath, maxConcurrentPhases,
                phaseTimeoutMinutes, taskTimeoutMinutes, retryPolicy, monitoringEnabled, updateProjectPlanOnProgress,
                alertOnFailure, alerts, null);
    }

    /** The keys that name files of the project. */
    public static final List<String> PATH_KEYS = List.of("orchestration_plan_path", "project_plan_path",
            "execution_log_path", "state_file_path");

    public static final EngineConfig DEFAULTS = new EngineConfig(
            "tee-output/orchestration-plan.json", "ProjectPlan/project-plan.json", "tee-output/execution-log.json",
            "tee-output/engine-state.json", 3, 120.0, 60.0, new RetrySettings(3, 30.0), true, true, true, allAlerts(), false,
            null, 0);

    /** This configuration with every absent key taken from {@link #DEFAULTS}. */
    public EngineConfig withDefaults() {
        EngineConfig d = DEFAULTS;
        RetrySettings retry = retryPolicy == null ? d.retryPolicy : new RetrySettings(
                retryPolicy.maxRetries() == null ? d.retryPolicy.maxRetries() : retryPolicy.maxRetries(),
                retryPolicy.backoffSeconds() == null ? d.retryPolicy.backoffSeconds() : retryPolicy.backoffSeconds());
        return new EngineConfig(
                or(orchestrationPlanPath, d.orchestrationPlanPath), or(projectPlanPath, d.projectPlanPath),
                or(executionLogPath, d.executionLogPath), or(stateFilePath, d.stateFilePath),
                or(maxConcurrentPhases, d.maxConcurrentPhases), or(phaseTimeoutMinutes, d.phaseTimeoutMinutes),
                or(taskTimeoutMinutes, d.taskTimeoutMinutes), retry, or(monitoringEnabled, d.monitoringEnabled),
                or(updateProjectPlanOnProgress, d.updateProjectPlanOnProgress), or(alertOnFailure, d.alertOnFailure),
                mergedAlerts(), or(reviewOutputs, d.reviewOutputs), budget, or(priority, d.priority));
    }

    /** This configuration with another budget (a person's {@code oe budget}, a runner ceiling filled in). */
    public EngineConfig withBudget(Budget b) {
        return new EngineConfig(orchestrationPlanPath, projectPlanPath, executionLogPath, stateFilePath,
                maxConcurrentPhases, phaseTimeoutMinutes, taskTimeoutMinutes, retryPolicy, monitoringEnabled,
                updateProjectPlanOnProgress, alertOnFailure, alerts, reviewOutputs, b, priority);
    }

    /** Every kind on, then what this configuration says (a kind it does not name stays on). */
    private Map<String, Boolean> mergedAlerts() {
        Map<String, Boolean> merged = new TreeMap<>(allAlerts());
        if (alerts != null) {
            alerts.forEach((kind, on) -> merged.put(kind, on == null || on));
        }
        return merged;
    }

    private static Map<String, Boolean> allAlerts() {
        Map<String, Boolean> all = new TreeMap<>();
        AlertKind.names().forEach(k -> all.put(k, true));
        return all;
    }

    /**
     * Whether the scheduler raises alerts of this kind: on unless {@code alerts} switches it off; retries_exhausted
     * also needs {@code alert_on_failure} (as before {@code alerts} existed), so either switch silences it.
     */
    public boolean alertOn(AlertKind kind) {
        if (kind == AlertKind.RETRIES_EXHAUSTED && Boolean.FALSE.equals(alertOnFailure)) {
            return false;
        }
        return alerts == null || !Boolean.FALSE.equals(alerts.get(kind.json()));
    }

    /** Whether a phase that says nothing of {@code review} waits for a person's review of its outputs. */
    public boolean reviewsOutputs() {
        return Boolean.TRUE.equals(reviewOutputs);
    }

    /** The execution's priority for seats of a limit (0 when it says none). */
    public int priorityOrDefault() {
        return priority == null ? 0 : priority;
    }

    public Duration phaseTimeout() {
        return minutes(phaseTimeoutMinutes);
    }

    public Duration taskTimeout() {
        return minutes(taskTimeoutMinutes);
    }

    static Duration minutes(double minutes) {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
