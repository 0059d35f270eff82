package io.oe.planloader;

import io.oe.core.plan.Violation;
import java.util.List;

/** A bundle that may not run, with every reason and its place. Nothing was published. */
public class Rejection extends RuntimeException {
    private final List<Violation> violations;

    public Rejection(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
