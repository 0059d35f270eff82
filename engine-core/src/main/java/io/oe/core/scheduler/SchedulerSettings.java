package io.oe.core.scheduler;

import java.time.Duration;

/**
 * The scheduler's own knobs (not the plan's): how long a running attempt may go without a heartbeat before it
 * counts as lost, and how long past its timeout the scheduler waits for the gateway to report it before it fails
 * the attempt itself.
 */
public record SchedulerSettings(Duration heartbeatTimeout, Duration timeoutGrace) {
    public static final SchedulerSettings DEFAULTS = new SchedulerSettings(Duration.ofSeconds(15), Duration.ofSeconds(30));
}
