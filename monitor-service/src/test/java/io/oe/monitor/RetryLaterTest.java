package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.events.EngineState;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.junit.jupiter.api.Test;

/** Queries while the views are not queryable answer 503 with Retry-After, never 500, streams included. */
class RetryLaterTest {
    private final RetryLater mapper = new RetryLater();

    private static void assertRetryLater(Response r) {
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(RetryLater.SECONDS));
        assertThat(((Problem) r.getEntity()).error()).startsWith("the monitor is not ready (its views start, rebalance or restore; ask again in 2 s): ");
    }

    @Test
    void viewsThatAreNotReadyAnswer503WithRetryAfter() {
        assertRetryLater(mapper.viewsNotReady(new Views.ViewsNotReadyException("engine-state-view is not queryable yet")));
    }

    @Test
    void everyKindOfInvalidStateStoreExceptionAnswers503WithRetryAfter() {
        for (InvalidStateStoreException e : List.of(new InvalidStateStoreException("the stream thread is PARTITIONS_ASSIGNED, not RUNNING"),
                new StreamsNotStartedException("not started"), new StateStoreMigratedException("migrated"))) {
            assertRetryLater(mapper.storeNotReady(e));
        }
    }

    @Test
    void a503FromAnotherInstanceGetsRetryAfterTooAndOtherAnswersAreLeftAlone() {
        MultivaluedMap<String, Object> forwarded503 = new MultivaluedHashMap<>();
        mapper.everyUnavailableSaysWhenToRetry(response(503, forwarded503));
        assertThat(forwarded503.getFirst("Retry-After")).isEqualTo(String.valueOf(RetryLater.SECONDS));

        MultivaluedMap<String, Object> own = new MultivaluedHashMap<>();
        own.putSingle("Retry-After", "7");
        mapper.everyUnavailableSaysWhenToRetry(response(503, own));
        assertThat(own.get("Retry-After")).containsExactly("7");

        MultivaluedMap<String, Object> ok = new MultivaluedHashMap<>();
        mapper.everyUnavailableSaysWhenToRetry(response(200, ok));
        assertThat(ok).isEmpty();
    }

    @Test
    void theStreamsAskTheViewsBeforeOpeningSoThatTheyAnswer503Too() {
        ExecutionsResource resource = new ExecutionsResource();
        resource.views = new FakeViews() {
            @Override
            public Optional<EngineState> state(String executionId) {
                throw new InvalidStateStoreException("the stream thread is PARTITIONS_ASSIGNED, not RUNNING");
            }
        };
        resource.queries = new ExecutionQueries(resource.views, null); // forwarded: no other instance is asked
        resource.changes = new StateChanges();
        resource.forwarded = "1"; // answered here, not by another instance
        assertThatThrownBy(() -> resource.stream("e1")).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(resource::streamAll).isInstanceOf(InvalidStateStoreException.class);
    }

    private static ContainerResponseContext response(int status, MultivaluedMap<String, Object> headers) {
        return (ContainerResponseContext) Proxy.newProxyInstance(RetryLaterTest.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> status;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
