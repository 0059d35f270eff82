package io.oe.core.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An artifact a phase must produce, and the path of its contract relative to the project directory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputDecl(String artifact, String contract) {
}
