package io.oe.planloader;

import io.oe.core.plan.Violation;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal's body: the error in one line and, for a refused bundle or command, each problem with its place. */
@Schema(name = "Problem", description = "Why a request was refused. Nothing was published.")
public record Problem(
        @Schema(description = "What is wrong, in one line; a size refusal names the size and the limit",
                example = "plan rejected: 1 problem(s)") String error,
        @Schema(description = "Every problem found, each with its place (empty when the error says it all)")
        List<Item> violations) {

    @Schema(name = "Violation", description = "One problem and where it is")
    public record Item(
            @Schema(description = "The file and JSON pointer, the phase, or the part of the request",
                    example = "orchestration-plan.json phase 2 (Docs)") String where,
            @Schema(description = "What is wrong there", example = "agent @doc has no definition (.github/agents/doc.agent.md)")
            String message) {
    }

    public Problem {
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    static Problem of(String error) {
        return new Problem(error, List.of());
    }

    static Problem of(String error, List<Violation> violations) {
        return new Problem(error, violations.stream().map(v -> new Item(v.where(), v.message())).toList());
    }
}
