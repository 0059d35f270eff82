package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An artifact a phase reads, produced by phase {@code from}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputRef(String artifact, int from, Boolean required) {
    /** A required input from a skipped phase skips the reader too. Inputs are required unless said otherwise. */
    public boolean isRequired() {
        return required == null || required;
    }
}
