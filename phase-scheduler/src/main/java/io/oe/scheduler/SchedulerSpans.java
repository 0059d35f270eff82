package io.oe.scheduler;

import io.oe.core.plan.Phase;
import io.oe.core.scheduler.Attempt;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.PhaseRun;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.service.traces.ExecutionSpans;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scheduler's spans (docs/architecture.md, "Traces"): the execution's, each phase's and each attempt's. They last
 * longer than any process may, so none is held open: each is sent once it has ended, from the state that says when
 * it began and ended, with the ids {@link ExecutionSpans} derives, which the records it published meanwhile already
 * carried ({@link #contextOf}). A restarted scheduler sends them the same.
 */
final class SchedulerSpans {
    static final AttributeKey<String> EXECUTION = AttributeKey.stringKey("oe.execution_id");
    static final AttributeKey<Long> PHASE = AttributeKey.longKey("oe.phase_id");
    static final AttributeKey<String> PHASE_NAME = AttributeKey.stringKey("oe.phase_name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("oe.attempt");
    static final AttributeKey<String> AGENT = AttributeKey.stringKey("oe.agent");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("oe.outcome");

    private final Tracing tracing;

    SchedulerSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    boolean enabled() {
        return tracing.enabled();
    }

    /** The span a published effect belongs to: its record's trace context header. */
    static SpanContext contextOf(String executionId, Effect e) {
        if (e instanceof Effect.Dispatch d) {
            return ExecutionSpans.attempt(executionId, d.phaseId(), d.attempt());
        } else if (e instanceof Effect.ReplaceOutput r) {
            return ExecutionSpans.attempt(executionId, r.phaseId(), r.attempt());
        } else if (e instanceof Effect.Transition t && t.phaseId() != null) {
            return ExecutionSpans.phase(executionId, t.phaseId());
        } else if (e instanceof Effect.RaiseAlert a && a.phaseId() != null) {
            return ExecutionSpans.phase(executionId, a.phaseId());
        }
        return ExecutionSpans.execution(executionId);
    }

    /**
     * Sends the spans that the decision from {@code before} to {@code after} ended: an attempt that ended, a phase that
     * ended (completed, skipped, cancelled), the execution when it ended. {@code now}: the time of the decision.
     */
    void ended(ExecutionState before, ExecutionState after, List<Effect> effects, long now) {
        if (!tracing.enabled()) {
            return;
        }
        Set<Integer> phases = new LinkedHashSet<>();
        boolean executionEnded = false;
        for (Effect e : effects) {
            if (e instanceof Effect.Transition t) {
                if (t.phaseId() != null) {
                    phases.add(t.phaseId());
                } else if (after.status().isTerminal()) {
                    executionEnded = true;
                }
            }
        }
        String id = after.executionId();
        for (int phaseId : phases) {
            PhaseRun run = after.phase(phaseId);
            // the attempts this decision ended: the current one, or the one before when a retry was dispatched at once
            List<Attempt> attempts = run.attempts();
            for (int i = attempts.size() - 1; i >= 0 && i >= attempts.size() - 2; i--) {
                Attempt attempt = attempts.get(i);
                if (attempt.endedAt() != null && !endedBefore(before, phaseId, attempt.number())) {
                    tracing.emit("attempt", ExecutionSpans.attempt(id, phaseId, attempt.number()),
                            ExecutionSpans.phase(id, phaseId), attempt.readyAt(), attempt.endedAt(),
                            attributes(after, phaseId).put(ATTEMPT, (long) attempt.number())
                                    .put(OUTCOME, String.valueOf(attempt.outcome())).build(),
                            attempt.failed() ? String.valueOf(attempt.error()) : null);
                }
            }
            PhaseRun was = before == null ? null : before.phase(phaseId);
            if (run.status().isTerminal() && (was == null || !was.status().isTerminal())) {
                long start = run.attempts().isEmpty() ? now : run.attempts().get(0).readyAt();
                tracing.emit("phase", ExecutionSpans.phase(id, phaseId), ExecutionSpans.execution(id), start, now,
                        attributes(after, phaseId).put(OUTCOME, run.status().json()).build(), null);
            }
        }
        if (executionEnded && (before == null || !before.status().isTerminal())) {
            tracing.emit("execution", ExecutionSpans.execution(id), null, after.createdAt(),
                    after.endedAt() == null ? now : after.endedAt(), Attributes.builder().put(EXECUTION, id)
                            .put(OUTCOME, after.status().json()).build(), null); // completed or cancelled
        }
    }

    private static boolean endedBefore(ExecutionState before, int phaseId, int attempt) {
        PhaseRun was = before == null ? null : before.phase(phaseId);
        return was != null && was.attempts().stream().anyMatch(a -> a.number() == attempt && a.endedAt() != null);
    }

    private static io.opentelemetry.api.common.AttributesBuilder attributes(ExecutionState s, int phaseId) {
        var b = Attributes.builder().put(EXECUTION, s.executionId()).put(PHASE, (long) phaseId);
        s.plan().phase(phaseId).map(Phase::name).ifPresent(name -> b.put(PHASE_NAME, name));
        s.plan().phase(phaseId).ifPresent(p -> b.put(AGENT, s.phase(phaseId).agent(p)));
        return b;
    }
}
