package io.oe.planloader;

import io.oe.core.api.TooLarge;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.Violation;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.OptionalLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request body over {@code quarkus.http.limits.max-body-size} is refused with 413 and a JSON body naming its size and
 * the limit. Quarkus checks the declared Content-Length before any JAX-RS code runs (a route of order -2) and answers
 * with an empty body; this route runs just before it, with the same check and the words of {@link TooLarge}. A body
 * without Content-Length (chunked) that grows past the limit is still cut off by Quarkus, with its empty 413.
 */
@ApplicationScoped
public class BodyLimit {
    /** Up to this much of a refused body is read and dropped before answering, so that the client sees the answer. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    private static final int ROUTE_ORDER = -3;

    private final long limit;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        OptionalLong size = declaredLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (size.isEmpty() || size.getAsLong() <= limit) {
            ctx.next();
            return;
        }
        Buffer answer = Buffer.buffer(PlanJson.write(refusal(request.path(), size.getAsLong())));
        var response = ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close");
        boolean clientWaits = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
        if (clientWaits || size.getAsLong() > DRAIN_LIMIT) {
            response.end(answer); // a client still sending may see the connection reset instead
            return;
        }
        // a client that is still writing its body reads no answer: let it finish, drop what it sends, then answer
        request.handler(ignored -> { }).endHandler(ignored -> response.end(answer));
        request.resume();
    }

    /** The body of the 413: the sentence, and what to do about it. */
    Problem refusal(String path, long size) {
        String where = path == null ? "" : path.replaceAll("/+$", "");
        boolean bundle = where.equals("/api/v1/executions");
        String what = bundle ? PlanIntake.BUNDLE : where.endsWith("/commands") ? "the command" : "the request body";
        String remedy = bundle ? "split the plan, or shorten its texts, contracts or agent definitions" : "send less";
        return Problem.of(TooLarge.sentence(what, size, limit), List.of(new Violation("request body",
                remedy + " (quarkus.http.limits.max-body-size)")));
    }

    static OptionalLong declaredLength(String header) {
        try {
            return header == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
