package io.oe.core.scheduler;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.condition.ConditionEvaluator;
import io.oe.core.plan.AgentAlternative;
import io.oe.core.plan.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a phase's agent alternatives runs it, and why: the first whose condition holds over the project's facts
 * (the language and facts of a phase's {@code condition}, {@link ConditionEvaluator}). Made once, when the phase
 * first leaves {@code pending}, and kept: retries run the same agent. When no condition holds the phase is skipped,
 * as a phase whose own condition is false.
 *
 * @param chosen       1-based position of the alternative that runs; 0 when none holds
 * @param alternatives every alternative of the phase, in plan order, with what its condition gave
 */
public record AgentChoice(int chosen, List<Considered> alternatives) {
    public static final String HOLDS = "holds";
    public static final String FALSE = "false";
    public static final String ERROR = "error";
    /** An alternative after the chosen one: its condition was not evaluated. */
    public static final String NOT_EVALUATED = "not_evaluated";

    public AgentChoice {
        alternatives = List.copyOf(alternatives);
    }

    /**
     * One alternative and its condition's outcome: {@link #HOLDS}, {@link #FALSE}, {@link #ERROR} (the condition could
     * not be evaluated, with {@code error}: it does not hold) or {@link #NOT_EVALUATED}.
     */
    public record Considered(String agent, String condition, String outcome, String error) {
    }

    /** Evaluates the alternatives' conditions in order until one holds. A pure function of the phase and the facts. */
    public static AgentChoice of(Phase phase, JsonNode facts, ConditionEvaluator conditions) {
        List<Considered> out = new ArrayList<>();
        int chosen = 0;
        for (AgentAlternative alt : phase.alternatives()) {
            if (chosen > 0) {
                out.add(new Considered(alt.agent(), alt.condition(), NOT_EVALUATED, null));
            } else if (alt.condition() == null) {
                out.add(new Considered(alt.agent(), null, HOLDS, null));
                chosen = out.size();
            } else {
                var outcome = conditions.evaluate(alt.condition(), facts);
                out.add(new Considered(alt.agent(), alt.condition(),
                        outcome.failed() ? ERROR : outcome.value() ? HOLDS : FALSE, outcome.error()));
                if (outcome.value()) {
                    chosen = out.size();
                }
            }
        }
        return new AgentChoice(chosen, out);
    }

    /** The agent that runs the phase, or null when no alternative's condition holds. */
    @JsonIgnore
    public String agent() {
        return chosen == 0 ? null : alternatives.get(chosen - 1).agent();
    }

    /**
     * The choice in words, for the state, the log and the report: "@react chosen (alternative 2 of 2): `c2` holds;
     * before it, @vue's `c1` is false", or "no alternative's condition holds: …".
     */
    @JsonIgnore
    public String reason() {
        StringBuilder out = new StringBuilder();
        List<Considered> before = alternatives.subList(0, chosen == 0 ? alternatives.size() : chosen - 1);
        if (chosen == 0) {
            out.append("no alternative's condition holds: ");
        } else {
            Considered c = alternatives.get(chosen - 1);
            out.append(c.agent()).append(" chosen (alternative ").append(chosen).append(" of ").append(alternatives.size());
            out.append(c.condition() == null ? ", which has no condition)" : "): `" + c.condition() + "` holds");
            if (!before.isEmpty()) {
                out.append("; before it, ");
            }
        }
        for (int i = 0; i < before.size(); i++) {
            Considered c = before.get(i);
            out.append(i == 0 ? "" : "; ").append(c.agent()).append("'s `").append(c.condition()).append('`')
                    .append(ERROR.equals(c.outcome()) ? " could not be evaluated: " + c.error() : " is false");
        }
        return out.toString();
    }
}
