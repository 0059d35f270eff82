package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An orchestration plan, as read from orchestration-plan.json (validated by {@link PlanValidator}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plan(
        @JsonProperty("plan_id") String planId,
        @JsonProperty("project_name") String projectName,
        String description,
        List<Tier> tiers,
        List<Phase> phases) {

    public Plan {
        tiers = List.copyOf(tiers);
        phases = List.copyOf(phases);
    }

    @JsonIgnore
    public Map<Integer, Phase> phasesById() {
        Map<Integer, Phase> byId = new LinkedHashMap<>();
        phases.forEach(p -> byId.putIfAbsent(p.id(), p));
        return byId;
    }

    public Optional<Phase> phase(int id) {
        return phases.stream().filter(p -> p.id() == id).findFirst();
    }

    public Optional<Tier> tierOf(int phaseId) {
        return tiers.stream().filter(t -> t.phases().contains(phaseId)).findFirst();
    }
}
