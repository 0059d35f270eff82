package io.oe.core.plan;

import io.oe.core.transform.FormatTransform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules for inputs a phase wants in another format ({@code "as"}): the engine makes the transform, the producer
 * hands its outputs over in this execution (a phase the plan marks completed does not), the converted name is not
 * another output of the producer, every consumer of one conversion names the same contract for it (it is stored
 * once), and no two inputs of a phase arrive under one name in its {@code inputs/}.
 */
final class TransformCheck {
    private TransformCheck() {
    }

    /** Run once every input names an output its producer declares. */
    static void check(Plan plan, List<Violation> out) {
        Map<Integer, Phase> byId = plan.phasesById();
        Map<String, Phase> firstAsker = new HashMap<>();
        Map<String, String> contractOf = new HashMap<>();
        for (Phase p : plan.phases()) {
            Map<String, InputRef> delivered = new HashMap<>();
            for (InputRef in : p.inputs()) {
                if (in.as() != null && !transformIsPossible(p, in, byId.get(in.from()), out)) {
                    continue;
                }
                InputRef other = delivered.putIfAbsent(in.deliveredName(), in);
                if (other != null) {
                    out.add(new Violation(where(p), "inputs " + other.artifact() + " of phase " + other.from() + " and "
                            + in.artifact() + " of phase " + in.from() + " would both be inputs/" + in.deliveredName()));
                }
                if (in.as() != null) {
                    String conversion = in.from() + "/" + in.artifact() + "/" + in.as();
                    Phase asker = firstAsker.putIfAbsent(conversion, p);
                    if (asker != null && !Objects.equals(contractOf.get(conversion), in.contract())) {
                        out.add(new Violation(where(p), "input " + in.artifact() + " of phase " + in.from() + " as " + in.as()
                                + (in.contract() == null ? " names no contract" : " names contract " + in.contract())
                                + ", but " + asker.label() + " asks for the same conversion "
                                + (contractOf.get(conversion) == null ? "without one" : "under " + contractOf.get(conversion))
                                + ": the converted form is stored once, so one contract (or none) applies to it"));
                    }
                    contractOf.putIfAbsent(conversion, in.contract());
                }
            }
        }
    }

    private static boolean transformIsPossible(Phase p, InputRef in, Phase source, List<Violation> out) {
        String what = "input " + in.artifact() + " of " + source.label() + " as " + in.as();
        FormatTransform t;
        try {
            t = FormatTransform.of(in.artifact(), in.as());
        } catch (IllegalArgumentException e) {
            out.add(new Violation(where(p), what + ": " + e.getMessage()));
            return false;
        }
        if (source.alreadyCompleted()) {
            out.add(new Violation(where(p), what + ": " + source.label() + " is marked completed, so its outputs are not "
                    + "handed over in this execution to be converted; convert the file and declare it as an output"));
            return false;
        }
        String target = t.target(in.artifact());
        if (source.outputs().stream().anyMatch(o -> o.artifact().equals(target))) {
            out.add(new Violation(where(p), what + " would be " + target + ", which " + source.label()
                    + " declares as an output too: take that one, or rename one of them"));
            return false;
        }
        return true;
    }

    private static String where(Phase p) {
        return PlanValidator.PLAN_FILE + " " + p.label();
    }
}
