package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * engine.config.json's {@code budget}: what an execution ({@code execution}) and each of its phases ({@code phase}, every
 * attempt of the phase together) may use, and per-phase exceptions ({@code phases}, by phase id: what {@code oe budget
 * --phase N} raises). The scheduler holds usage to it (docs/architecture.md, "Budgets"). The trusted runner
 * configuration's {@code budget_ceiling}, of the same shape, bounds it ({@link #ceilingProblems}, {@link #under}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Budget(@JsonProperty("execution") BudgetLimit execution, @JsonProperty("phase") BudgetLimit phase,
        @JsonProperty("phases") Map<String, BudgetLimit> phases) {

    public Budget {
        phases = phases == null || phases.isEmpty() ? null : Collections.unmodifiableMap(new TreeMap<>(phases));
    }

    /** The limit of phase {@code phaseId}: its own exception, each measure it does not give from {@code phase}. */
    public BudgetLimit forPhase(int phaseId) {
        BudgetLimit own = phases == null ? null : phases.get(String.valueOf(phaseId));
        return own == null ? phase : own.or(phase);
    }

    /** This budget with the execution's limit (phaseId null) or one phase's raised to {@code raised}'s measures. */
    public Budget raised(Integer phaseId, BudgetLimit raised) {
        if (phaseId == null) {
            return new Budget(raised.or(execution), phase, phases);
        }
        Map<String, BudgetLimit> more = new TreeMap<>(phases == null ? Map.of() : phases);
        more.put(String.valueOf(phaseId), raised.or(forPhase(phaseId)));
        return new Budget(execution, phase, more);
    }

    /** What is wrong with the values, each naming its place under {@code where} (e.g. {@code config.budget}). */
    public List<String> problems(String where) {
        List<String> out = new ArrayList<>();
        if (execution != null) {
            out.addAll(execution.problems(where + ".execution"));
        }
        if (phase != null) {
            out.addAll(phase.problems(where + ".phase"));
        }
        if (phases != null) {
            phases.forEach((id, limit) -> {
                if (!id.matches("[0-9]{1,9}")) {
                    out.add(where + ".phases['" + id + "'] is not a phase id");
                } else if (limit != null) {
                    out.addAll(limit.problems(where + ".phases['" + id + "']"));
                }
            });
        }
        return out;
    }

    /**
     * Where a plan's budget ({@code plan}, may be null) goes above the ceiling, each naming the plan's key and the
     * ceiling's: a plan may not raise what the runner configuration bounds. A measure the plan leaves out is not above
     * it: {@link #under} gives it the ceiling's.
     */
    public static List<String> ceilingProblems(Budget plan, Budget ceiling, String where) {
        List<String> out = new ArrayList<>();
        if (plan == null || ceiling == null) {
            return out;
        }
        above(out, plan.execution, ceiling.execution, where + ".execution", "budget_ceiling.execution");
        above(out, plan.phase, ceiling.phase, where + ".phase", "budget_ceiling.phase");
        if (plan.phases != null) {
            plan.phases.forEach((id, limit) -> above(out, limit, ceiling.phase, where + ".phases['" + id + "']",
                    "budget_ceiling.phase"));
        }
        return out;
    }

    private static void above(List<String> out, BudgetLimit plan, BudgetLimit ceiling, String where, String ceilingKey) {
        if (plan == null || ceiling == null) {
            return;
        }
        if (plan.tokens() != null && ceiling.tokens() != null && plan.tokens() > ceiling.tokens()) {
            out.add(where + ".tokens is " + plan.tokens() + ", above the runner configuration's " + ceilingKey + ".tokens "
                    + ceiling.tokens());
        }
        if (plan.costUsd() != null && ceiling.costUsd() != null && plan.costUsd() > ceiling.costUsd()) {
            out.add(where + ".cost_usd is " + plan.costUsd() + ", above the runner configuration's " + ceilingKey
                    + ".cost_usd " + ceiling.costUsd());
        }
    }

    /** {@code plan}'s budget (null: none) with each measure it leaves out taken from the ceiling (null: none). */
    public static Budget under(Budget plan, Budget ceiling) {
        if (ceiling == null) {
            return plan;
        }
        if (plan == null) {
            return new Budget(ceiling.execution, ceiling.phase, null);
        }
        return new Budget(plan.execution == null ? ceiling.execution : plan.execution.or(ceiling.execution),
                plan.phase == null ? ceiling.phase : plan.phase.or(ceiling.phase), plan.phases);
    }
}
