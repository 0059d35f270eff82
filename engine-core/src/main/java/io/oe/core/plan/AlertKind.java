package io.oe.core.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The alerts the scheduler raises on the {@code alerts} topic, each with its severity. Each can be switched off in
 * engine.config.json's {@code alerts} object by its {@link #json() name}; {@code retries_exhausted} also by
 * {@code alert_on_failure} (either switch off silences it). The JSON Schema of the config names the same kinds
 * ({@code PlanValidatorTest} checks that the two lists agree), so an unknown kind in a config is refused.
 */
public enum AlertKind {
    /** A phase's retries ran out: it waits for a person (oe retry / oe skip). */
    RETRIES_EXHAUSTED("retries_exhausted", "CRITICAL"),
    /** An attempt failed by its timeout: the gateway stopped the agent, or no result came within timeout + grace. */
    ATTEMPT_TIMED_OUT("attempt_timed_out", "WARNING"),
    /** An attempt failed because its agent's heartbeats stopped (agent or gateway lost). */
    HEARTBEAT_LOST("heartbeat_lost", "WARNING"),
    /** An attempt's outputs broke their contracts at the handoff. */
    CONTRACT_VIOLATED("contract_violated", "WARNING"),
    /** A phase waits for a person's approval (oe approve). */
    WAITING_FOR_APPROVAL("waiting_for_approval", "INFO"),
    /** A phase's outputs passed their contracts and wait for a person's review (oe review). */
    WAITING_FOR_REVIEW("waiting_for_review", "INFO"),
    /**
     * The execution has run longer than its plan's estimates say it should ({@link Estimate}): once per execution, and
     * only for a plan that gives estimates.
     */
    EXECUTION_BEHIND_ESTIMATE("execution_behind_estimate", "WARNING"),
    /** Usage crossed 80 % of a budget (the execution's or a phase's, tokens or cost): once per budget and limit. */
    BUDGET_WARNING("budget_warning", "WARNING"),
    /** Usage reached a budget: the running attempt was stopped and its phase waits for a person (oe budget, oe retry). */
    BUDGET_EXCEEDED("budget_exceeded", "CRITICAL");

    private final String json;
    private final String severity;

    AlertKind(String json, String severity) {
        this.json = json;
        this.severity = severity;
    }

    /** The kind's name on the {@code alerts} topic and in engine.config.json's {@code alerts}. */
    public String json() {
        return json;
    }

    /** INFO, WARNING or CRITICAL: the {@code Severity} of its {@code Alert} event. */
    public String severity() {
        return severity;
    }

    public static Optional<AlertKind> of(String json) {
        return Arrays.stream(values()).filter(k -> k.json.equals(json)).findFirst();
    }

    /** Every kind's name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(AlertKind::json).toList();
    }
}
