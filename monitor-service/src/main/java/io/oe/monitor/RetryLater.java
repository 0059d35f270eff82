package io.oe.monitor;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A query while the views are not queryable (the stream threads start, rebalance or restore a store) answers 503
 * with {@code Retry-After}, never 500: the views come back by themselves, so the client should wait and ask again.
 * The one place for that rule, for every endpoint and stream: Kafka Streams throws {@link InvalidStateStoreException}
 * (or one of its kinds) from a store lookup or a read, and {@link Views} says {@link Views.ViewsNotReadyException}.
 */
public class RetryLater {
    /** Seconds a client waits before it asks again: a rebalance or a small restore takes a few. */
    static final int SECONDS = 2;

    @ServerExceptionMapper
    public Response viewsNotReady(Views.ViewsNotReadyException e) {
        return answer(e.getMessage());
    }

    @ServerExceptionMapper
    public Response storeNotReady(InvalidStateStoreException e) {
        return answer(e.getMessage());
    }

    /** A 503 from elsewhere (another monitor instance answered it, or did not answer) gets the header too. */
    @ServerResponseFilter
    public void everyUnavailableSaysWhenToRetry(ContainerResponseContext response) {
        if (response.getStatus() == 503 && !response.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)) {
            response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, String.valueOf(SECONDS));
        }
    }

    static Response answer(String detail) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, SECONDS)
                .type(MediaType.APPLICATION_JSON).entity(new Problem("the monitor is not ready (its views start, rebalance"
                        + " or restore; ask again in " + SECONDS + " s): " + detail)).build();
    }
}
