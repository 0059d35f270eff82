package io.oe.core.scheduler;

import java.util.List;
import java.util.Map;

/**
 * A memoized resubmission: the execution whose completed attempts this one may reuse ({@code fromExecution}) and, per
 * phase, the memo of its last completed attempt there ({@link Memo}, with its outputs), or why it cannot be reused
 * ({@code unusable}: an output missing from, or changed in, the artifact store, as the plan-loader found at intake).
 * The rule, pure: a phase is reused when its memo now (agent definition, prompt, input checksums) equals the earlier
 * one; otherwise it runs, and the words say why.
 */
public record Reuse(String fromExecution, Map<Integer, Candidate> phases) {
    public Reuse {
        phases = phases == null ? Map.of() : Map.copyOf(phases);
    }

    /** The earlier execution's last completed attempt of a phase, or why it cannot be reused. */
    public record Candidate(Memo memo, String unusable) {
    }

    /** What becomes of a phase. */
    public sealed interface Verdict permits Reused, Runs {
        String reason();
    }

    /** Its outputs are taken from {@code earlier}; it does not run. */
    public record Reused(Memo earlier) implements Verdict {
        @Override
        public String reason() {
            return "reused from " + earlier.origin() + ": agent definition, prompt and input checksums unchanged";
        }
    }

    /** It runs, because of {@code why}. */
    public record Runs(String why) implements Verdict {
        @Override
        public String reason() {
            return "runs: " + why;
        }
    }

    public Verdict decide(int phaseId, Memo now) {
        Candidate c = phases.get(phaseId);
        if (c == null) {
            return new Runs("no completed attempt in execution " + fromExecution);
        }
        if (c.unusable() != null) {
            return new Runs(c.unusable());
        }
        List<String> changes = now.changesSince(c.memo());
        return changes.isEmpty() ? new Reused(c.memo())
                : new Runs(String.join(", ", changes) + " since " + c.memo().origin());
    }
}
