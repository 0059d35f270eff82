package io.oe.monitor;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal's body, as the plan-loader's: the error in one line. */
@Schema(name = "Problem", description = "Why the request was not answered")
public record Problem(@Schema(description = "What is wrong, in one line",
        example = "no execution exec_s3f0a9c1b2d4e5f60 (unknown id, or not yet projected)") String error) {
}
