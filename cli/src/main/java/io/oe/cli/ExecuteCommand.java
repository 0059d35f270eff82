package io.oe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "execute", description = {"Start an initialized execution; with --wait, follow it to the end.",
        "With --dry-run: submit the plan (as `oe init` reads it) as a dry run and start it: every agent is replaced by"
                + " sample outputs that satisfy their contracts, no agent process runs, no token is spent."})
public class ExecuteCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--execution-id", paramLabel = "ID", description = "The execution to start (not with --dry-run)")
    String executionId;

    @Option(names = "--config", paramLabel = "FILE", description = "engine.config.json replacing the one given at init;"
            + " with --dry-run, the project's engine.config.json (as `oe init --config`)")
    Path config;

    @Option(names = "--dry-run", description = "Submit the plan as a dry run and start it (docs/architecture.md, \"Dry run\")")
    boolean dryRun;

    @Option(names = "--reuse-from", paramLabel = "EXECUTION_ID", description = "Submit the plan anew, reusing the outputs"
            + " of every phase unchanged from that execution, and start it (as `oe init --reuse-from`)")
    String reuseFrom;

    @Option(names = "--orchestration-plan", paramLabel = "FILE", description = "With --dry-run or --reuse-from: as `oe init`")
    Path plan;

    @Option(names = "--project-plan", paramLabel = "FILE", description = "With --dry-run or --reuse-from: as `oe init`")
    Path projectPlan;

    @Option(names = "--wait", description = "Wait until the execution completes, is cancelled, or waits for a person"
            + " (exit code as `oe wait`); an execution started before is followed as it is.")
    boolean await;

    @Option(names = "--timeout-seconds", defaultValue = "3600", description = "With --wait (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        if (dryRun || reuseFrom != null) {
            return submit();
        }
        if (executionId == null) {
            throw new CliException("give --execution-id ID (or --dry-run with the plan: --config FILE)", CliException.REJECTED);
        }
        if (plan != null || projectPlan != null) {
            throw new CliException("--orchestration-plan and --project-plan go with --dry-run or --reuse-from (an"
                    + " execution's plan was given at init)", CliException.REJECTED);
        }
        ObjectNode cmd = Json.MAPPER.createObjectNode();
        cmd.put("command", "START");
        if (config != null) {
            cmd.set("config", Json.readFile(config.toAbsolutePath(), "engine config"));
        }
        Api api = ctx.api();
        Api.Response r = api.command(executionId, cmd);
        if (r.status() == 409 && await) {
            // already started (or ended): --wait follows it in whatever state it is
            System.err.println("oe execute: " + Api.errorOf("START " + executionId, r) + "; following the execution");
        } else if (!r.ok()) {
            throw new CliException(Api.errorOf("START " + executionId, r),
                    r.status() == 422 || r.status() == 404 ? CliException.REJECTED : CliException.FAILED);
        }
        if (!await) {
            System.out.println(ctx.json ? Json.pretty(r.json() != null ? r.json() : Json.MAPPER.createObjectNode())
                    : "execution " + executionId + " started");
            return 0;
        }
        return Progress.follow(ctx, api, executionId, Duration.ofSeconds(timeoutSeconds), Instant.EPOCH);
    }

    /**
     * A dry run or a memoized resubmission is a new execution, registered as one: an execution registered for real
     * stays real, so that what ran with agents and what ran with samples are never mixed in one history.
     */
    private Integer submit() {
        if (executionId != null && !dryRun) {
            throw new CliException("--reuse-from submits the plan anew; it does not apply to execution " + executionId
                    + ", which is registered already: give --config FILE (or --orchestration-plan FILE) instead of"
                    + " --execution-id", CliException.REJECTED);
        }
        if (executionId != null) {
            throw new CliException("--dry-run submits the plan anew as a dry run; it cannot make execution " + executionId
                    + " (registered for a real run) a dry one: give --config FILE (or --orchestration-plan FILE) instead of"
                    + " --execution-id", CliException.REJECTED);
        }
        BundlePacker.Packed packed = BundlePacker.pack(plan, projectPlan, config, true);
        Executions.mark(packed, dryRun, reuseFrom);
        if (!ctx.json) {
            packed.missing().forEach(m -> System.err.println("warning: " + m));
        }
        Api api = ctx.api();
        String id = Executions.create(api, packed).path("execution_id").asText();
        if (!await) {
            System.out.println(ctx.json ? Json.pretty(Json.MAPPER.createObjectNode().put("execution_id", id)
                    .put("dry_run", dryRun).put("reuse_from", reuseFrom)) : id);
            if (!ctx.json) {
                System.err.println(what() + " " + id + " started; follow it with `oe wait --execution-id " + id + "`");
            }
            return 0;
        }
        System.out.println(id); // first, so that a script knows which execution it follows
        System.err.println(what() + " " + id + " started");
        return Progress.follow(ctx, api, id, Duration.ofSeconds(timeoutSeconds), Instant.EPOCH);
    }

    private String what() {
        return dryRun ? "dry run" : "execution (reusing from " + reuseFrom + ")";
    }
}
