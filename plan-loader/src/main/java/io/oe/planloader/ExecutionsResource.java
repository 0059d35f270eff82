package io.oe.planloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.api.JsonLimits;
import io.oe.core.api.TooLarge;
import io.oe.core.auth.AccessRule;
import io.oe.core.auth.Needs;
import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import io.oe.core.scheduler.CommandGuard;
import io.oe.core.scheduler.Feedback;
import io.oe.core.scheduler.Rerun;
import io.oe.core.scheduler.Review;
import io.oe.core.scheduler.SchedulerInput;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.events.ReviewDecision;
import io.oe.schemas.Topics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/** The engine's write side: submit a plan, command an execution. Reads are the monitor-service's. */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "executions", description = "Submit plan bundles and command executions. Reads (state, log, report) are the"
        + " monitor-service's API.")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token of the tokens file (OE_TOKENS_FILE), a JWT of the configured issuer"
                + " (OE_JWT_PUBLIC_KEY_FILE), or the API token (OE_API_TOKEN or OE_API_TOKEN_FILE; the local stack keeps it"
                + " in .oe/stack/api-token). Submitting and commanding need the operator role; the identity is the actor"
                + " recorded. With no authentication configured the API is open.")
@SecurityRequirement(name = "bearer")
@PlanLoaderApi
public class ExecutionsResource {
    private static final Logger LOG = Logger.getLogger(ExecutionsResource.class);
    private static final Pattern EXECUTION_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");
    private static final String COMMAND = "the command";
    /** How long a client should wait before retrying when the broker did not take an event. */
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final String COMMANDS = Arrays.stream(CommandKind.values()).filter(k -> k != CommandKind.UNKNOWN)
            .map(Enum::name).collect(Collectors.joining(", "));

    private final PlanIntake plans;
    private final EventPublisher publisher;
    private final ConfigCheck configCheck;
    private final ExecutionDirectory directory;
    private final ReviewRequest reviews = new ReviewRequest();
    private final java.nio.file.Path projectRoot;
    private final long maxArtifactBytes;

    /**
     * @param projectRoot      where projects may live: a review's replacement file is read inside its project
     * @param maxArtifactBytes the largest artifact the handoff-service takes, and so the largest replacement file
     */
    @Inject
    public ExecutionsResource(EventPublisher publisher, ExecutionDirectory directory, PlanIntake plans,
            @ConfigProperty(name = "oe.project-root") String projectRoot,
            @ConfigProperty(name = "oe.handoff.max-artifact-bytes") long maxArtifactBytes) {
        this.projectRoot = java.nio.file.Path.of(projectRoot).toAbsolutePath().normalize();
        this.maxArtifactBytes = maxArtifactBytes;
        this.directory = directory;
        this.plans = plans;
        this.configCheck = new ConfigCheck(EngineSchemas.load(), plans.runners());
        this.publisher = publisher;
    }

    @POST
    @Needs(AccessRule.SUBMIT)
    @Operation(operationId = "submitPlan", summary = "Submit a plan bundle",
            description = "Validates the whole bundle (schemas, references, cycles, agents, contracts, conditions, the"
                    + " project's drawn phase flow) and registers it as an execution: a plan-loaded event, acknowledged"
                    + " by the broker before the answer. A refused bundle publishes nothing.")
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Registered.class)))
    @APIResponse(responseCode = "200", description = "This submission_id had already registered the execution: nothing"
            + " was published again", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Registered.class)))
    @APIResponse(responseCode = "401", description = "Missing, unknown, expired or wrongly signed bearer token; nothing"
            + " was published", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The identity's role is not enough (an operator is needed); the"
            + " error names the role needed; nothing was published", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Too large: the body (over 16 MB), the registered plan (over"
            + " oe.intake.max-event-bytes) or a JSON string, number or nesting over the parser's limits; the error names"
            + " the size and the limit", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class), examples = @ExampleObject(name = "too-large", value = """
                    {"error": "the plan bundle is 21.5 MB (22,548,578 bytes); the limit is 16 MB (16,777,216 bytes)",
                     "violations": [{"where": "request body", "message": "split the plan, or shorten its texts, contracts or agent definitions (quarkus.http.limits.max-body-size)"}]}
                    """)))
    @APIResponse(responseCode = "415", description = "The body was not sent as application/json")
    @APIResponse(responseCode = "422", description = "Refused: malformed JSON (with line and column) or a bundle that may"
            + " not run, with every violation and its place", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The broker did not take the event in time: retry after Retry-After"
            + " seconds (with a submission_id, a retry never registers the plan twice)", headers = @Header(
            name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    public Response submit(@Context SecurityContext security, @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Submission.class), examples = @ExampleObject(name = "two-phases",
            summary = "A plan of two phases, started at once", value = Submission.EXAMPLE))) String text) {
        PlanIntake.Outcome outcome;
        try {
            outcome = plans.submitAs(text, Actor.of(security));
        } catch (IllegalStateException e) { // EventPublisher: the broker did not acknowledge
            return unavailable(e);
        }
        if (outcome instanceof PlanIntake.Outcome.Rejected r) {
            return refused(r.tooLarge() ? 413 : 422, Problem.of(r.error(), r.violations()));
        }
        var a = (PlanIntake.Outcome.Accepted) outcome;
        // a repeated submission id names the execution it already started: 200, nothing new
        return Response.status(a.duplicate() ? Response.Status.OK : Response.Status.CREATED)
                .entity(Registered.of(a.event(), a.phases(), a.duplicate(), a.ignored())).build();
    }

    @POST
    @Needs(AccessRule.COMMAND)
    @Path("/{id}/commands")
    @Operation(operationId = "commandExecution", summary = "Command an execution",
            description = "START, PAUSE, RESUME, CANCEL an execution; RETRY, SKIP, APPROVE, RERUN, REVIEW one of its"
                    + " phases (RERUN also on an ended execution, with_dependants and feedback optional; REVIEW of a phase"
                    + " waiting_for_review with a decision: approve, reject with feedback, or replace an output by a file"
                    + " of the project, checked against the output's contract). A command"
                    + " that does not apply in the execution's current state is refused with the reason and publishes"
                    + " nothing; an accepted one is an execution-control event, audited in the execution log.")
    @APIResponse(responseCode = "202", description = "Accepted: the command is on execution-control", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandAccepted.class)))
    @APIResponse(responseCode = "401", description = "Missing, unknown, expired or wrongly signed bearer token; nothing"
            + " was published", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The identity's role is not enough (an operator is needed); the"
            + " error names the role needed; nothing was published", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such execution", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Refused in the current state, with the reason (e.g. SKIP of a"
            + " phase that is ready, RERUN of a phase that is running or that a running phase depends on)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The command is too large (the body, a JSON value, its feedback"
            + " over 16 KiB, or its event);"
            + " the error names the size and the limit", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "The body was not sent as application/json")
    @APIResponse(responseCode = "422", description = "Malformed: not JSON, an unknown command, a missing or invalid"
            + " phase_id, an invalid execution id or engine config; a REVIEW without a known decision, a rejection"
            + " without feedback, a replacement of an output the phase does not declare, or whose file is outside the"
            + " project, reached through a link, missing, too large, or breaks the output's contract (each violation"
            + " with its place)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The broker did not take the event in time: retry after Retry-After"
            + " seconds", headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait",
            schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Problem.class)))
    public Response command(@Context SecurityContext security,
            @Parameter(description = "The execution", example = "exec_s3f0a9c1b2d4e5f60") @PathParam("id") String executionId,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CommandRequest.class), examples = @ExampleObject(name = "retry",
                    summary = "Run phase 13 again", value = CommandRequest.EXAMPLE))) String text) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : PlanJson.MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            return refused(413, Problem.of(JsonLimits.sentence(COMMAND, e)));
        } catch (JsonProcessingException e) {
            return rejected("malformed command", List.of(new Violation("request body", "not valid JSON: " + e.getOriginalMessage())));
        }
        if (!EXECUTION_ID.matcher(executionId).matches()) {
            return rejected("invalid execution id", List.of(new Violation("path", "execution id '" + executionId
                    + "' has characters other than letters, digits, '_', '.', '-'")));
        }
        if (body == null || !body.isObject()) {
            return rejected("request body must be a JSON object", List.of());
        }
        String name = body.path("command").asText("");
        CommandKind kind;
        try {
            kind = CommandKind.valueOf(name.toUpperCase(Locale.ROOT));
            if (kind == CommandKind.UNKNOWN) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            return rejected("unknown command", List.of(new Violation("command", "'" + name + "' is not one of " + COMMANDS)));
        }
        JsonNode phase = body.get("phase_id");
        if (phase != null && !phase.isNull() && !phase.canConvertToInt()) {
            return rejected("invalid phase", List.of(new Violation("phase_id", "must be an integer")));
        }
        boolean needsPhase = kind == CommandKind.RETRY || kind == CommandKind.SKIP || kind == CommandKind.APPROVE
                || kind == CommandKind.RERUN || kind == CommandKind.REVIEW;
        if (needsPhase && (phase == null || phase.isNull())) {
            return rejected("missing phase", List.of(new Violation("phase_id", kind + " needs a phase_id")));
        }
        JsonNode dependants = body.get("with_dependants");
        JsonNode feedback = body.get("feedback");
        if (body.hasNonNull("with_dependants") && kind != CommandKind.RERUN) {
            return rejected("invalid command", List.of(new Violation("with_dependants", "only RERUN takes with_dependants")));
        }
        if (body.hasNonNull("feedback") && kind != CommandKind.RERUN && kind != CommandKind.REVIEW) {
            return rejected("invalid command", List.of(new Violation("feedback", "only RERUN and REVIEW take feedback")));
        }
        for (String field : ReviewRequest.FIELDS) {
            if (body.hasNonNull(field) && kind != CommandKind.REVIEW) {
                return rejected("invalid command", List.of(new Violation(field, "only REVIEW takes " + field)));
            }
        }
        for (String field : BudgetRequest.FIELDS) {
            if (body.hasNonNull(field) && kind != CommandKind.BUDGET) {
                return rejected("invalid command", List.of(new Violation(field, "only BUDGET takes " + field)));
            }
        }
        BudgetLimit budget = null;
        if (kind == CommandKind.BUDGET) {
            var read = BudgetRequest.read(body);
            if (read instanceof BudgetRequest.Read.Wrong w) {
                return rejected("invalid budget", List.of(w.violation()));
            }
            budget = ((BudgetRequest.Read.Ok) read).limit();
            Integer budgetPhase = phase == null || phase.isNull() ? null : phase.asInt();
            var aboveCeiling = Budget.ceilingProblems(new Budget(budgetPhase == null ? budget : null,
                    budgetPhase == null ? null : budget, null), plans.budgetCeiling(), "budget");
            if (!aboveCeiling.isEmpty()) {
                return rejected("BUDGET refused: above the runner configuration's budget_ceiling", aboveCeiling.stream()
                        .map(p -> new Violation(p.contains(".tokens") ? "tokens" : "cost_usd", p)).toList());
            }
        }
        Review review = null;
        if (kind == CommandKind.REVIEW) {
            var read = ReviewRequest.read(body);
            if (read instanceof ReviewRequest.Read.Wrong w) {
                return rejected("invalid review", List.of(w.violation()));
            }
            review = ((ReviewRequest.Read.Ok) read).review();
        }
        if (dependants != null && !dependants.isNull() && !dependants.isBoolean()) {
            return rejected("invalid command", List.of(new Violation("with_dependants", "must be true or false")));
        }
        if (feedback != null && !feedback.isNull() && !feedback.isTextual()) {
            return rejected("invalid command", List.of(new Violation("feedback", "must be a string")));
        }
        String feedbackText = feedback == null || feedback.isNull() ? null : feedback.asText();
        var tooLarge = Feedback.tooLarge(feedbackText);
        if (tooLarge.isPresent()) {
            return refused(413, Problem.of(tooLarge.get(), List.of(new Violation("feedback", "shorten it to at most "
                    + Feedback.MAX_BYTES + " bytes of UTF-8; the agent also reads its previous outputs"))));
        }
        boolean withDependants = dependants != null && dependants.asBoolean(false);
        JsonNode config = body.get("config");
        if (config != null && !config.isNull()) {
            List<Violation> problems = configCheck.check(config);
            if (!problems.isEmpty()) {
                return rejected("engine config rejected", problems);
            }
        }
        var known = directory.find(executionId, Duration.ofSeconds(3));
        if (known.isEmpty()) {
            return refused(404, Problem.of("no execution " + executionId));
        }
        Integer phaseId = phase == null || phase.isNull() ? null : phase.asInt();
        Set<Integer> reruns = kind == CommandKind.RERUN ? Rerun.phases(known.get().graph(), phaseId, withDependants)
                : Set.of();
        var refusal = CommandGuard.refusal(executionId, known.get().status(), known.get().phases(),
                SchedulerInput.CommandKind.valueOf(kind.name()), phaseId, reruns);
        if (refusal.isPresent()) {
            return refused(409, Problem.of(refusal.get()));
        }
        if (budget != null) {
            var notARaise = BudgetRequest.notARaise(directory.budget(executionId), phaseId, budget);
            if (notARaise.isPresent()) {
                return refused(409, Problem.of("BUDGET refused: " + notARaise.get().message(), List.of(notARaise.get())));
            }
        }
        if (review != null) {
            var phaseOfPlan = known.get().plan().phase(phaseId).orElseThrow(); // the guard found the phase
            var wrong = Review.refusal(review, phaseOfPlan, feedbackText);
            if (wrong.isPresent()) {
                return rejected(wrong.get(), List.of());
            }
            if (review.decision() == Review.Decision.REPLACE) {
                List<Violation> problems = reviews.replacementProblems(projectRoot, known.get(), phaseOfPlan, review,
                        maxArtifactBytes);
                if (!problems.isEmpty()) {
                    return rejected("REVIEW refused: " + review.path() + " may not replace output " + review.output()
                            + " of " + phaseOfPlan.label() + ": " + problems.size() + " problem(s)", problems);
                }
            }
        }
        ExecutionCommand command = ExecutionCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setExecutionId(executionId)
                .setCommand(kind)
                .setPhaseId(phaseId)
                .setActor(Actor.of(security))
                .setReason(body.hasNonNull("reason") ? body.get("reason").asText() : null)
                .setConfigJson(config == null || config.isNull() ? null : PlanJson.write(configCheck.bounded(config)))
                .setAt(Instant.now())
                .setWithDependants(withDependants)
                .setFeedback(feedbackText)
                .setReview(review == null ? null : ReviewDecision.valueOf(review.decision().name()))
                .setReplaceOutput(review == null ? null : review.output())
                .setReplacePath(review == null ? null : review.path())
                .setBudgetTokens(budget == null ? null : budget.tokens())
                .setBudgetCostUsd(budget == null ? null : budget.costUsd())
                .build();
        int size = EventSize.of(Topics.EXECUTION_CONTROL, command);
        if (size > Topics.MAX_EVENT_BYTES) {
            return refused(413, Problem.of(TooLarge.sentence(COMMAND + " (its execution-control event)", size,
                    Topics.MAX_EVENT_BYTES)));
        }
        try {
            publisher.publish(Topics.EXECUTION_CONTROL, executionId, command);
        } catch (IllegalStateException e) {
            return unavailable(e);
        }
        return Response.accepted(new CommandAccepted(command.getCommandId(), executionId, kind.name(),
                command.getAt().toString(), command.getActor(), Actor.ignored(body, "actor", command.getActor())))
                .build();
    }

    private static Response rejected(String error, List<Violation> violations) {
        return refused(422, Problem.of(error, violations));
    }

    private static Response refused(int status, Problem problem) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(problem).build();
    }

    private static Response unavailable(IllegalStateException e) {
        LOG.warnf("answering 503: %s", e.getMessage());
        return Response.status(503).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).type(MediaType.APPLICATION_JSON)
                .entity(Problem.of(e.getMessage() + ": retry; a bundle with a submission_id is never registered twice"))
                .build();
    }
}
