package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Creating an execution from a packed bundle, shared by {@code init} and {@code demo}. */
final class Executions {
    private Executions() {
    }

    /** POSTs the bundle; returns the 201 body, or throws a {@link CliException} (exit 2) listing every violation. */
    /**
     * Marks a packed bundle as a dry run and/or a memoized resubmission; both at once is refused here, before anything
     * is sent (the plan-loader refuses it too), since a dry run reuses nothing.
     */
    static void mark(BundlePacker.Packed packed, boolean dryRun, String reuseFrom) {
        if (dryRun && reuseFrom != null) {
            throw new CliException("--dry-run and --reuse-from cannot go together: a dry run reuses nothing (its outputs"
                    + " would be samples either way)", CliException.REJECTED);
        }
        if (dryRun) {
            packed.bundle().put("dry_run", true);
        }
        if (reuseFrom != null) {
            packed.bundle().put("reuse_from", reuseFrom);
        }
    }

    static JsonNode create(Api api, BundlePacker.Packed packed) {
        Api.Response r = api.createExecution(packed.bundle());
        if (r.status() == 201 || r.status() == 200) {
            JsonNode body = r.json();
            if (body == null || !body.hasNonNull("execution_id")) {
                throw new CliException("plan-loader answered " + r.status() + " without an execution_id: " + r.body());
            }
            return body;
        }
        if (r.status() == 422 || r.status() == 413 || r.status() == 400) {
            throw new Rejected(rejection(r), r);
        }
        throw new CliException(Api.errorOf("plan-loader POST /api/v1/executions", r));
    }

    /** The plan-loader refused the bundle (HTTP 422, or 413: too large): the message lists every violation. */
    static final class Rejected extends CliException {
        final transient Api.Response response;

        Rejected(String message, Api.Response response) {
            super(message, CliException.REJECTED);
            this.response = response;
        }
    }

    static String rejection(Api.Response r) {
        JsonNode j = r.json();
        List<String> lines = new ArrayList<>();
        lines.add(j != null && j.hasNonNull("error") ? j.get("error").asText() : "plan rejected (HTTP " + r.status() + ")");
        if (j != null) {
            for (JsonNode v : j.path("violations")) {
                lines.add("  " + v.path("where").asText("(plan)") + ": " + v.path("message").asText());
            }
        } else {
            lines.add("  " + r.body());
        }
        return String.join(System.lineSeparator(), lines);
    }
}
