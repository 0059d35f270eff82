package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.EngineState;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import io.oe.core.auth.AccessRule;
import io.oe.core.auth.Needs;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The engine's read side, served from the monitor's Kafka Streams views; with several monitor instances, a query
 * about an execution another instance holds is answered by that instance ({@link Instances}). Request-scoped: it
 * reads the request's headers. A query while the views are not queryable answers 503 ({@link RetryLater}).
 */
@RequestScoped
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "executions", description = "Executions as the engine sees them: state, log, handoffs, report, agents'"
        + " output, live changes. Commands are the plan-loader's API.")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token of the tokens file (OE_TOKENS_FILE), a JWT of the configured issuer"
                + " (OE_JWT_PUBLIC_KEY_FILE), or the API token (OE_API_TOKEN or OE_API_TOKEN_FILE; the local stack keeps it"
                + " in .oe/stack/api-token). Reads need the reader role when a tokens file or a JWT key is configured, or"
                + " when the monitor runs with OE_PROTECT_READS=true; else they are open.")
// reads are open (anonymous) with no tokens file, no JWT key and OE_PROTECT_READS unset; else they need a reader's token
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = "bearer"))
@MonitorApi
@Needs(AccessRule.READ)
public class ExecutionsResource {
    private static final String EXECUTION = "The execution id";
    private static final String PHASE = "The phase id";
    private static final String ATTEMPT = "The attempt (1, 2...); the phase's latest when not given";
    @Inject
    Views views;
    @Inject
    StateChanges changes;
    @Inject
    Instances instances;
    @Inject
    ExecutionQueries queries;
    @Inject
    OutputFollower follower;
    @Context
    UriInfo uri;
    @Parameter(hidden = true) // between monitor instances only
    @HeaderParam(Instances.FORWARDED)
    String forwarded;
    @HeaderParam("Authorization")
    String authorization;
    @HeaderParam("Accept")
    String acceptHeader;
    @ConfigProperty(name = "oe.project-root")
    String projectRoot;

    /** Where this request's execution is answered: here, by the instance that holds it, or nowhere. */
    private Located locate(String id) {
        return queries.locate(id, forwarded != null);
    }

    /** A query about one execution: {@code here} from this instance's views, else forwarded to its holder, else 404. */
    private Response answer(String id, Function<EngineState, Response> here) {
        return locate(id).fold(here, this::forward, () -> notFound(id));
    }

    /** This same GET answered by the instance at {@code base}, its answer passed back as is. */
    private Response forward(String base) {
        return instances.forward(base, uri.getRequestUri().getRawPath() + query(), acceptHeader, authorization);
    }

    /** This request's query string with its "?", or "" when it has none. */
    private String query() {
        return uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery();
    }

    @GET
    @Path("/{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "streamExecution", summary = "Follow one execution live (Server-Sent Events)",
            description = "The execution's state now (if it is known), then again each time it changes (every event of"
                    + " the execution changes it), until the client disconnects.")
    @APIResponse(responseCode = "200", description = "An event stream; each event's data is the execution's state"
            + " (EngineState) as JSON", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING, description = "data: lines of EngineState JSON")))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Multi<JsonNode> stream(@Parameter(description = EXECUTION) @PathParam("id") String id) {
        // located now, before the stream opens: views that are not queryable answer 503 instead of an empty stream
        Located located = locate(id);
        if (located instanceof Located.Elsewhere there) { // its changes are announced where its views are: relay them
            return instances.streamFrom(there.base(), "/api/v1/executions/" + id + "/stream", authorization);
        }
        Optional<JsonNode> now = located instanceof Located.Here here ? Optional.of(StateJson.state(here.state()))
                : Optional.empty();
        Multi<JsonNode> later = changes.stream().filter(id::equals).map(x -> whenQueryable(() -> views.state(id).map(StateJson::state)))
                .filter(Optional::isPresent).map(Optional::get);
        return Multi.createBy().concatenating().streams(Multi.createFrom().optional(now), later);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "streamExecutions", summary = "Follow every execution live (Server-Sent Events)",
            description = "An execution's summary each time it changes, of every execution on every monitor instance.")
    @APIResponse(responseCode = "200", description = "An event stream; each event's data is an ExecutionSummary as JSON",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING, description = "data: lines of ExecutionSummary JSON")))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Multi<JsonNode> streamAll() {
        views.state(""); // a point lookup: while the views are not queryable it throws, and the answer is a 503
        Multi<JsonNode> local = changes.stream().map(id -> whenQueryable(() -> views.state(id).map(StateJson::summary)))
                .filter(Optional::isPresent).map(Optional::get);
        if (forwarded != null) {
            return local;
        }
        List<Multi<JsonNode>> all = new ArrayList<>(List.of(local));
        instances.others().forEach(base -> all.add(instances.streamFrom(base, "/api/v1/executions/stream", authorization)));
        return Multi.createBy().merging().streams(all);
    }

    /** A change announced while the views are being rebalanced is skipped: the next change brings the state. */
    private static <T> Optional<T> whenQueryable(Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (Views.ViewsNotReadyException | InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    @GET
    @Operation(operationId = "listExecutions", summary = "List executions",
            description = "Every execution of every monitor instance, most recently updated first.")
    @APIResponse(responseCode = "200", description = "Their summaries", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY,
            implementation = ExecutionSummary.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response list(
            @Parameter(description = "Only executions in this status", schema = @Schema(enumeration = {"initialized",
                    "in_progress", "paused", "waiting_for_intervention", "completed", "cancelled"}))
            @QueryParam("status") String status,
            @Parameter(description = "Only executions of this plan id", example = "myapp") @QueryParam("plan") String plan) {
        List<JsonNode> out = new ArrayList<>(views.all().stream()
                .filter(s -> status == null || status.equals(s.getStatus()))
                .filter(s -> plan == null || plan.equals(s.getOrchestrationPlanId()))
                .map(s -> (JsonNode) StateJson.summary(s)).toList());
        if (forwarded == null) { // the executions the other instances hold
            instances.others().forEach(base -> out.addAll(instances.listFrom(base, uri.getRequestUri().getRawQuery(),
                    authorization)));
        }
        out.sort(Comparator.comparing(ExecutionsResource::updatedAt).reversed());
        return Response.ok(out).build();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getExecution", summary = "An execution's state",
            description = "The seed's Engine State model (as tee-output/engine-state.json) with tiers, what each waiting"
                    + " phase waits for, the expected end, handoffs and alerts.")
    @APIResponse(responseCode = "200", description = "The state", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "EngineState")))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response state(@Parameter(description = EXECUTION) @PathParam("id") String id) {
        return answer(id, s -> Response.ok(StateJson.state(s)).build());
    }

    @GET
    @Path("/{id}/log")
    @Operation(operationId = "getExecutionLog", summary = "An execution's log",
            description = "The audit trail (as tee-output/execution-log.json), every entry in order, a page at a time:"
                    + " ask again from `next_from` until a page comes without it.")
    @APIResponse(responseCode = "200", description = "Entries from `from`, at most `limit`; `next_from` when more follow", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ExecutionLog")))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response log(@Parameter(description = EXECUTION) @PathParam("id") String id,
            @Parameter(description = "The first sequence number wanted (entries count from 1)") @QueryParam("from") @DefaultValue("0") long from,
            @Parameter(description = "At most this many entries (1 to 10,000)") @QueryParam("limit") @DefaultValue("1000")
            int limit) {
        return answer(id, s -> Response.ok(StateJson.log(id, views.log(id, from, limit))).build());
    }

    @GET
    @Path("/{id}/handoffs")
    @Operation(operationId = "getExecutionHandoffs", summary = "An execution's latest handoffs",
            description = "Each validated (or failed) handoff in the seed's Handoff Data shape, with every contract"
                    + " violation.")
    @APIResponse(responseCode = "200", description = "The handoffs", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, ref = "HandoffRecord")))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response handoffs(@Parameter(description = EXECUTION) @PathParam("id") String id) {
        return answer(id, s -> {
            var out = StateJson.MAPPER.createArrayNode();
            StateJson.handoffs(out, s.getHandoffs());
            return Response.ok(out).build();
        });
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.TEXT_PLAIN, "text/markdown", MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @Operation(operationId = "getExecutionReport", summary = "An execution's report",
            description = "Summary and wall time, tiers, phases with outcome, duration and attempts, errors, skipped"
                    + " phases with reasons, handoffs with checksums and violations, alerts, tasks. Markdown, JSON, or one"
                    + " self-contained HTML page (no script, nothing loaded from elsewhere; plan text is text).")
    @APIResponse(responseCode = "200", description = "The report in the format asked for", content = {
            @Content(mediaType = "text/markdown", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportJson.class)),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "An unknown format", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response report(@Parameter(description = EXECUTION) @PathParam("id") String id,
            @Parameter(description = "md, json or html; without it the Accept header chooses (a browser gets HTML), else"
                    + " Markdown", schema = @Schema(enumeration = {"md", "json", "html"})) @QueryParam("format") String format,
            @Parameter(hidden = true) @HeaderParam("Accept") String accept) {
        // ?format= wins; otherwise the Accept header chooses (a browser gets HTML); Markdown by default
        String f = format != null ? format
                : accept != null && accept.contains("text/html") ? "html"
                : accept != null && accept.contains("application/json") && !accept.contains("text/markdown") ? "json" : "md";
        if (!List.of("md", "json", "html").contains(f)) { // the holder of the execution would say the same
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new Problem("unknown report format '" + f + "': use md, json or html")).build();
        }
        return answer(id, s -> switch (f) {
            case "json" -> Response.ok(Report.json(s), MediaType.APPLICATION_JSON).build();
            case "html" -> Response.ok(Report.html(s), "text/html; charset=utf-8").build();
            default -> Response.ok(Report.markdown(s), "text/markdown; charset=utf-8").build();
        });
    }

    @GET
    @Path("/{id}/artifacts")
    @Operation(operationId = "listExecutionArtifacts", summary = "An execution's stored artifacts",
            description = "Each artifact its validated handoffs stored (the latest 200 handoffs): name, phase, attempt,"
                    + " size, sha256, the contract it was validated against and the verdict (valid; no_contract: its"
                    + " output declares none), its media type and where to download it.")
    @APIResponse(responseCode = "200", description = "The artifacts, oldest handoff first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ArtifactJson.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response artifacts(@Parameter(description = EXECUTION) @PathParam("id") String id) {
        return answer(id, s -> Response.ok(Artifacts.list(s)).build());
    }

    @GET
    @Path("/{id}/artifacts/{sha256}")
    @Produces(MediaType.WILDCARD)
    @Operation(operationId = "getExecutionArtifact", summary = "Download one of an execution's artifacts",
            description = "Its bytes (a directory artifact: its manifest), streamed with its media type, checked against"
                    + " its SHA-256 before the first byte and again as they are sent (bytes changed meanwhile break the"
                    + " transfer). Only an artifact of this execution: another execution's sha256 is not found here.")
    @APIResponse(responseCode = "200", description = "The artifact", content = @Content(mediaType = MediaType.WILDCARD,
            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "Not a SHA-256 (64 lowercase hex digits)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", ref = OpenApiComponents.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The stored bytes no longer match the recorded checksum, or are gone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response artifact(@Parameter(description = EXECUTION) @PathParam("id") String id,
            @Parameter(description = "The artifact's SHA-256, as the list gives it") @PathParam("sha256") String sha256) {
        if (!Artifacts.SHA256.matcher(sha256).matches()) {
            return problem(400, "'" + MarkdownText.oneLine(sha256.length() > 80 ? sha256.substring(0, 80) + "…" : sha256)
                    + "' is not a SHA-256 (64 lowercase hex digits)");
        }
        return answer(id, s -> Artifacts.find(s, sha256)
                .map(found -> found.download(Paths.get(projectRoot), Paths.get(s.getProjectDir())))
                .orElseGet(() -> problem(404, "execution " + id + " has no stored artifact with sha256 " + sha256)));
    }

    @GET
    @Path("/{id}/phases/{n}/output")
    @Operation(operationId = "getPhaseOutput", summary = "What a phase attempt's agent printed",
            description = "Its stdout and stderr in chunks, in order, secrets redacted, a page at a time; while the agent"
                    + " runs, what has come so far. At most the gateway's cap per attempt (1 MiB by default), then a chunk"
                    + " marked cut. Kept a week.")
    @APIResponse(responseCode = "200", description = "Chunks from `from`, at most `limit`", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OutputPageJson.class)))
    @APIResponse(responseCode = "400", description = "`attempt`, `from` or `limit` is not a number in range", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", description = "No such execution, phase or attempt (or the phase has not run yet)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Response output(@Parameter(description = EXECUTION) @PathParam("id") String id,
            @Parameter(description = PHASE, schema = @Schema(type = SchemaType.INTEGER)) @PathParam("n") String phase,
            @Parameter(description = ATTEMPT, schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("attempt") String attempt,
            @Parameter(description = "The first seq wanted", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0"))
            @QueryParam("from") String from,
            @Parameter(description = "At most this many chunks (1 to 1,000)", schema = @Schema(type = SchemaType.INTEGER,
                    defaultValue = "1000")) @QueryParam("limit") String limit) {
        var ask = OutputRequest.parse(id, phase, attempt, from, limit);
        if (ask.problem() != null) {
            return problem(400, ask.problem());
        }
        return answer(id, s -> {
            var target = PhaseOutput.attempt(s, ask.phase(), ask.attempt());
            if (target.problem() != null) {
                return problem(404, target.problem());
            }
            return Response.ok(PhaseOutput.page(id, ask.phase(), target.value(),
                    views.output(id, ask.phase(), target.value().number(), ask.from(), ask.limit()), ask.from())).build();
        });
    }

    @GET
    @Path("/{id}/phases/{n}/output/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "streamPhaseOutput", summary = "Follow a phase attempt's output live (Server-Sent Events)",
            description = "The chunks already there (from `from`), then each new one as the agent prints; the stream ends"
                    + " after the attempt's last chunk (or, if its gateway died, once the attempt ended).")
    @APIResponse(responseCode = "200", description = "An event stream; each event's data is an OutputChunk as JSON",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(type = SchemaType.STRING, description = "data: lines of OutputChunk JSON")))
    @APIResponse(responseCode = "400", description = "`attempt` or `from` is not a number in range", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", ref = OpenApiComponents.UNAUTHORIZED)
    @APIResponse(responseCode = "404", description = "No such execution, phase or attempt (or the phase has not run yet)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = OpenApiComponents.NOT_READY)
    public Multi<JsonNode> streamOutput(@Parameter(description = EXECUTION) @PathParam("id") String id,
            @Parameter(description = PHASE, schema = @Schema(type = SchemaType.INTEGER)) @PathParam("n") String phase,
            @Parameter(description = ATTEMPT, schema = @Schema(type = SchemaType.INTEGER)) @QueryParam("attempt") String attempt,
            @Parameter(description = "The first seq wanted", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "0"))
            @QueryParam("from") String from) {
        var ask = OutputRequest.parse(id, phase, attempt, from, null);
        if (ask.problem() != null) {
            throw new WebApplicationException(problem(400, ask.problem()));
        }
        Located located = locate(id);
        if (located instanceof Located.Elsewhere there) { // checked there first: a wrong phase is a 404, not an empty stream
            String query = query();
            String path = "/api/v1/executions/" + id + "/phases/" + ask.phase() + "/output";
            Response check = instances.forward(there.base(), path + query + (query.isEmpty() ? "?" : "&") + "limit=1",
                    MediaType.APPLICATION_JSON, authorization);
            if (check.getStatus() != 200) {
                throw new WebApplicationException(check);
            }
            return instances.streamFrom(there.base(), path + "/stream" + query, authorization);
        }
        if (!(located instanceof Located.Here here)) {
            throw new WebApplicationException(notFound(id));
        }
        var target = PhaseOutput.attempt(here.state(), ask.phase(), ask.attempt());
        if (target.problem() != null) {
            throw new WebApplicationException(problem(404, target.problem()));
        }
        return follower.follow(id, ask.phase(), target.value().number(), ask.from());
    }

    static Response problem(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Problem(message)).build();
    }

    private static Instant updatedAt(JsonNode summary) {
        try {
            return Instant.parse(summary.path("updated_at").asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Response notFound(String id) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(new Problem("no execution " + id + " (unknown id, or not yet projected)")).build();
    }
}
