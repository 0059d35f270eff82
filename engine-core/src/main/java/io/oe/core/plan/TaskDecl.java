package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDecl(String id, String title, @JsonProperty("estimate_minutes") Double estimateMinutes) {
}
