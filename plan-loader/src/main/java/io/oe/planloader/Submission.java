package io.oe.planloader;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A plan bundle as the CLI packs it from a project directory (see docs/architecture.md, "REST"). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Submission(
        @JsonProperty("submission_id") String submissionId,
        @JsonProperty("project_dir") String projectDir,
        JsonNode plan,
        @JsonProperty("project_plan") JsonNode projectPlan,
        JsonNode config,
        Map<String, String> contracts,
        Map<String, String> agents,
        boolean autostart,
        @JsonProperty("submitted_by") String submittedBy) {
}
