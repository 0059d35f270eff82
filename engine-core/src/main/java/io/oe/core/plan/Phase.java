package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record Phase(
        int id,
        String name,
        String agent,
        String description,
        String status,
        @JsonProperty("depends_on") List<Integer> dependsOn,
        String condition,
        List<InputRef> inputs,
        List<OutputDecl> outputs,
        List<TaskDecl> tasks,
        @JsonProperty("timeout_minutes") Double timeoutMinutes,
        @JsonProperty("task_timeout_minutes") Double taskTimeoutMinutes,
        RetrySettings retry,
        Boolean approval,
        List<AgentAlternative> alternatives,
        Boolean review) {

    public Phase {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        dependsOn = dependsOn == null ? null : List.copyOf(dependsOn);
        alternatives = alternatives == null ? null : List.copyOf(alternatives);
    }

    /** The plan says this phase was done before the execution; it is not run again. */
    @JsonIgnore
    public boolean alreadyCompleted() {
        return "completed".equals(status);
    }

    @JsonIgnore
    public boolean needsApproval() {
        return Boolean.TRUE.equals(approval);
    }

    /**
     * Whether the phase's validated outputs wait for a person's review before it completes: its own {@code review},
     * else the configuration's {@code review_outputs}.
     */
    public boolean needsReview(EngineConfig config) {
        return review != null ? review : config.reviewsOutputs();
    }

    /**
     * {@code @doc} → {@code doc}: the file name of the agent's definition without its suffix. Null for a phase that
     * names alternatives: which agent runs it is only known at dispatch ({@code AgentChoice}).
     */
    @JsonIgnore
    public String agentName() {
        return agent == null ? null : agentName(agent);
    }

    /** {@code @doc} → {@code doc}, of any agent reference. */
    public static String agentName(String agent) {
        return agent.startsWith("@") ? agent.substring(1) : agent;
    }

    /** The phase names agent alternatives: the first whose condition holds runs it. */
    @JsonIgnore
    public boolean hasAlternatives() {
        return alternatives != null && !alternatives.isEmpty();
    }

    /** Every agent that may run the phase: its agent, or its alternatives' in order. */
    @JsonIgnore
    public List<String> agents() {
        if (!hasAlternatives()) {
            return agent == null ? List.of() : List.of(agent);
        }
        return alternatives.stream().map(AgentAlternative::agent).toList();
    }

    /**
     * How messages and views name the phase's agent before it runs: its agent, or its alternatives as the
     * specification writes them ({@code @nodejs/@dotnet}).
     */
    @JsonIgnore
    public String agentLabel() {
        return String.join("/", agents());
    }

    /** "phase 9 (Azure design)": how messages name a phase. */
    @JsonIgnore
    public String label() {
        return "phase " + id + " (" + name + ")";
    }
}
