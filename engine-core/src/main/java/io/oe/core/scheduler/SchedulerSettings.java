package io.oe.core.scheduler;

import java.time.Duration;
import java.util.List;

/**
 * The scheduler's own knobs (not the plan's): how long a running attempt may go without a heartbeat before it
 * counts as lost, and how long past its timeout the scheduler waits for the gateway to report it before it fails
 * the attempt itself. Their defaults are the phase-scheduler's configuration's ({@code oe.scheduler.heartbeat-timeout},
 * {@code oe.scheduler.timeout-grace}), written there only. {@code limits}: which limits across executions an attempt
 * of an agent takes a seat of (the trusted runner configuration's, {@code RunnerConfig.limitsFor}).
 */
public record SchedulerSettings(Duration heartbeatTimeout, Duration timeoutGrace, LimitsOf limits) {
    /** The limits an attempt of {@code agent} (whose definition asks for runner {@code requestedRunner}) needs seats of. */
    @FunctionalInterface
    public interface LimitsOf {
        LimitsOf NONE = (agent, requestedRunner) -> List.of();

        List<String> of(String agent, String requestedRunner);
    }

    public SchedulerSettings {
        limits = limits == null ? LimitsOf.NONE : limits;
    }

    public SchedulerSettings(Duration heartbeatTimeout, Duration timeoutGrace) {
        this(heartbeatTimeout, timeoutGrace, LimitsOf.NONE);
    }
}
