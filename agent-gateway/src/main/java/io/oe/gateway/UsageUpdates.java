package io.oe.gateway;

/**
 * When a running attempt's usage so far goes out as a USAGE progress event: at once when a report is accepted, unless
 * one went out less than {@link #MIN_INTERVAL_MS} ago; then at the next {@link #tick} after that interval. So a flood
 * of usage lines costs at most one event a second per attempt, and the last figure before a quiet spell is never held
 * back long. The scheduler holds these running totals to the budgets; the final totals come with the agent-result.
 */
final class UsageUpdates {
    static final long MIN_INTERVAL_MS = 1000;

    private final Runnable send;
    private long lastSentAt = Long.MIN_VALUE / 2;
    private boolean pending;

    /** @param send publishes the attempt's usage totals as they stand when it runs */
    UsageUpdates(Runnable send) {
        this.send = send;
    }

    /** A usage report was accepted (its figures are in the attempt's totals). */
    synchronized void accepted(long now) {
        pending = true;
        tick(now);
    }

    /** Sends what is pending once the interval since the last event has passed. */
    synchronized void tick(long now) {
        if (pending && now - lastSentAt >= MIN_INTERVAL_MS) {
            pending = false;
            lastSentAt = now;
            send.run();
        }
    }
}
