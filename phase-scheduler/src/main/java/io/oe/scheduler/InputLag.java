package io.oe.scheduler;

/**
 * How far behind its inputs the scheduler is, as the silence a tick must not count against an agent. The age of the
 * last record read is not enough: behind on a big parallel tier, the scheduler reads a fresh record of one topic while
 * an agent's result still waits, older, in another (Kafka Streams can only order the records it has fetched). A
 * 10,000-phase bench run lost agents that way. So the allowance is the largest age of any record read within the last
 * {@code window} (the heartbeat timeout), and nothing once nothing was read for two ticks (then there is no backlog).
 *
 * <p>A task that has just started (a restart, or partitions taken over from a killed instance) has read nothing yet of
 * what waits for it, so it cannot tell its backlog from silence: it allows all silence for one window after it starts,
 * and beyond that until it has read its first record (up to {@link #MAX_GRACE_WINDOWS} windows, for a task that has
 * nothing to read at all). Kafka Streams processes a new task only once it has fetched from all its partitions, and
 * then its buffered records oldest first, so the first record read carries the backlog's age into the usual rule. An
 * agent lost before the takeover is then found a little later, never an agent whose result is still unread
 * (TwoInstancesFaultIT met it twice: a result waited 14 s behind a killed handoff instance and the new scheduler ticked
 * first; then, with a grace of one 4 s window, a new task read nothing for 4 s and ticked at the window's end).
 */
final class InputLag {
    private static final int BUCKETS = 16;

    private final long bucketMs;
    private final long idleMs;
    private final long graceUntil;
    private final long maxGraceUntil;
    private boolean readAny;
    private final long[] maxLag = new long[BUCKETS];
    private final long[] bucketStart = new long[BUCKETS];
    private long lastReadAt = Long.MIN_VALUE / 2;

    /** Silence allowed without limit: a task that has just started judges no agent. */
    static final long ALL = Long.MAX_VALUE / 4;
    /** How long, in windows, a task that has read nothing since it started judges no agent. */
    static final int MAX_GRACE_WINDOWS = 3;

    InputLag(long windowMs, long tickMs, long startedAt) {
        this.bucketMs = Math.max(1, windowMs / (BUCKETS - 1));
        this.idleMs = 2 * tickMs;
        this.graceUntil = startedAt + windowMs;
        this.maxGraceUntil = startedAt + MAX_GRACE_WINDOWS * windowMs;
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
        readAny = true;
    }

    /** Milliseconds of silence not to count at {@code now}. */
    long allowance(long now) {
        if (now < graceUntil || !readAny && now < maxGraceUntil) {
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
