package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.AgentOutput;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Follows one phase attempt's output in the view for the SSE stream: what is there, then each new chunk, until the
 * attempt's last chunk, or (its gateway died before sending one) until the engine state says the attempt ended and
 * nothing more came for {@link #GRACE_MS}. It looks every {@link #POLL_MS}: a range read of one attempt is cheap, and
 * one clock for every follower keeps the threads few.
 */
@ApplicationScoped
public class OutputFollower {
    static final long POLL_MS = 250;
    /** Chunks published just before the attempt's end may reach the view just after the state says it ended. */
    static final long GRACE_MS = 3_000;

    @Inject
    Views views;

    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "output-follower");
        t.setDaemon(true);
        return t;
    });

    Multi<JsonNode> follow(String executionId, int phaseId, int attempt, long from) {
        return Multi.createFrom().emitter(emitter -> {
            var position = new Object() {
                long next = from;
                long quietSince = -1;
            };
            var task = clock.scheduleWithFixedDelay(() -> {
                try {
                    List<AgentOutput> got = views.output(executionId, phaseId, attempt, position.next, PhaseOutput.MAX_LIMIT);
                    for (AgentOutput o : got) {
                        emitter.emit(PhaseOutput.chunk(o));
                        position.next = o.getSeq() + 1;
                        if (o.getLast()) {
                            emitter.complete();
                            throw new Done();
                        }
                    }
                    if (!got.isEmpty()) {
                        position.quietSince = -1;
                        return;
                    }
                    boolean ended = views.state(executionId).map(s -> PhaseOutput.attempt(s, phaseId, attempt).value())
                            .map(PhaseOutput.Attempt::ended).orElse(false);
                    long now = System.currentTimeMillis();
                    if (ended && position.quietSince < 0) {
                        position.quietSince = now;
                    } else if (ended && now - position.quietSince >= GRACE_MS) {
                        emitter.complete();
                        throw new Done();
                    }
                } catch (Views.ViewsNotReadyException | InvalidStateStoreException e) {
                    // a rebalance or restore: look again at the next tick
                }
            }, 0, POLL_MS, TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> task.cancel(false));
        });
    }

    /** Ends a follower's repeated task (an exception is how a fixed-delay task stops itself). */
    private static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    @PreDestroy
    void stop() {
        clock.shutdownNow();
    }
}
