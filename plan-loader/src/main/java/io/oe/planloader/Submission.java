package io.oe.planloader;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A plan bundle: what {@code POST /api/v1/executions} takes and a plan-submissions event carries, as the CLI packs it
 * from a project directory ({@code cli/BundlePacker}). Its annotations are the bundle's documentation in the OpenAPI
 * document; {@link #EXAMPLE} is checked to be a bundle the validator accepts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "PlanBundle", description = "An orchestration plan with everything it needs to run: the project plan, the"
        + " engine config, the text of every contract its outputs name and of every agent it names. The whole bundle is"
        + " validated before anything is published; at most 16 MB as JSON.", requiredProperties = {"project_dir", "plan", "project_plan"})
public record Submission(
        @JsonProperty("submission_id") @Schema(description = "Your id for this submission: the same id twice registers one"
                + " execution (its id derives from this one). Without it, every submission is a new execution.",
                pattern = "^[A-Za-z0-9_.-]{1,128}$", example = "myapp-release-42") String submissionId,
        @JsonProperty("project_dir") @Schema(description = "Absolute path of the project directory on the engine's hosts,"
                + " inside the engine's project root (OE_PROJECT_ROOT); the run writes its files there",
                example = "/srv/projects/myapp") String projectDir,
        @Schema(ref = "OrchestrationPlan", description = "orchestration-plan.json") JsonNode plan,
        @JsonProperty("project_plan") @Schema(ref = "ProjectPlan", description = "ProjectPlan/project-plan.json: the facts"
                + " conditions read (as `project`)") JsonNode projectPlan,
        @Schema(ref = "EngineConfig", description = "engine.config.json; defaults apply when absent") JsonNode config,
        @Schema(description = "The text of every contract a phase names, by its path relative to the project"
                + " directory (as the output's or input's `contract` says)", additionalProperties = String.class)
        Map<String, String> contracts,
        @Schema(description = "The text of every agent definition the plan names, by agent name without `@`"
                + " (.github/agents/<name>.agent.md)", additionalProperties = String.class) Map<String, String> agents,
        @Schema(description = "Start the execution at once (otherwise: the START command)", defaultValue = "false")
        boolean autostart,
        @JsonProperty("submitted_by") @Schema(description = "Over the REST API: ignored, the execution log records the"
                + " authenticated identity (the answer's `ignored` says so). On the plan-submissions topic: who submits,"
                + " as the event's writer says (the broker's ACLs decide who may write)", defaultValue = "anonymous",
                example = "ci") String submittedBy,
        @JsonProperty("dry_run") @Schema(description = "A dry run: every agent is replaced by sample outputs that satisfy"
                + " their contracts (written by the agent-gateway, no agent process, no token), approvals are not waited"
                + " for, and the project's files (state, log, report, project plan) are left alone; true or false",
                type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.BOOLEAN, defaultValue = "false")
        JsonNode dryRun,
        @JsonProperty("reuse_from") @Schema(description = "A memoized resubmission: skip every phase whose agent definition,"
                + " prompt and input checksums are unchanged from its last completed attempt in this execution (of the same"
                + " plan and project), reusing its outputs after checking them against the artifact store",
                example = "exec_s3f0a9c1b2d4e5f60") String reuseFrom) {

    /** Whether the bundle asks for a dry run; a value other than true or false is refused by {@link BundleIntake}. */
    boolean isDryRun() {
        return dryRun != null && dryRun.isBoolean() && dryRun.booleanValue();
    }

    /** A complete, valid bundle of two phases (SubmissionExampleTest registers it). */
    static final String EXAMPLE = """
            {
              "submission_id": "myapp-release-42",
              "project_dir": "/srv/projects/myapp",
              "plan": {
                "plan_id": "myapp",
                "project_name": "MyApp",
                "tiers": [{"name": "build", "mode": "sequential", "phases": [1, 2]}],
                "phases": [
                  {"id": 1, "name": "Requirements", "agent": "@architect",
                   "outputs": [{"artifact": "requirements.json", "contract": "contracts/requirements.schema.json"}],
                   "tasks": [{"id": "TASK_001", "title": "List the user stories", "estimate_minutes": 5}]},
                  {"id": 2, "name": "Backend", "agent": "@developer", "condition": "project.stack.backend == 'nodejs'",
                   "inputs": [{"artifact": "requirements.json", "from": 1}]}
                ]
              },
              "project_plan": {"project_name": "MyApp", "stack": {"backend": "nodejs"}},
              "config": {"max_concurrent_phases": 2, "retry_policy": {"max_retries": 3, "backoff_seconds": 2}},
              "contracts": {
                "contracts/requirements.schema.json": "{\\"type\\": \\"object\\", \\"required\\": [\\"stories\\"]}"
              },
              "agents": {
                "architect": "---\\nname: architect\\ndescription: Designs the solution\\n---\\nWrite outputs/requirements.json.\\n",
                "developer": "---\\nname: developer\\ndescription: Builds the backend\\n---\\nRead inputs/requirements.json.\\n"
              },
              "autostart": true,
              "submitted_by": "ci"
            }
            """;
}
