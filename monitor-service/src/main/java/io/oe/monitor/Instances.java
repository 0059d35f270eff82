package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.jboss.logging.Logger;

/**
 * Several monitor instances share the executions (each holds the views of its partitions); any instance answers
 * any query by asking the one that holds the execution, over the same REST API (the Kafka Streams interactive-query
 * pattern: {@code queryMetadataForKey} says which instance). A forwarded request carries {@link #FORWARDED} and is
 * answered locally, so a request is forwarded at most once.
 */
@ApplicationScoped
public class Instances {
    private static final Logger LOG = Logger.getLogger(Instances.class);
    static final String FORWARDED = "X-OE-Forwarded";

    @Inject
    MonitorTopology topology;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The base URL of the instance that holds the execution's views, when that is another instance. */
    Optional<String> ownerElsewhere(String executionId) {
        HostInfo self = self();
        if (self == null) {
            return Optional.empty();
        }
        KeyQueryMetadata m;
        try {
            KafkaStreams streams = topology.app().orElseThrow().streams();
            m = streams.queryMetadataForKey(MonitorTopology.STATE_VIEW, executionId, Serdes.String().serializer());
        } catch (RuntimeException e) {
            return Optional.empty(); // not running yet: the local answer (503) says so
        }
        if (m == null || KeyQueryMetadata.NOT_AVAILABLE.equals(m) || m.activeHost() == null || m.activeHost().equals(self)
                || m.activeHost().port() <= 0) {
            return Optional.empty();
        }
        return Optional.of(base(m.activeHost()));
    }

    /** Every other instance of the monitor, by base URL. */
    List<String> others() {
        HostInfo self = self();
        List<String> out = new ArrayList<>();
        if (self == null) {
            return out;
        }
        try {
            topology.app().orElseThrow().streams().metadataForAllStreamsClients().forEach(md -> {
                if (!md.hostInfo().equals(self) && md.hostInfo().port() > 0) {
                    out.add(base(md.hostInfo()));
                }
            });
        } catch (RuntimeException e) {
            // not running yet: only this instance answers
        }
        return out;
    }

    /** The same GET on the owner, its answer passed back as is. */
    Response forward(String base, String pathAndQuery, String accept, String authorization) {
        try {
            HttpResponse<byte[]> r = http.send(request(base + pathAndQuery, accept, authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder b = Response.status(r.statusCode()).entity(r.body());
            r.headers().firstValue("Content-Type").ifPresent(ct -> b.header("Content-Type", ct));
            return b.build();
        } catch (IOException e) {
            return unreachable(base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(base, e);
        }
    }

    /** Another instance's own executions (its answer to a forwarded list), or none if it does not answer. */
    List<JsonNode> listFrom(String base, String query, String authorization) {
        Response r = forward(base, "/api/v1/executions" + (query == null || query.isBlank() ? "" : "?" + query),
                "application/json", authorization);
        if (r.getStatus() != 200) {
            LOG.warnf("monitor instance %s answered %d to a list; its executions are left out", base, r.getStatus());
            return List.of();
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            StateJson.MAPPER.readTree((byte[]) r.getEntity()).forEach(out::add);
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Another instance's Server-Sent Events, relayed: each {@code data:} line as the JSON it carries. */
    Multi<JsonNode> streamFrom(String base, String path, String authorization) {
        return Multi.createFrom().emitter(emitter -> {
            var future = http.sendAsync(request(base + path, "text/event-stream", authorization).GET().build(),
                    HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(line -> {
                        if (line.startsWith("data:")) {
                            try {
                                emitter.emit(StateJson.MAPPER.readTree(line.substring(5).strip()));
                            } catch (IOException e) {
                                // a line that is not JSON: not ours to relay
                            }
                        }
                    })).whenComplete((ok, e) -> emitter.complete());
            emitter.onTermination(() -> future.cancel(true));
        });
    }

    private HttpRequest.Builder request(String url, String accept, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header(FORWARDED, "1")
                .header("Accept", accept == null ? "application/json" : accept);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private Response unreachable(String base, Exception e) {
        return Response.status(503).type("application/json").entity(Map.of("error",
                "the monitor instance holding this execution (" + base + ") did not answer: " + e.getClass().getSimpleName()))
                .build();
    }

    private HostInfo self() {
        return topology.applicationServer().map(HostInfo::buildFromEndpoint).orElse(null);
    }

    private static String base(HostInfo h) {
        return "http://" + h.host() + ":" + h.port();
    }
}
