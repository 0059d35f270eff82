package io.oe.scheduler;

import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.Decision;
import io.oe.core.scheduler.Effect;
import io.oe.core.scheduler.ExecutionState;
import io.oe.core.scheduler.Scheduler;
import io.oe.core.scheduler.SchedulerInput;
import io.oe.events.ExecutionPruned;
import io.oe.events.PlanLoaded;
import io.oe.schemas.Topics;
import io.oe.service.traces.TraceHeaders;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * The thin Kafka shell around {@link Scheduler}: read the execution's state from the store, apply the input, write
 * the new state, forward the effects as events. Timers (backoff, timeouts, lost heartbeats) are a wall-clock
 * punctuation that feeds {@code Tick}s, so they live in the store and survive a restart.
 */
final class SchedulerProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private static final Logger LOG = Logger.getLogger(SchedulerProcessor.class);

    private final Scheduler scheduler;
    private final Duration tickInterval;
    /** The scheduler's own backlog, for tick(). */
    private final long heartbeatTimeoutMs;
    private InputLag inputLag;
    private final long heartbeatIntervalMs;
    private ProcessorContext<String, SpecificRecord> context;
    private ExecutionStore store;
    /** The timer, while this task has a live execution; none otherwise (see {@link #timerAsNeeded}). */
    private Cancellable timer;

    private final java.util.function.LongUnaryOperator cutOffAllowance;
    private final SchedulerMetrics metrics;
    private final SchedulerSpans spans;

    SchedulerProcessor(Scheduler scheduler, Duration tickInterval, Duration heartbeatInterval, Duration heartbeatTimeout,
            java.util.function.LongUnaryOperator cutOffAllowance, SchedulerMetrics metrics, SchedulerSpans spans) {
        this.scheduler = scheduler;
        this.spans = spans;
        this.metrics = metrics;
        this.cutOffAllowance = cutOffAllowance;
        this.tickInterval = tickInterval;
        this.heartbeatIntervalMs = heartbeatInterval.toMillis();
        this.heartbeatTimeoutMs = heartbeatTimeout.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, byte[]> entries = context.getStateStore(SchedulerTopology.EXECUTIONS_STORE);
        this.store = new ExecutionStore(entries); // a new task (or a revived one) starts with an empty cache
        this.inputLag = new InputLag(heartbeatTimeoutMs, tickInterval.toMillis(), System.currentTimeMillis());
        this.timer = null;
        timerAsNeeded();
    }

    /**
     * Ticks run only while this task has a live execution. Under exactly-once every punctuation commits a
     * transaction, whether it changed anything or not: ticking an idle task twice a second kept the broker busy
     * with empty transactions (docs/performance.md, idle cost).
     */
    private void timerAsNeeded() {
        boolean live = !store.liveExecutionIds().isEmpty();
        if (live && timer == null) {
            timer = context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
        } else if (!live && timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event == null) {
            return; // a record that did not decode; the deserialization handler logged it
        }
        String executionId = String.valueOf(event.get(event.getSchema().getField("execution_id").pos()));
        long now = System.currentTimeMillis();
        // how old the event is when we read it (its producer's clock): the scheduler's backlog, see tick()
        inputLag.read(now, record.timestamp());
        if (event instanceof PlanLoaded loaded) {
            register(loaded, now);
            return;
        }
        ExecutionState state = store.get(executionId);
        if (state == null) {
            LOG.warnf("%s for unknown execution %s ignored", event.getSchema().getName(), executionId);
            return;
        }
        if (event instanceof ExecutionPruned) {
            prune(state);
            return;
        }
        EventMapping.input(event).ifPresent(input -> apply(state, input, now));
        timerAsNeeded();
    }

    /**
     * Forgets an execution the monitor pruned, if it is finished here too: one a person reran after its end (in the
     * instant the monitor decided) runs on, and is pruned once it ends again and ages out.
     */
    private void prune(ExecutionState state) {
        if (!state.status().isTerminal()) {
            LOG.warnf("%s: pruning ignored, it is %s here (rerun after its end?)", state.executionId(), state.status().json());
            return;
        }
        store.delete(state.executionId());
        LOG.infof("%s pruned (%s)", state.executionId(), state.status().json());
    }

    private void register(PlanLoaded loaded, long now) {
        if (store.contains(loaded.getExecutionId())) {
            LOG.infof("duplicate plan-loaded for %s ignored", loaded.getExecutionId());
            return;
        }
        Plan plan = PlanJson.plan(PlanJson.parse(loaded.getPlanJson()));
        Decision d = scheduler.register(loaded.getExecutionId(), loaded.getProjectDir(), plan,
                PlanJson.parse(loaded.getProjectPlanJson()), PlanJson.config(PlanJson.parse(loaded.getConfigJson())),
                loaded.getContracts(), loaded.getAgents(),
                loaded.getCompletedArtifacts().stream().map(EventMapping::artifact).toList(), now, loaded.getDryRun(),
                EventMapping.reuse(loaded), loaded.getRunnerProfiles());
        commit(null, d, now);
        if (loaded.getAutostart()) {
            apply(d.state(), new SchedulerInput.Command(SchedulerInput.CommandKind.START, null, loaded.getSubmittedBy(),
                    "autostart", null, now), now);
        }
        timerAsNeeded();
    }

    private void apply(ExecutionState state, SchedulerInput input, long now) {
        Decision d = scheduler.handle(state, input);
        if (d.state() != state || !d.effects().isEmpty()) { // the scheduler keeps the same state when nothing changed
            commit(state, d, now);
        }
    }

    private void commit(ExecutionState before, Decision d, long now) {
        ExecutionState s = d.state();
        store.put(before, s);
        for (Effect e : d.effects()) {
            if (e instanceof Effect.Dispatch dispatch) {
                forward(SchedulerTopology.PHASE_READY_SINK, Topics.phaseKey(s.executionId(), dispatch.phaseId()),
                        EventMapping.phaseReady(s, dispatch, now, heartbeatIntervalMs), now, trace(s, e));
                // A gateway waits for this: commit the transaction now rather than at the next interval. What
                // nothing waits for (an agent started, a heartbeat, a phase's transition readers show) shares later ones.
                context.commit();
            } else if (e instanceof Effect.Transition t) {
                forward(SchedulerTopology.STATUS_SINK, s.executionId(), EventMapping.statusChanged(s.executionId(), t, now), now, trace(s, e));
                if (t.phaseId() == null) {
                    context.commit(); // the execution's own status: someone may be waiting for its end
                }
                metrics.transition(s, t, now);
                LOG.infof("%s %s: %s → %s%s", s.executionId(), t.phaseId() == null ? "execution" : "phase " + t.phaseId(),
                        t.from(), t.to(), t.reason() == null ? "" : " (" + t.reason() + ")");
            } else if (e instanceof Effect.RaiseAlert a) {
                forward(SchedulerTopology.ALERTS_SINK, s.executionId(), EventMapping.alert(s.executionId(), a, now), now, trace(s, e));
                metrics.alert(a);
                LOG.warnf("%s ALERT %s: %s", s.executionId(), a.kind(), a.message());
            } else if (e instanceof Effect.ReplaceOutput r) {
                forward(SchedulerTopology.AGENT_RESULT_SINK, s.executionId(), EventMapping.replacement(s, r, now), now, trace(s, e));
                context.commit(); // a person waits for the handoff of their file, as a gateway waits for a dispatch
                LOG.infof("%s phase %d: %s asks for output %s to be replaced by %s", s.executionId(), r.phaseId(),
                        r.replacedBy(), r.output(), r.path());
            } else if (e instanceof Effect.RequestSeat r) {
                forward(SchedulerTopology.SEAT_REQUESTS_SINK, r.limits().get(0), EventMapping.seatRequest(s.executionId(), r,
                        now), now, trace(s, e));
                context.commit(); // the keeper reads committed records only: a grant waits for this
                LOG.infof("%s phase %d attempt %d asks for seats of %s", s.executionId(), r.phaseId(), r.attempt(), r.limits());
            } else if (e instanceof Effect.ReleaseSeat r) {
                forward(SchedulerTopology.SEAT_REQUESTS_SINK, r.limits().get(0), EventMapping.seatRelease(s.executionId(), r,
                        now), now, trace(s, e));
                context.commit(); // another execution's phase may wait for this seat
                LOG.infof("%s phase %d attempt %d releases seats of %s", s.executionId(), r.phaseId(), r.attempt(), r.limits());
            } else if (e instanceof Effect.Ignored i) {
                LOG.infof("%s ignored: %s", s.executionId(), i.reason());
            }
        }
        spans.ended(before, s, d.effects(), now);
    }

    /** Each record carries the trace context of the span its effect belongs to (none while traces are off). */
    private void forward(String sink, String key, SpecificRecord value, long now, SpanContext trace) {
        Record<String, SpecificRecord> r = new Record<>(key, value, now);
        if (trace != null) {
            TraceHeaders.write(r.headers(), trace);
        }
        context.forward(r, sink);
    }

    /** The trace context of the span an effect belongs to; null while traces are off (no header, no cost). */
    private SpanContext trace(ExecutionState s, Effect e) {
        return spans.enabled() ? SchedulerSpans.contextOf(s.executionId(), e) : null;
    }

    private void tick(long now) {
        List<String> live = store.liveExecutionIds();
        // Behind on its inputs (a burst, a restart), the scheduler must not call an agent lost whose heartbeats or
        // result wait in its own backlog. Idle (nothing read for two ticks), there is no backlog, unless the broker
        // itself was out of reach: then silence is no sign of a lost agent (BrokerProbe).
        long lag = Math.max(inputLag.allowance(now), cutOffAllowance.applyAsLong(now));
        for (String id : live) {
            apply(store.get(id), new SchedulerInput.Tick(now, lag), now);
        }
        timerAsNeeded();
    }
}
