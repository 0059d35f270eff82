package io.oe.monitor;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/** Which execution's view just changed, broadcast to live subscribers (the SSE streams). */
@ApplicationScoped
public class StateChanges {
    private final BroadcastProcessor<String> changes = BroadcastProcessor.create();

    void changed(String executionId) {
        changes.onNext(executionId);
    }

    /**
     * Execution ids as their views change, delivered off the Kafka Streams thread. Each subscriber gets a bounded
     * buffer so that a slow client neither stalls the others nor loses the latest change while within the bound.
     */
    Multi<String> stream() {
        return changes.onOverflow().buffer(10_000).emitOn(Infrastructure.getDefaultWorkerPool());
    }
}
