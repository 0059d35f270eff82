package io.oe.scheduler;

/**
 * How far behind its inputs the scheduler is, as the silence a tick must not count against an agent. The age of the
 * last record read is not enough: behind on a big parallel tier, the scheduler reads a fresh record of one topic while
 * an agent's result still waits, older, in another (Kafka Streams can only order the records it has fetched). A
 * 10,000-phase bench run lost agents that way. So the allowance is the largest age of any record read within the last
 * {@code window} (the heartbeat timeout), and nothing once nothing was read for two ticks (then there is no backlog).
 *
 * <p>A task that has just started (a restart, or partitions taken over from a killed instance) has read nothing yet of
 * what waits for it, so it cannot tell its backlog from silence: for one window after it starts it allows all silence.
 * An agent lost before the takeover is then found one window later, never an agent whose result is still unread
 * (TwoInstancesFaultIT met it: a result waited 14 s behind a killed handoff instance, the new scheduler ticked first).
 */
final class InputLag {
    private static final int BUCKETS = 16;

    private final long bucketMs;
    private final long idleMs;
    private final long graceUntil;
    private final long[] maxLag = new long[BUCKETS];
    private final long[] bucketStart = new long[BUCKETS];
    private long lastReadAt = Long.MIN_VALUE / 2;

    /** Silence allowed without limit: a task that has just started judges no agent. */
    static final long ALL = Long.MAX_VALUE / 4;

    InputLag(long windowMs, long tickMs, long startedAt) {
        this.bucketMs = Math.max(1, windowMs / (BUCKETS - 1));
        this.idleMs = 2 * tickMs;
        this.graceUntil = startedAt + windowMs;
    }

    /** A record produced at {@code producedAt} was read at {@code now}. */
    void read(long now, long producedAt) {
        long lag = Math.max(0, now - producedAt);
        int b = (int) Math.floorMod(now / bucketMs, (long) BUCKETS);
        long start = now / bucketMs * bucketMs;
        if (bucketStart[b] != start) {
            bucketStart[b] = start;
            maxLag[b] = 0;
        }
        maxLag[b] = Math.max(maxLag[b], lag);
        lastReadAt = now;
    }

    /** Milliseconds of silence not to count at {@code now}. */
    long allowance(long now) {
        if (now < graceUntil) {
            return ALL;
        }
        if (now - lastReadAt > idleMs) {
            return 0;
        }
        long oldest = now - (BUCKETS - 1) * bucketMs;
        long max = 0;
        for (int b = 0; b < BUCKETS; b++) {
            if (bucketStart[b] + bucketMs > oldest) {
                max = Math.max(max, maxLag[b]);
            }
        }
        return max;
    }
}
