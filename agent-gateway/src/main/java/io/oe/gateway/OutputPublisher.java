package io.oe.gateway;

import io.oe.events.AgentOutput;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Between the agents' output readers and Kafka: a bounded queue drained by one thread that hands each chunk to the
 * producer. A reader never waits: when the queue is full (the producer fell behind: the broker is slow or away) the
 * chunk is refused, and its {@link OutputChunker} counts the bytes on its next chunk. Only an attempt's last chunk,
 * offered after its agent ended, waits a little for room.
 */
final class OutputPublisher implements OutputChunker.Sink, AutoCloseable {
    /** How long an attempt's last chunk may wait for room: the agent has ended, nothing is held back but its result. */
    static final long LAST_CHUNK_WAIT_MS = 2_000;

    private final BlockingQueue<AgentOutput> queue;
    private final Consumer<AgentOutput> send;
    private final AtomicLong refused = new AtomicLong();
    private final Thread drain;
    private volatile boolean closed;

    /** {@code capacity}: chunks waiting at most (each at most about {@link OutputChunker#FLUSH_BYTES} of text). */
    OutputPublisher(int capacity, Consumer<AgentOutput> send) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.send = send;
        this.drain = new Thread(this::drain, "agent-output-publisher");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public boolean offer(AgentOutput chunk) {
        boolean taken;
        try {
            taken = !closed && (chunk.getLast() ? queue.offer(chunk, LAST_CHUNK_WAIT_MS, TimeUnit.MILLISECONDS) : queue.offer(chunk));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            refused.incrementAndGet();
        }
        return taken;
    }

    /** Chunks refused since start (the oe_agent_output_refused_chunks_total counter). */
    long refused() {
        return refused.get();
    }

    private void drain() {
        while (!closed) {
            try {
                AgentOutput next = queue.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    send.accept(next);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the producer refused it (closed, too large): live output is best effort, the agent.log keeps it all
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        drain.interrupt();
    }
}
