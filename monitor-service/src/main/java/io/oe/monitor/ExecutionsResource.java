package io.oe.monitor;

import io.oe.events.EngineState;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The engine's read side, served from the monitor's Kafka Streams views; with several monitor instances, a query
 * about an execution another instance holds is answered by that instance ({@link Instances}). Request-scoped: it
 * reads the request's headers.
 */
@jakarta.enterprise.context.RequestScoped
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionsResource {
    @Inject
    Views views;
    @Inject
    StateChanges changes;
    @Inject
    Instances instances;
    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.UriInfo uri;
    @jakarta.ws.rs.HeaderParam(Instances.FORWARDED)
    String forwarded;
    @jakarta.ws.rs.HeaderParam("Authorization")
    String authorization;
    @jakarta.ws.rs.HeaderParam("Accept")
    String acceptHeader;

    /** The instance that holds the execution's views, if another one and this request was not forwarded already. */
    private java.util.Optional<String> owner(String id) {
        return forwarded != null ? java.util.Optional.empty() : instances.ownerElsewhere(id);
    }

    /** This same GET answered by the instance that holds the execution, if that is another one. */
    private java.util.Optional<Response> forwardedTo(String id) {
        return owner(id).map(base -> instances.forward(base, uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery()),
                acceptHeader, authorization));
    }

    /**
     * Server-Sent Events: the execution's state now, then again each time it changes (every event of the execution
     * changes it), until the client disconnects.
     */
    @GET
    @Path("/{id}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @org.jboss.resteasy.reactive.RestStreamElementType(MediaType.APPLICATION_JSON)
    public io.smallrye.mutiny.Multi<com.fasterxml.jackson.databind.JsonNode> stream(@PathParam("id") String id) {
        var elsewhere = owner(id);
        if (elsewhere.isPresent()) { // its changes are announced where its views are: relay that instance's stream
            return instances.streamFrom(elsewhere.get(), "/api/v1/executions/" + id + "/stream", authorization);
        }
        var now = io.smallrye.mutiny.Multi.createFrom().optional(() -> safeState(id));
        var later = changes.stream().filter(id::equals).map(x -> safeState(id))
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get);
        return io.smallrye.mutiny.Multi.createBy().concatenating().streams(now, later);
    }

    /** Server-Sent Events: a summary of every execution each time one changes. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @org.jboss.resteasy.reactive.RestStreamElementType(MediaType.APPLICATION_JSON)
    public io.smallrye.mutiny.Multi<com.fasterxml.jackson.databind.JsonNode> streamAll() {
        var local = streamLocal();
        if (forwarded != null) {
            return local;
        }
        List<io.smallrye.mutiny.Multi<com.fasterxml.jackson.databind.JsonNode>> all = new java.util.ArrayList<>(List.of(local));
        instances.others().forEach(base -> all.add(instances.streamFrom(base, "/api/v1/executions/stream", authorization)));
        return io.smallrye.mutiny.Multi.createBy().merging().streams(all);
    }

    private io.smallrye.mutiny.Multi<com.fasterxml.jackson.databind.JsonNode> streamLocal() {
        return changes.stream().map(id -> {
            try {
                return views.state(id).map(s -> (com.fasterxml.jackson.databind.JsonNode) StateJson.summary(s));
            } catch (Views.ViewsNotReadyException e) {
                return java.util.Optional.<com.fasterxml.jackson.databind.JsonNode>empty();
            }
        }).filter(java.util.Optional::isPresent).map(java.util.Optional::get);
    }

    private java.util.Optional<com.fasterxml.jackson.databind.JsonNode> safeState(String id) {
        try {
            return views.state(id).map(StateJson::state);
        } catch (Views.ViewsNotReadyException e) {
            return java.util.Optional.empty();
        }
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("plan") String plan) {
        return guarded(() -> {
            List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>(views.all().stream()
                    .filter(s -> status == null || status.equals(s.getStatus()))
                    .filter(s -> plan == null || plan.equals(s.getOrchestrationPlanId()))
                    .map(s -> (com.fasterxml.jackson.databind.JsonNode) StateJson.summary(s)).toList());
            if (forwarded == null) { // the executions the other instances hold
                instances.others().forEach(base -> out.addAll(instances.listFrom(base, uri.getRequestUri().getRawQuery(),
                        authorization)));
            }
            out.sort(Comparator.comparing(ExecutionsResource::updatedAt).reversed());
            return Response.ok(out).build();
        });
    }

    @GET
    @Path("/{id}")
    public Response state(@PathParam("id") String id) {
        var there = forwardedTo(id);
        if (there.isPresent()) {
            return there.get();
        }
        return guarded(() -> views.state(id).map(s -> Response.ok(StateJson.state(s)).build()).orElseGet(() -> notFound(id)));
    }

    @GET
    @Path("/{id}/log")
    public Response log(@PathParam("id") String id, @QueryParam("from") @DefaultValue("0") long from,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        var there = forwardedTo(id);
        if (there.isPresent()) {
            return there.get();
        }
        return guarded(() -> views.state(id).isEmpty() ? notFound(id)
                : Response.ok(StateJson.log(id, views.log(id, from, Math.max(1, Math.min(limit, 10_000))))).build());
    }

    @GET
    @Path("/{id}/handoffs")
    public Response handoffs(@PathParam("id") String id) {
        var there = forwardedTo(id);
        if (there.isPresent()) {
            return there.get();
        }
        return guarded(() -> views.state(id).map(s -> {
            var out = StateJson.MAPPER.createArrayNode();
            StateJson.handoffs(out, s.getHandoffs());
            return Response.ok(out).build();
        }).orElseGet(() -> notFound(id)));
    }

    @GET
    @Path("/{id}/report")
    @Produces({MediaType.TEXT_PLAIN, "text/markdown", MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    public Response report(@PathParam("id") String id, @QueryParam("format") String format,
            @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        var there = forwardedTo(id);
        if (there.isPresent()) {
            return there.get();
        }
        // ?format= wins; otherwise the Accept header chooses (a browser gets HTML); Markdown by default
        String f = format != null ? format
                : accept != null && accept.contains("text/html") ? "html"
                : accept != null && accept.contains("application/json") && !accept.contains("text/markdown") ? "json" : "md";
        if (!List.of("md", "json", "html").contains(f)) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "unknown report format '" + f + "': use md, json or html")).build();
        }
        return guarded(() -> views.state(id).map(s -> switch (f) {
            case "json" -> Response.ok(Report.json(s), MediaType.APPLICATION_JSON).build();
            case "html" -> Response.ok(Report.html(s), "text/html; charset=utf-8").build();
            default -> Response.ok(Report.markdown(s), "text/markdown; charset=utf-8").build();
        }).orElseGet(() -> notFound(id)));
    }

    private static java.time.Instant updatedAt(com.fasterxml.jackson.databind.JsonNode summary) {
        try {
            return java.time.Instant.parse(summary.path("updated_at").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    private static Response notFound(String id) {
        return Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "no execution " + id + " (unknown id, or not yet projected)")).build();
    }

    private static Response guarded(java.util.function.Supplier<Response> body) {
        try {
            return body.get();
        } catch (Views.ViewsNotReadyException e) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).entity(Map.of("error", e.getMessage())).build();
        }
    }
}
