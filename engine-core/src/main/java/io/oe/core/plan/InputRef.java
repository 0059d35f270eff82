package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.oe.core.transform.FormatTransform;
import java.util.Optional;

/**
 * An artifact a phase reads, produced by phase {@code from}.
 *
 * @param as       the format the phase wants it in, when not the one its producer writes ({@code "json"}): the
 *                 Handoff Manager converts it at the producer's handoff ({@link FormatTransform})
 * @param contract the phase's own contract for the converted form (path relative to the project directory)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputRef(String artifact, int from, Boolean required, String as, String contract) {
    /** A required input from a skipped phase skips the reader too. Inputs are required unless said otherwise. */
    public boolean isRequired() {
        return required == null || required;
    }

    /** The conversion this input asks for, if any (the plan-loader has checked that the engine makes it). */
    @JsonIgnore
    public Optional<FormatTransform> transform() {
        return as == null ? Optional.empty() : Optional.of(FormatTransform.of(artifact, as));
    }

    /** The artifact the phase gets, under this name in its {@code inputs/}: {@code design.json} for design.yaml as json. */
    @JsonIgnore
    public String deliveredName() {
        return transform().map(t -> t.target(artifact)).orElse(artifact);
    }
}
