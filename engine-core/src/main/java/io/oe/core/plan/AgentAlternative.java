package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One of the agents that may run a phase ({@code "alternatives"} in the plan, instead of {@code "agent"}), with the
 * condition under which it does: a CEL expression over {@code project}, the same language and facts as a phase's
 * {@code condition}. The first alternative whose condition holds runs; one without a condition always holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentAlternative(String agent, String condition) {
}
