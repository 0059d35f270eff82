package io.oe.handoff;

import io.oe.core.artifact.ArtifactStore;
import io.oe.core.artifact.FileContent;
import io.oe.core.contract.ContractValidator;
import io.oe.core.transform.ConversionException;
import io.oe.core.transform.FormatTransform;
import io.oe.events.OutputSpec;
import io.oe.events.Transform;
import io.oe.events.TransformSpec;
import io.oe.events.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Transform data between formats": the forms of an output that consumers asked for in another format ({@code "as"}
 * on their input). Each is converted from the staged bytes (what was checked is what is converted), validated
 * against the consumer's contract, and staged beside the output, so both are stored with their checksums in the
 * same commit, or neither. A conversion error fails the producer's handoff, naming the line: only the producer's next
 * attempt can fix what it wrote.
 */
final class OutputConversions {
    private final ContractValidator contracts;

    OutputConversions(ContractValidator contracts) {
        this.contracts = contracts;
    }

    /**
     * @param made where each converted artifact's {@link Transform} is recorded, by its name, for the handoff record
     * @return the violations; nothing is staged for a form that has one
     */
    List<Violation> stage(OutputSpec o, ArtifactStore.Staged source, ArtifactStore.Staging staging, Map<String, Transform> made)
            throws IOException {
        List<Violation> out = new ArrayList<>();
        for (TransformSpec spec : o.getTransforms()) {
            if (source.isDirectory()) {
                out.add(violation(o, "is a directory; only a file can be converted to " + spec.getToFormat() + " ("
                        + spec.getArtifact() + ")"));
                continue;
            }
            FormatTransform t = FormatTransform.of(o.getArtifact(), spec.getToFormat());
            byte[] bytes;
            try (InputStream in = source.content().open()) {
                bytes = t.convert(in);
            } catch (ConversionException e) {
                out.add(violation(o, "cannot be converted (" + t + ") into " + spec.getArtifact() + ": " + e.getMessage()));
                continue;
            }
            if (spec.getContractJson() != null) {
                var found = contracts.validate(spec.getArtifact(), spec.getContractPath(), spec.getContractJson(),
                        spec.getContractRefs(), FileContent.of(bytes));
                if (!found.isEmpty()) {
                    found.forEach(v -> out.add(new Violation(v.artifact(), v.pointer(), v.rule(), v.message()
                            + " (converted from " + o.getArtifact() + ", " + t + ")")));
                    continue;
                }
            }
            staging.addBytes(spec.getArtifact(), bytes);
            made.put(spec.getArtifact(), new Transform(o.getArtifact(), t.from().id(), t.to().id()));
        }
        return out;
    }

    private static Violation violation(OutputSpec o, String message) {
        return new Violation(o.getArtifact(), "", "transform", message);
    }
}
