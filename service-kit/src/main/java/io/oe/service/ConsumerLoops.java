package io.oe.service;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The threads that run a service's plain Kafka consumers (the gateway's phase-ready reader, the plan-loader's
 * submissions, the monitor's alert webhook...). A loop whose body fails is started again after a pause, never left
 * dead while the service still answers "up"; each loop is a health check: live while its thread runs, ready once it
 * has polled in the last {@link #READY_WITHIN}.
 */
@ApplicationScoped
public class ConsumerLoops {
    private static final Logger LOG = Logger.getLogger(ConsumerLoops.class);
    static final Duration READY_WITHIN = Duration.ofSeconds(30);
    /**
     * How long a loop's poll waits when no record comes: a record is returned as soon as it arrives, so this only
     * sets how often an idle loop wakes (and how soon it sees the service stop).
     */
    public static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    @Inject
    @Readiness
    HealthRegistry readiness;
    @Inject
    @Liveness
    HealthRegistry liveness;

    private final List<Loop> loops = new CopyOnWriteArrayList<>();

    /** What runs in a loop: a consumer's life, from creating it to closing it when {@link Loop#running()} turns false. */
    @FunctionalInterface
    public interface Body {
        void run(Loop loop);
    }

    /** What a loop's body sees: whether to go on, and where to say that it polled. */
    public static final class Loop {
        private final String name;
        private volatile boolean running = true;
        private volatile long lastPoll;
        private Thread thread;

        private Loop(String name) {
            this.name = name;
        }

        /** False once the service stops: the body returns. */
        public boolean running() {
            return running;
        }

        /** The consumer polled (with or without records): the loop is serving. */
        public void polled() {
            lastPoll = System.currentTimeMillis();
        }

        /**
         * Every partition of the topics, once they exist (a consumer that assigns itself partitions before the topics
         * are created would get none); empty when the service stops first.
         */
        public List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String... topics) {
            while (running) {
                List<TopicPartition> out = new ArrayList<>();
                for (String topic : topics) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> out.add(new TopicPartition(topic, p.partition())));
                }
                if (out.stream().map(TopicPartition::topic).distinct().count() == topics.length) {
                    return out;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            return List.of();
        }

        boolean ready() {
            return System.currentTimeMillis() - lastPoll < READY_WITHIN.toMillis();
        }

        boolean alive() {
            return !running || thread.isAlive();
        }
    }

    /** Runs {@code body} on its own thread until the service stops, starting it again whenever it fails. */
    public Loop start(String service, String name, Body body) {
        String id = service + " " + name;
        Loop loop = new Loop(id);
        loop.thread = new Thread(() -> run(loop, body), name);
        loop.thread.setDaemon(true);
        loops.add(loop);
        readiness.register(id, () -> HealthCheckResponse.named(id).status(loop.ready()).build());
        liveness.register(id, () -> HealthCheckResponse.named(id).status(loop.alive()).build());
        loop.thread.start();
        return loop;
    }

    private static void run(Loop loop, Body body) {
        long pause = 1000;
        while (loop.running) {
            long started = System.currentTimeMillis();
            try {
                body.run(loop);
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; starting it again in %d ms", loop.name, pause);
            }
            if (!loop.running) {
                return;
            }
            // a body that ran long before failing gets a fresh start; one failing at once backs off
            pause = System.currentTimeMillis() - started > MAX_PAUSE.toMillis() ? 1000 : Math.min(pause * 2, MAX_PAUSE.toMillis());
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loops.forEach(l -> l.running = false);
        for (Loop l : loops) {
            l.thread.join(5_000);
        }
    }
}
