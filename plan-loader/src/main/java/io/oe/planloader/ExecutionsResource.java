package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** The engine's write side: submit a plan, command an execution. Reads are the monitor-service's. */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExecutionsResource {
    private static final Logger LOG = Logger.getLogger(ExecutionsResource.class);
    private static final Pattern EXECUTION_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");

    private final PlanIntake plans;
    private final EventPublisher publisher;
    private final ConfigCheck configCheck;
    private final ExecutionDirectory directory;

    @Inject
    public ExecutionsResource(EventPublisher publisher, ExecutionDirectory directory, PlanIntake plans) {
        this.directory = directory;
        this.plans = plans;
        this.configCheck = new ConfigCheck(EngineSchemas.load());
        this.publisher = publisher;
    }

    @POST
    public Response submit(String text) {
        PlanIntake.Outcome outcome = plans.submit(text, null, null);
        if (outcome instanceof PlanIntake.Outcome.Rejected r) {
            return rejected(r.error(), r.violations());
        }
        var a = (PlanIntake.Outcome.Accepted) outcome;
        PlanLoaded event = a.event();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("execution_id", event.getExecutionId());
        body.put("submission_id", event.getSubmissionId());
        body.put("plan_id", event.getPlanId());
        body.put("project_name", event.getProjectName());
        body.put("project_dir", event.getProjectDir());
        body.put("phases", a.phases());
        body.put("autostart", event.getAutostart());
        body.put("duplicate", a.duplicate());
        // a repeated submission id names the execution it already started: 200, nothing new
        return Response.status(a.duplicate() ? Response.Status.OK : Response.Status.CREATED).entity(body).build();
    }

    @POST
    @Path("/{id}/commands")
    public Response command(@PathParam("id") String executionId, String text) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : PlanJson.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
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
            return rejected("unknown command", List.of(new Violation("command", "'" + name
                    + "' is not one of START, RETRY, SKIP, CANCEL, PAUSE, RESUME, APPROVE")));
        }
        JsonNode phase = body.get("phase_id");
        if (phase != null && !phase.isNull() && !phase.canConvertToInt()) {
            return rejected("invalid phase", List.of(new Violation("phase_id", "must be an integer")));
        }
        boolean needsPhase = kind == CommandKind.RETRY || kind == CommandKind.SKIP || kind == CommandKind.APPROVE;
        if (needsPhase && (phase == null || phase.isNull())) {
            return rejected("missing phase", List.of(new Violation("phase_id", kind + " needs a phase_id")));
        }
        JsonNode config = body.get("config");
        if (config != null && !config.isNull()) {
            List<Violation> problems = configCheck.check(config);
            if (!problems.isEmpty()) {
                return rejected("engine config rejected", problems);
            }
        }
        var known = directory.find(executionId, java.time.Duration.ofSeconds(3));
        if (known.isEmpty()) {
            return Response.status(404).entity(Map.of("error", "no execution " + executionId)).build();
        }
        var refusal = io.oe.core.scheduler.CommandGuard.refusal(executionId, known.get().status(), known.get().phases(),
                io.oe.core.scheduler.SchedulerInput.CommandKind.valueOf(kind.name()),
                phase == null || phase.isNull() ? null : phase.asInt());
        if (refusal.isPresent()) {
            return Response.status(409).entity(Map.of("error", refusal.get())).build();
        }
        ExecutionCommand command = ExecutionCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setExecutionId(executionId)
                .setCommand(kind)
                .setPhaseId(phase == null || phase.isNull() ? null : phase.asInt())
                .setActor(body.path("actor").asText("anonymous"))
                .setReason(body.hasNonNull("reason") ? body.get("reason").asText() : null)
                .setConfigJson(config == null || config.isNull() ? null : PlanJson.write(config))
                .setAt(Instant.now())
                .build();
        publisher.publish(Topics.EXECUTION_CONTROL, executionId, command);
        return Response.accepted(Map.of("command_id", command.getCommandId(), "execution_id", executionId,
                "command", kind.name())).build();
    }

    private static Response rejected(String error, List<Violation> violations) {
        return Response.status(422).entity(Map.of("error", error, "violations", violations.stream()
                .map(v -> Map.of("where", v.where(), "message", v.message())).toList())).build();
    }
}
