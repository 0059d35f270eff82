package io.oe.core.scheduler;

/**
 * Whether the scheduler could reach the broker, as a clock for the heartbeat timers: while it is cut off no heartbeat
 * can reach it, so silence must not count (the agents are likely fine and their gateways buffer what they send).
 * After an outage the scheduler still reads its backlog for a while, so the outage's length stays excused for a
 * window. Fed by a probe ({@link #reached}, {@link #missed}); read by every tick ({@link #allowanceMs}).
 */
public final class BrokerContact {
    private long lastReached = -1;
    private long cutOffSince = -1;
    private long lastOutageMs;
    private long outageEndedAt = -1;

    /** The broker answered at {@code at}. */
    public synchronized void reached(long at) {
        if (cutOffSince >= 0) {
            lastOutageMs = at - cutOffSince;
            outageEndedAt = at;
            cutOffSince = -1;
        }
        lastReached = at;
    }

    /** The broker did not answer at {@code at}: cut off since the last answer (never before the first). */
    public synchronized void missed(long at) {
        if (cutOffSince < 0 && lastReached >= 0) {
            cutOffSince = lastReached;
        }
    }

    public synchronized boolean cutOff() {
        return cutOffSince >= 0;
    }

    /**
     * Milliseconds of silence not to count at {@code now}: all of it since the last answer while cut off, so the
     * timers stand still; the whole last outage for {@code windowMs} after it ended, while the backlog is read.
     */
    public synchronized long allowanceMs(long now, long windowMs) {
        if (cutOffSince >= 0) {
            return Math.max(0, now - cutOffSince);
        }
        if (outageEndedAt >= 0 && now - outageEndedAt < windowMs) {
            return lastOutageMs;
        }
        return 0;
    }
}
