package io.oe.core.scheduler;

import java.time.Duration;

/**
 * The scheduler's own knobs (not the plan's): how long a running attempt may go without a heartbeat before it
 * counts as lost, and how long past its timeout the scheduler waits for the gateway to report it before it fails
 * the attempt itself. Their defaults are the phase-scheduler's configuration's ({@code oe.scheduler.heartbeat-timeout},
 * {@code oe.scheduler.timeout-grace}), written there only.
 */
public record SchedulerSettings(Duration heartbeatTimeout, Duration timeoutGrace) {
}
