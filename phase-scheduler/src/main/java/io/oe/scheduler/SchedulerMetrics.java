package io.oe.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.oe.core.scheduler.Attempt;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.PhaseRun;
import io.oe.core.scheduler.PhaseStatus;
import java.time.Duration;

/**
 * What the scheduler decides, as Prometheus meters at {@code /q/metrics}: phase transitions by target status (started
 * = in_progress, completed, failed, ...), execution transitions, alerts, and how long phases take from dispatch to
 * their end (ready → completed or failed). Counted where the decision is committed; a task replayed after a crash
 * may count a transition twice, which the events themselves never do.
 */
class SchedulerMetrics {
    private final MeterRegistry registry;

    SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void transition(ExecutionState s, Effect.Transition t, long now) {
        if (t.phaseId() == null) {
            if (t.to().equals(t.from())) {
                return; // a budget applied while the execution stays where it is: no change of status to count
            }
            Counter.builder("oe.execution.transitions").description("Execution status changes, by new status")
                    .tag("to", t.to()).register(registry).increment();
            return;
        }
        Counter.builder("oe.phase.transitions").description("Phase status changes, by new status (in_progress: an agent started)")
                .tag("to", t.to()).register(registry).increment();
        PhaseStatus to = PhaseStatus.parse(t.to());
        if (to == PhaseStatus.COMPLETED || to == PhaseStatus.FAILED) { // an attempt ended, if it is the last one
            PhaseRun run = s.phase(t.phaseId());
            Attempt last = run == null || run.attempts().isEmpty() ? null : run.attempts().get(run.attempts().size() - 1);
            if (last != null && last.number() == t.attempt()) {
                Timer.builder("oe.phase.attempt.duration").description("A phase attempt from dispatch to its end")
                        .tag("outcome", t.to()).register(registry).record(Duration.ofMillis(Math.max(0, now - last.readyAt())));
            }
        }
    }

    void alert(Effect.RaiseAlert a) {
        Counter.builder("oe.alerts").description("Alerts raised, by kind").tag("kind", a.kind()).register(registry).increment();
    }
}
