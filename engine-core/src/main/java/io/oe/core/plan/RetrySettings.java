package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The seed's retry_policy, in engine.config.json and as a per-phase override; absent fields inherit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrySettings(
        @JsonProperty("max_retries") Integer maxRetries,
        @JsonProperty("backoff_seconds") Double backoffSeconds) {
}
