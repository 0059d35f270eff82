package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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

    /**
     * Why a BUDGET giving {@code next} may not replace the limit of the execution ({@code phaseId} null) or of phase
     * {@code phaseId} under {@code current} (null: no budget): a BUDGET only raises. Each measure it gives must be above
     * what is already used of it ({@code usedTokens}, {@code usedCostUsd}: the scheduler's count; 0 where it is not
     * known, as in the plan-loader, which refuses what it can before anything is published) and above the limit it
     * replaces; a measure without a limit has none to raise (a lower limit, or a new one, would stop what the plan let
     * run). Empty when it may; else the field ({@code tokens} or {@code cost_usd}) and why, naming both figures.
     */
    public static Optional<Violation> raiseRefusal(Budget current, Integer phaseId, BudgetLimit next, long usedTokens,
            double usedCostUsd) {
        String name = phaseId == null ? "the execution's budget" : "phase " + phaseId + "'s budget";
        BudgetLimit now = current == null ? null : phaseId == null ? current.execution : current.forPhase(phaseId);
        if (next.tokens() != null) {
            Long limit = now == null ? null : now.tokens();
            if (next.tokens() <= usedTokens) {
                return Optional.of(new Violation("tokens", name + " of " + next.tokens() + " tokens is not above the "
                        + usedTokens + " tokens already used"));
            }
            if (limit == null) {
                return Optional.of(new Violation("tokens", name + " has no token limit to raise (a BUDGET only raises"
                        + " a limit the configuration set)"));
            }
            if (next.tokens() <= limit) {
                return Optional.of(new Violation("tokens", name + " of " + next.tokens() + " tokens is not a raise: its"
                        + " limit is " + limit + " tokens"));
            }
        }
        if (next.costUsd() != null) {
            Double limit = now == null ? null : now.costUsd();
            if (next.costUsd() <= usedCostUsd) {
                return Optional.of(new Violation("cost_usd", name + " of " + usd(next.costUsd()) + " is not above the "
                        + usd(usedCostUsd) + " already used"));
            }
            if (limit == null) {
                return Optional.of(new Violation("cost_usd", name + " has no cost limit to raise (a BUDGET only raises"
                        + " a limit the configuration set)"));
            }
            if (next.costUsd() <= limit) {
                return Optional.of(new Violation("cost_usd", name + " of " + usd(next.costUsd()) + " is not a raise: its"
                        + " limit is " + usd(limit)));
            }
        }
        return Optional.empty();
    }

    /** "$1.2500": how budgets and their usage are written in reasons and refusals. */
    public static String usd(double v) {
        return String.format(Locale.ROOT, "$%.4f", v);
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
