package io.oe.core.plan;

import io.oe.core.transform.FormatTransform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A form of an output its consumers asked for ({@code "as"} on their inputs): what the producer's handoff must make.
 * One per format, since the converted artifact is stored once (the plan-loader saw to it that every consumer of a
 * conversion names the same contract).
 *
 * @param artifact the converted artifact's name
 * @param contract the consumers' contract for it, or null
 */
public record RequestedTransform(String artifact, FormatTransform transform, String contract) {

    /** What the consumers of {@code producer}'s {@code output} ask for, in plan order. */
    public static List<RequestedTransform> of(Plan plan, int producer, String output) {
        List<RequestedTransform> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Phase p : plan.phases()) {
            for (InputRef in : p.inputs()) {
                if (in.from() == producer && in.artifact().equals(output) && in.as() != null && seen.add(in.deliveredName())) {
                    out.add(new RequestedTransform(in.deliveredName(), in.transform().orElseThrow(), in.contract()));
                }
            }
        }
        return out;
    }
}
