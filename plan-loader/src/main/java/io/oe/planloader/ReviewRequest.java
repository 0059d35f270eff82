package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.artifact.FileContent;
import io.oe.core.artifact.ReplacementFile;
import io.oe.core.contract.ContractValidator;
import io.oe.core.contract.ContractViolation;
import io.oe.core.plan.OutputDecl;
import io.oe.core.plan.Phase;
import io.oe.core.plan.Violation;
import io.oe.core.scheduler.Review;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A REVIEW command's own fields ({@code decision}, {@code output}, {@code path}) as the REST body gives them, and the
 * check of a replacement file before anything is published: inside the project without a link, and passing the
 * output's contract (the handoff-service checks it again, as the handoff of record).
 */
final class ReviewRequest {
    static final List<String> FIELDS = List.of("decision", "output", "path");
    private final ContractValidator validator = new ContractValidator();

    /** The review the body asks for, or the violation that names the wrong field. */
    sealed interface Read {
        record Ok(Review review) implements Read {
        }

        record Wrong(Violation violation) implements Read {
        }
    }

    static Read read(JsonNode body) {
        for (String field : FIELDS) {
            if (body.hasNonNull(field) && !body.get(field).isTextual()) {
                return new Read.Wrong(new Violation(field, "must be a string"));
            }
        }
        String decision = body.path("decision").asText("");
        Review.Decision d;
        try {
            d = Review.Decision.valueOf(decision.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Read.Wrong(new Violation("decision", "'" + decision + "' is not one of approve, reject, replace"));
        }
        if (d != Review.Decision.REPLACE) {
            for (String field : List.of("output", "path")) {
                if (body.hasNonNull(field)) {
                    return new Read.Wrong(new Violation(field, "only a replacement takes " + field));
                }
            }
        }
        return new Read.Ok(new Review(d, body.path("output").asText(null), body.path("path").asText(null)));
    }

    /**
     * What is wrong with {@code review}'s file as the output of {@code phase}: a path that leaves the project or goes
     * through a link, a file that is missing or too large, or each violation of the output's contract. Empty: it may go.
     */
    List<Violation> replacementProblems(Path root, ExecutionDirectory.Known execution, Phase phase, Review review,
            long maxBytes) {
        OutputDecl output = phase.outputs().stream().filter(o -> o.artifact().equals(review.output())).findFirst()
                .orElseThrow();
        byte[] bytes;
        try (ReplacementFile file = ReplacementFile.open(root, Path.of(execution.projectDir()), review.path())) {
            bytes = file.read(maxBytes);
        } catch (IOException | IllegalArgumentException e) { // ArtifactPathException, ArtifactLimitException
            return List.of(new Violation("path", e.getMessage()));
        }
        if (output.contract() == null) {
            return List.of();
        }
        return validator.validate(output.artifact(), output.contract(), execution.contracts().get(output.contract()),
                execution.contracts(), FileContent.of(bytes)).stream()
                .map(v -> new Violation(ContractViolation.place(review.path(), v.pointer()),
                        ContractViolation.withRule(v.message(), v.rule())))
                .toList();
    }
}
