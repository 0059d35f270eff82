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
        Boolean approval) {

    public Phase {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        dependsOn = dependsOn == null ? null : List.copyOf(dependsOn);
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

    /** {@code @doc} → {@code doc}: the file name of the agent's definition without its suffix. */
    @JsonIgnore
    public String agentName() {
        return agent.startsWith("@") ? agent.substring(1) : agent;
    }

    /** "phase 9 (Azure design)": how messages name a phase. */
    @JsonIgnore
    public String label() {
        return "phase " + id + " (" + name + ")";
    }
}
