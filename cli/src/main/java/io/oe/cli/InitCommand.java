package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "init", description = {"Submit an orchestration plan (with its project plan, config, contracts and agents).",
        "`oe init --config engine.config.json` alone is enough: the config's directory is the project directory, and its "
                + "orchestration_plan_path and project_plan_path are relative to it; an explicit file overrides its key."})
public class InitCommand implements Callable<Integer> {
    @Mixin
    Context ctx;

    @Option(names = "--orchestration-plan", paramLabel = "FILE",
            description = "orchestration-plan.json (default: orchestration_plan_path of the config)")
    Path plan;

    @Option(names = "--project-plan", paramLabel = "FILE",
            description = "project-plan.json (default: project_plan_path of the config, else ProjectPlan/project-plan.json)")
    Path projectPlan;

    @Option(names = "--config", paramLabel = "FILE",
            description = "engine.config.json (default: the one beside the plan, if any)")
    Path config;

    @Option(names = "--autostart", description = "Start the execution at once.")
    boolean autostart;

    @Option(names = "--reuse-from", paramLabel = "EXECUTION_ID", description = "A memoized resubmission: reuse the outputs"
            + " of every phase whose agent definition, prompt and input checksums are unchanged from its last completed"
            + " attempt in that execution (of the same plan and project).")
    String reuseFrom;

    @Option(names = "--dry-run", description = "Register a dry run: every agent replaced by sample outputs that satisfy"
            + " their contracts (no agent process, no token), approvals not waited for, the project's files left alone.")
    boolean dryRun;

    @Override
    public Integer call() {
        BundlePacker.Packed packed = BundlePacker.pack(plan, projectPlan, config, autostart);
        Executions.mark(packed, dryRun, reuseFrom);
        if (!ctx.json) {
            packed.missing().forEach(m -> System.err.println("warning: " + m));
        }
        JsonNode created;
        try {
            created = Executions.create(ctx.api(), packed);
        } catch (Executions.Rejected e) {
            if (!ctx.json) {
                throw e;
            }
            JsonNode body = e.response.json();
            System.out.println(body != null ? Json.pretty(body) : e.response.body());
            return CliException.REJECTED;
        }
        if (ctx.json) {
            System.out.println(Json.pretty(created));
        } else {
            System.out.println(created.path("execution_id").asText());
            System.err.printf("%s created: plan %s, project %s, %d phases%s%n", dryRun ? "dry run" : "execution",
                    created.path("plan_id").asText("?"), created.path("project_name").asText("?"),
                    created.path("phases").isArray() ? created.path("phases").size() : created.path("phases").asInt(),
                    autostart ? ", started" : "; start it with `oe execute --execution-id "
                            + created.path("execution_id").asText() + "`");
        }
        return 0;
    }
}
