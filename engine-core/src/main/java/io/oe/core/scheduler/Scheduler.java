package io.oe.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.agent.AgentDefinition;
import io.oe.core.condition.ConditionEvaluator;
import io.oe.core.plan.AlertKind;
import io.oe.core.plan.Budget;
import io.oe.core.plan.BudgetLimit;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Estimate;
import io.oe.core.plan.InputRef;
import io.oe.core.plan.Phase;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanGraph;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Ignored;
import io.oe.core.scheduler.Effect.RaiseAlert;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptFailed;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import io.oe.core.scheduler.SchedulerInput.Heartbeat;
import io.oe.core.scheduler.SchedulerInput.Tick;
import io.oe.core.util.LruMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state machine of executions, as a pure function: {@code (state, input) → (state', effects)}. It reads no
 * clock and does no I/O, so every rule is unit-tested and a replay gives the same answers.
 *
 * <pre>
 * phase:     pending → ready → in_progress → completed
 *            ready | in_progress → waiting_for_review (outputs passed their contracts, the phase or config asks for a
 *                      review) → completed (REVIEW approve, or replace once the edited file passed the handoff)
 *                      | pending (REVIEW reject: a new attempt, with the feedback)
 *            pending → skipped (condition false, required input from a skipped phase, no agent alternative's condition
 *                      holds, or a person's SKIP)
 *            pending → waiting_for_approval → pending (APPROVE)
 *            ready | in_progress → failed → pending (retry after backoff) | waiting_for_intervention
 *            waiting_for_intervention → pending (RETRY) | skipped (SKIP)
 *            ready | in_progress → waiting_for_intervention (its budget or the execution's used up: the attempt is
 *                      stopped; BUDGET raises it, then RETRY)
 *            any non-terminal → cancelled (CANCEL)
 *            any but ready | in_progress → pending (RERUN of it or, with dependants, of a phase it needs; the next
 *                      dispatch is a new attempt)
 * execution: initialized → in_progress (START) ⇄ paused (PAUSE / RESUME)
 *            in_progress ⇄ waiting_for_intervention (also: the execution's budget is used up, until BUDGET raises it);
 *                      → completed when every phase is completed or skipped
 *            any non-terminal → cancelled (CANCEL)
 *            completed | cancelled | waiting_for_intervention → in_progress (RERUN; a cancelled execution's cancelled
 *                      phases go back to pending with it)
 *            (no "failed": retries that run out leave the phase, and so the execution, waiting for a person)
 * </pre>
 */
public final class Scheduler {
    /** Who "approves" a phase with {@code approval: true} in a dry run, and what its ready transition says. */
    static final String DRY_RUN_ACTOR = "dry run";
    static final String DRY_RUN_APPROVAL = "dry run: would wait for approval (oe approve); went on without it";
    private final SchedulerSettings settings;
    private final ConditionEvaluator conditions = new ConditionEvaluator();
    /** A plan's graph and phases by id: a plan never changes within an execution, and large plans are costly to re-derive. */
    private record PlanIndex(PlanGraph graph, Map<Integer, Phase> byId, int[] slots, boolean hasEstimates,
            EstimateCache estimate) {
    }

    /** The plan's estimate for the phases last left out (skipped, cancelled): they change seldom, ticks come often. */
    private static final class EstimateCache {
        private Set<Integer> leftOut;
        private long millis;

        synchronized long millis(Plan plan, PlanGraph graph, Set<Integer> leftOutNow) {
            if (!leftOutNow.equals(leftOut)) {
                millis = Estimate.millis(plan, graph, leftOutNow).orElse(Long.MAX_VALUE);
                leftOut = leftOutNow;
            }
            return millis;
        }
    }

    private final Map<String, PlanIndex> indexes = Collections.synchronizedMap(new LruMap<>(1024));

    public Scheduler(SchedulerSettings settings) {
        this.settings = settings;
    }

    /** A new execution in status {@code initialized}: phases the plan marks completed stay completed. */
    public Decision register(String executionId, String projectDir, Plan plan, JsonNode facts, EngineConfig config,
            Map<String, String> contracts, Map<String, String> agents, List<Artifact> existingArtifacts, long at) {
        return register(executionId, projectDir, plan, facts, config, contracts, agents, existingArtifacts, at, false, null,
                null);
    }

    /**
     * As above; {@code dryRun}: every phase's agent is replaced by the gateway's sample outputs, and no approval waits;
     * {@code reuse}: a memoized resubmission's earlier attempts (null: none); {@code runnerProfiles}: each agent's
     * runner profile as a SHA-256, for the memos (null: unknown).
     */
    public Decision register(String executionId, String projectDir, Plan plan, JsonNode facts, EngineConfig config,
            Map<String, String> contracts, Map<String, String> agents, List<Artifact> existingArtifacts, long at,
            boolean dryRun, Reuse reuse, Map<String, String> runnerProfiles) {
        Map<Integer, PhaseRun> phases = new TreeMap<>();
        plan.phases().forEach(p -> phases.put(p.id(), p.alreadyCompleted() ? PhaseRun.completedBefore() : PhaseRun.pending()));
        Map<String, Artifact> artifacts = new TreeMap<>();
        existingArtifacts.forEach(a -> artifacts.put(ExecutionState.artifactKey(a.phaseId(), a.name()), a));
        ExecutionState state = new ExecutionState(executionId, projectDir, plan, facts, config.withDefaults(), contracts,
                agents, ExecutionStatus.INITIALIZED, phases, artifacts, at, null, null, null, dryRun, reuse, runnerProfiles);
        return new Decision(state, List.of(new Transition(null, null, ExecutionStatus.INITIALIZED.json(), 0,
                (dryRun ? "dry run of plan " : "plan ") + plan.planId() + " loaded: " + plan.phases().size() + " phases",
                ExecutionStatus.INITIALIZED, null, null, null, null, TransitionCause.PLAN_LOADED, null)));
    }

    public Decision handle(ExecutionState state, SchedulerInput input) {
        Work w = new Work(state, input.at(), index(state).byId());
        if (input instanceof Command c) {
            command(w, c);
        } else if (input instanceof AgentStarted s) {
            agentStarted(w, s);
        } else if (input instanceof Heartbeat h) {
            heartbeat(w, h);
        } else if (input instanceof SchedulerInput.AgentFinished f) {
            agentFinished(w, f); // first: an agent that is done is not stopped by the usage it reports in all
            if (f.usage() != null) {
                usage(w, f.phaseId(), f.attempt(), f.usage());
            }
        } else if (input instanceof SchedulerInput.UsageReported u) {
            usage(w, u.phaseId(), u.attempt(), u.usage());
        } else if (input instanceof AttemptSucceeded s) {
            succeeded(w, s);
        } else if (input instanceof AttemptFailed f) {
            attemptFailed(w, f.phaseId(), f.attempt(), f.error(), switch (f.failure()) {
                case TIMED_OUT -> TransitionCause.TIMED_OUT;
                case CONTRACT_VIOLATED -> TransitionCause.CONTRACT_VIOLATED;
                case AGENT -> TransitionCause.AGENT_FAILED;
            });
        } else if (input instanceof SchedulerInput.OutputReplaced r) {
            outputReplaced(w, r);
        } else if (input instanceof SchedulerInput.SeatGranted g) {
            seatGranted(w, g);
        } else if (input instanceof Tick t) {
            tick(w, Math.max(0, t.inputLagMs()));
            behindEstimate(w);
        }
        // A phase can become free to go only by another's transition, a command or the clock (backoff): a heartbeat or
        // an agent's exit moves nothing, and skipping the scan keeps such inputs from costing the size of the plan.
        if (input instanceof Tick || input instanceof Command || w.effects.stream().anyMatch(e -> e instanceof Transition)) {
            advance(w);
        }
        return w.decision();
    }

    // ---- inputs -------------------------------------------------------------------------------------------------

    private void command(Work w, Command c) {
        Map<Integer, PhaseStatus> statuses = new HashMap<>();
        w.phases.forEach((id, run) -> statuses.put(id, run.status()));
        Set<Integer> reruns = c.kind() == CommandKind.RERUN && c.phaseId() != null
                ? Rerun.phases(graph(w.state), c.phaseId(), c.withDependants()) : Set.of();
        var refusal = CommandGuard.refusal(w.state.executionId(), w.status, statuses, c.kind(), c.phaseId(), reruns);
        if (refusal.isEmpty() && c.kind() == CommandKind.RERUN) {
            refusal = Feedback.tooLarge(c.feedback()).map(why -> "RERUN refused: " + why);
        }
        if (refusal.isEmpty() && c.kind() == CommandKind.REVIEW) {
            refusal = Review.refusal(c.review(), w.phase(c.phaseId()), c.feedback());
        }
        if (refusal.isEmpty() && c.kind() == CommandKind.BUDGET) {
            refusal = BudgetCheck.raiseRefusal(w.config.budget(), c.phaseId(), c.budget(), c.phaseId() == null ? w.spent()
                    : w.phases.get(c.phaseId()).spent());
        }
        if (refusal.isPresent()) {
            w.ignore(refusal.get());
            return;
        }
        switch (c.kind()) {
            case START -> {
                if (c.config() != null) {
                    // a budget is kept unless the new configuration gives one: the one at load has the runner's ceiling
                    EngineConfig next = c.config().withDefaults();
                    w.config = next.budget() == null ? next.withBudget(w.config.budget()) : next;
                }
                w.startedAt = c.at();
                w.budgetApplied(ExecutionStatus.IN_PROGRESS, "started by " + c.actor());
            }
            case PAUSE -> w.executionTo(ExecutionStatus.PAUSED, TransitionCause.COMMAND, "paused by " + c.actor()
                    + reasonSuffix(c));
            case RESUME -> w.executionTo(ExecutionStatus.IN_PROGRESS, TransitionCause.COMMAND, "resumed by " + c.actor());
            case CANCEL -> {
                for (var e : new ArrayList<>(w.phases.entrySet())) {
                    if (!e.getValue().status().isTerminal()) {
                        w.phaseTo(e.getKey(), e.getValue().withStatus(PhaseStatus.CANCELLED, "cancelled by " + c.actor()),
                                TransitionCause.COMMAND);
                    }
                }
                w.endedAt = c.at();
                w.executionTo(ExecutionStatus.CANCELLED, TransitionCause.COMMAND, "cancelled by " + c.actor()
                        + reasonSuffix(c));
            }
            case RETRY -> phaseCommand(w, c, w.phases.get(c.phaseId()).newBudget(c.at(),
                    "retry requested by " + c.actor() + reasonSuffix(c)));
            case SKIP -> phaseCommand(w, c, w.phases.get(c.phaseId()).withStatus(PhaseStatus.SKIPPED,
                    "skipped by " + c.actor() + reasonSuffix(c)));
            case APPROVE -> phaseCommand(w, c, w.phases.get(c.phaseId()).approvedBy(c.actor(), c.at()));
            case RERUN -> rerun(w, c, reruns);
            case REVIEW -> review(w, c);
            case BUDGET -> {
                Budget before = w.config.budget() == null ? new Budget(null, null, null) : w.config.budget();
                w.config = w.config.withBudget(before.raised(c.phaseId(), c.budget()));
                BudgetLimit now = c.phaseId() == null ? w.config.budget().execution() : w.config.budget().forPhase(c.phaseId());
                // a phase stopped by its budget still waits for RETRY; an execution that waited for its budget goes on
                w.budgetApplied(w.status == ExecutionStatus.WAITING_FOR_INTERVENTION ? ExecutionStatus.IN_PROGRESS
                        : w.status, budgetName(c.phaseId()) + " set to " + describe(now) + " by " + c.actor()
                        + reasonSuffix(c));
            }
        }
    }

    // ---- budgets (docs/architecture.md, "Budgets") ---------------------------------------------------------------

    private static String budgetName(Integer phaseId) {
        return phaseId == null ? "the execution's budget" : "phase " + phaseId + "'s budget";
    }

    private static String describe(BudgetLimit limit) {
        List<String> parts = new ArrayList<>();
        if (limit.tokens() != null) {
            parts.add(limit.tokens() + " tokens");
        }
        if (limit.costUsd() != null) {
            parts.add(BudgetCheck.usd(limit.costUsd()));
        }
        return String.join(" and ", parts);
    }

    /**
     * An attempt's usage so far (or in all, with its result): kept on the attempt, never lowered, and held against the
     * phase's budget (every attempt of the phase) and the execution's. Crossing 80 % of one warns; reaching it stops
     * what is running under it, since a running agent is what spends.
     */
    private void usage(Work w, int phaseId, int attempt, Spend reported) {
        PhaseRun run = w.phases.get(phaseId);
        if (run == null) {
            w.ignore("usage for unknown phase " + phaseId);
            return;
        }
        Spend execBefore = w.spent();
        Spend phaseBefore = run.spent();
        PhaseRun after = run.used(attempt, reported);
        Spend phaseAfter = after.spent();
        if (phaseAfter.equals(phaseBefore)) {
            return; // nothing new, or a lower figure than one already counted
        }
        w.put(phaseId, after);
        Spend execAfter = execBefore.plus(phaseAfter.minus(phaseBefore));
        w.spent = execAfter;
        Budget budget = w.config.budget();
        if (budget == null) {
            return;
        }
        List<BudgetCheck.Crossing> crossings = new ArrayList<>(BudgetCheck.crossings(budgetName(phaseId),
                budget.forPhase(phaseId), phaseBefore, phaseAfter));
        crossings.addAll(BudgetCheck.crossings(budgetName(null), budget.execution(), execBefore, execAfter));
        Phase phase = w.phase(phaseId);
        for (var crossing : crossings) {
            if (crossing.level() == BudgetCheck.Level.WARNING) {
                w.alert(AlertKind.BUDGET_WARNING, phase, after, attempt, crossing.text());
                continue;
            }
            boolean whole = crossing.budget().equals(budgetName(null));
            List<Integer> stopped = new ArrayList<>();
            for (var e : new ArrayList<>(w.phases.entrySet())) {
                if ((whole || e.getKey() == phaseId) && stopByBudget(w, e.getKey(), crossing.text())) {
                    stopped.add(e.getKey());
                }
            }
            w.alert(AlertKind.BUDGET_EXCEEDED, phase, after, attempt, crossing.text() + (stopped.isEmpty()
                    ? "; nothing was running under it" : "; stopped the running attempt of phase(s) " + stopped)
                    + " (a person: oe budget" + (whole ? "" : " --phase " + phaseId) + " to raise it, then oe retry)");
        }
    }

    /** Stops the phase's running attempt, if its agent still runs: its phase waits for a person. */
    private static boolean stopByBudget(Work w, int id, String why) {
        PhaseRun run = w.phases.get(id);
        if (!run.status().isActive() || run.agentEndedAt() != null) {
            return false; // nothing left to save: its agent is done, its outcome stands
        }
        String reason = "stopped: " + why + " (oe budget, then oe retry --phase " + id + ")";
        w.phaseTo(id, run.ended(PhaseStatus.WAITING_FOR_INTERVENTION, w.now, Attempt.STOPPED, reason)
                .withStatus(PhaseStatus.WAITING_FOR_INTERVENTION, reason), TransitionCause.BUDGET);
        return true;
    }

    /** Why nothing more may run in the execution: its budget is used up; empty while some is left (or it has none). */
    private static Optional<String> executionOverBudget(Work w) {
        Budget budget = w.config.budget();
        return budget == null || budget.execution() == null ? Optional.empty()
                : BudgetCheck.exhausted(budgetName(null), budget.execution(), w.spent());
    }

    /**
     * A person's decision on outputs that wait for review. A rejection is a rerun of the phase alone (its dependants
     * have not started), with the feedback; a replacement goes to the handoff-service first and, once the edited file
     * passed, completes a phase of one output, or leaves a phase of several waiting for review, the output replaced, for
     * the person to replace another or approve ({@link #outputReplaced}).
     */
    private void review(Work w, Command c) {
        PhaseRun run = w.phases.get(c.phaseId());
        switch (c.review().decision()) {
            case APPROVE -> phaseCommand(w, c, run.withStatus(PhaseStatus.COMPLETED, "outputs approved by " + c.actor()
                    + reasonSuffix(c)));
            case REJECT -> phaseCommand(w, c, run.rerun("outputs rejected by " + c.actor() + reasonSuffix(c)
                    + " (with feedback)", Feedback.of(c.actor(), c.at(), c.feedback())));
            case REPLACE -> w.effects.add(new Effect.ReplaceOutput(c.phaseId(), run.attempt(), run.agent(w.phase(c.phaseId())),
                    c.review().output(), c.review().path(), c.actor()));
        }
    }

    private void outputReplaced(Work w, SchedulerInput.OutputReplaced r) {
        PhaseRun run = w.current(r.phaseId(), r.attempt(), "replaced output");
        if (run == null) {
            return;
        }
        if (run.status() != PhaseStatus.WAITING_FOR_REVIEW) {
            w.ignore("replaced output of phase " + r.phaseId() + " by " + r.replacedBy() + " comes too late (phase is "
                    + run.status().json() + ")");
            return;
        }
        if (r.error() != null || r.artifacts().isEmpty()) {
            w.ignore("replacement of an output of phase " + r.phaseId() + " by " + r.replacedBy()
                    + " refused by the handoff, the phase still waits for review: " + r.error());
            return;
        }
        r.artifacts().forEach(w::putArtifact);
        Artifact a = r.artifacts().get(0);
        String replaced = "output " + a.name() + " replaced by " + r.replacedBy() + " (sha256 " + a.sha256() + ")";
        int outputs = w.phase(r.phaseId()).outputs().size();
        if (outputs > 1) {
            // the person may edit the others too: the phase goes on when they approve what it now hands over
            w.phaseTo(r.phaseId(), run.withStatus(PhaseStatus.WAITING_FOR_REVIEW, replaced + "; waits for review of its "
                    + outputs + " outputs (oe review --phase " + r.phaseId() + " --approve | --replace OUTPUT=FILE)"),
                    TransitionCause.REPLACED);
            return;
        }
        w.phaseTo(r.phaseId(), run.withStatus(PhaseStatus.COMPLETED, replaced), TransitionCause.REPLACED);
        resumeAfterPerson(w, "output of phase " + r.phaseId() + " replaced by " + r.replacedBy());
    }

    /**
     * Sends the phases back to pending (their results stay in the state until the new attempts replace them, so each
     * next attempt is shown its previous outputs); the feedback goes to the phase rerun, not to its dependants. An
     * ended or stuck execution runs again; a cancelled one takes back the phases its cancel stopped.
     */
    private void rerun(Work w, Command c, Set<Integer> reruns) {
        boolean wasCancelled = w.status == ExecutionStatus.CANCELLED;
        // The execution's transition goes first, unlike other inputs': a reader of an ended execution then never sees
        // a phase of the rerun while the execution still reads as ended (oe rerun --wait would take it for the end).
        if (w.status != ExecutionStatus.PAUSED && w.status != ExecutionStatus.IN_PROGRESS) {
            w.endedAt = null;
            w.executionTo(ExecutionStatus.IN_PROGRESS, TransitionCause.COMMAND, "rerun of phase " + c.phaseId() + " by "
                    + c.actor());
        }
        String by = "rerun requested by " + c.actor() + reasonSuffix(c);
        Feedback feedback = Feedback.of(c.actor(), c.at(), c.feedback());
        for (int id : reruns) {
            w.phaseTo(id, w.phases.get(id).rerun(id == c.phaseId() ? by + (feedback == null ? "" : " (with feedback)")
                    : by + " of phase " + c.phaseId() + ", which it needs", id == c.phaseId() ? feedback : null),
                    TransitionCause.COMMAND);
        }
        if (wasCancelled) {
            for (var e : new ArrayList<>(w.phases.entrySet())) {
                if (e.getValue().status() == PhaseStatus.CANCELLED) {
                    w.phaseTo(e.getKey(), e.getValue().rerun("execution resumed by the rerun of phase " + c.phaseId(), null),
                            TransitionCause.COMMAND);
                }
            }
        }
    }

    private void phaseCommand(Work w, Command c, PhaseRun next) {
        w.phaseTo(c.phaseId(), next, TransitionCause.COMMAND);
        resumeAfterPerson(w, c.kind().name().toLowerCase() + " of phase " + c.phaseId() + " by " + c.actor());
    }

    /**
     * A person acted on a phase: an execution that waited for intervention runs again (what can run is dispatched;
     * if nothing can, it waits again), since a phase can be stuck beside the one acted on.
     */
    private static void resumeAfterPerson(Work w, String why) {
        if (w.status == ExecutionStatus.WAITING_FOR_INTERVENTION) {
            w.executionTo(ExecutionStatus.IN_PROGRESS, TransitionCause.COMMAND, why);
        }
    }

    private static String reasonSuffix(Command c) {
        return c.reason() == null || c.reason().isBlank() ? "" : ": " + c.reason();
    }

    // ---- limits across executions (docs/architecture.md, "Limits across executions") -------------------------------

    /** The limits an attempt of the phase takes seats of; none in a dry run, whose agents are the gateway's samples. */
    private List<String> limitsOf(Work w, Phase phase, PhaseRun run) {
        if (w.state.dryRun()) {
            return List.of();
        }
        String agent = run.agent(phase);
        String definition = w.state.agents().get(agent.startsWith("@") ? agent.substring(1) : agent);
        String requested = definition == null ? null
                : AgentDefinition.tryParse(definition).map(AgentDefinition::runner).orElse(null);
        return settings.limits().of(agent, requested);
    }

    /**
     * The phase may go but its agent or profile is capped across executions: it asks for the seats and waits, pending,
     * with cause LIMIT (a transition from pending to itself, the reason naming the limits). While it waits it
     * counts as one of the phases the execution runs at once, so that a grant never finds the execution full.
     */
    private void requestSeat(Work w, Phase phase, PhaseRun run, List<String> limits) {
        int attempt = run.attempt() + 1;
        PhaseRun waiting = run.withSeat(new PhaseRun.Seat(attempt, limits, false))
                .withStatus(PhaseStatus.PENDING, "waits for a seat: limit " + String.join(", limit ", limits));
        w.phaseTo(phase.id(), waiting, TransitionCause.LIMIT);
        w.effects.add(new Effect.RequestSeat(phase.id(), attempt, limits, w.config.priorityOrDefault()));
    }

    /**
     * Every seat the phase asked for is granted: it is dispatched, unless the attempt is no longer wanted (it ended,
     * was cancelled or skipped, another attempt asks) or can no longer go now (the execution paused, a budget ran out):
     * then the seats go back at once, and the phase asks again when it can go.
     */
    private void seatGranted(Work w, SchedulerInput.SeatGranted g) {
        PhaseRun run = w.phases.get(g.phaseId());
        PhaseRun.Seat seat = run == null ? null : run.seat();
        if (seat != null && seat.granted() && seat.attempt() == g.attempt()) {
            w.ignore("duplicate seat grant for phase " + g.phaseId() + " attempt " + g.attempt());
            return;
        }
        if (seat == null || !run.waitsForSeat() || seat.attempt() != g.attempt()) {
            w.effects.add(new Effect.ReleaseSeat(g.phaseId(), g.attempt(), g.limits()));
            w.ignore("seat grant for phase " + g.phaseId() + " attempt " + g.attempt() + " no longer wanted: released");
            return;
        }
        Phase phase = w.phase(g.phaseId());
        boolean budgetOver = executionOverBudget(w).isPresent() || w.config.budget() != null && BudgetCheck.exhausted(
                budgetName(phase.id()), w.config.budget().forPhase(phase.id()), run.spent()).isPresent();
        if (w.status != ExecutionStatus.IN_PROGRESS || budgetOver) {
            w.effects.add(new Effect.ReleaseSeat(g.phaseId(), g.attempt(), seat.limits()));
            w.put(g.phaseId(), run.withSeat(null).withStatus(PhaseStatus.PENDING, null));
            w.ignore("seat grant for phase " + g.phaseId() + " attempt " + g.attempt() + " released: the execution is "
                    + w.status.json() + (budgetOver ? ", a budget is used up" : ""));
            return;
        }
        dispatch(w, phase, run.withSeat(new PhaseRun.Seat(seat.attempt(), seat.limits(), true)));
    }

    private void agentStarted(Work w, AgentStarted s) {
        PhaseRun run = w.current(s.phaseId(), s.attempt(), "agent start");
        if (run == null) {
            return;
        }
        if (run.status() != PhaseStatus.READY) {
            w.ignore("duplicate start of phase " + s.phaseId() + " attempt " + s.attempt() + " (phase is "
                    + run.status().json() + ")");
            return;
        }
        w.phaseTo(s.phaseId(), run.started(s.at(), s.workerId()), TransitionCause.AGENT_STARTED);
    }

    /**
     * The agent is done; no more heartbeats will come while the handoff-service validates its outputs, so the heartbeat
     * clock stops (the phase timeout still bounds the wait). Without this a slow or restarting handoff-service would
     * make a finished attempt look lost and run the agent again.
     */
    private void agentFinished(Work w, SchedulerInput.AgentFinished f) {
        PhaseRun run = w.current(f.phaseId(), f.attempt(), "agent result");
        if (run != null && run.status().isActive()) {
            w.put(f.phaseId(), run.agentEnded(f.at()));
        }
    }

    private void heartbeat(Work w, Heartbeat h) {
        PhaseRun run = w.current(h.phaseId(), h.attempt(), "heartbeat");
        if (run != null && run.status().isActive()) {
            w.put(h.phaseId(), run.heartbeat(h.at()));
        }
    }

    private void succeeded(Work w, AttemptSucceeded s) {
        PhaseRun run = w.current(s.phaseId(), s.attempt(), "result");
        if (run == null) {
            return;
        }
        if (!run.status().isActive()) {
            w.ignore("duplicate result of phase " + s.phaseId() + " attempt " + s.attempt() + " (phase is "
                    + run.status().json() + ")");
            return;
        }
        s.artifacts().forEach(w::putArtifact);
        Phase phase = w.phase(s.phaseId());
        if (phase.needsReview(w.config) && w.state.dryRun()) {
            // as with approvals, a dry run shows the gate and goes on: nobody reviews sample outputs
            w.phaseTo(s.phaseId(), run.ended(PhaseStatus.COMPLETED, s.at(), Attempt.COMPLETED, null)
                    .withStatus(PhaseStatus.COMPLETED, "dry run: would wait for review of its outputs (oe review); went on"
                            + " without it"), TransitionCause.SUCCEEDED);
            return;
        }
        if (phase.needsReview(w.config)) {
            // the attempt completed; the phase waits for a person, its outputs stored for them (and a rerun) to read
            PhaseRun waiting = run.ended(PhaseStatus.WAITING_FOR_REVIEW, s.at(), Attempt.COMPLETED, null)
                    .withStatus(PhaseStatus.WAITING_FOR_REVIEW, "outputs passed their contracts; waits for review (oe review"
                            + " --phase " + s.phaseId() + " --approve | --reject --feedback TEXT | --replace OUTPUT=FILE)");
            w.phaseTo(s.phaseId(), waiting, TransitionCause.REVIEW);
            w.alert(AlertKind.WAITING_FOR_REVIEW, phase, waiting, waiting.attempt(), waiting.reason());
            return;
        }
        Memo memo = run.currentAttempt().memo();
        w.phaseTo(s.phaseId(), run.ended(PhaseStatus.COMPLETED, s.at(), Attempt.COMPLETED, null), TransitionCause.SUCCEEDED,
                memo == null ? null : memo.completed(s.artifacts(), "execution " + w.state.executionId() + " attempt "
                        + s.attempt()), null);
    }

    /** @param cause how the attempt failed: the agent, its contracts, a timeout or a lost heartbeat */
    private void attemptFailed(Work w, int phaseId, int attempt, String error, TransitionCause cause) {
        PhaseRun run = w.current(phaseId, attempt, "failure");
        if (run == null) {
            return;
        }
        if (!run.status().isActive()) {
            w.ignore("duplicate failure of phase " + phaseId + " attempt " + attempt + " (phase is "
                    + run.status().json() + ")");
            return;
        }
        Phase phase = w.phase(phaseId);
        PhaseRun failed = run.ended(PhaseStatus.FAILED, w.now, Attempt.FAILED, error);
        w.phaseTo(phaseId, failed, cause);
        AlertKind alert = switch (cause) { // an agent's own failure raises nothing until the retries run out
            case TIMED_OUT -> AlertKind.ATTEMPT_TIMED_OUT;
            case HEARTBEAT_LOST -> AlertKind.HEARTBEAT_LOST;
            case CONTRACT_VIOLATED -> AlertKind.CONTRACT_VIOLATED;
            default -> null;
        };
        if (alert != null) {
            w.alert(alert, phase, failed, failed.attempt(), failed.reason());
        }
        RetryPolicy policy = RetryPolicy.of(phase, w.config);
        long seed = (w.state.executionId() + "/" + phaseId).hashCode();
        var next = policy.nextAttemptAt(failed.failuresInBudget(), w.now, seed);
        if (next.isPresent()) {
            w.phaseTo(phaseId, failed.retryAt(next.get(), "retry " + failed.failuresInBudget() + " of "
                    + policy.maxRetries() + " at " + Instant.ofEpochMilli(next.get()) + " (backoff "
                    + Duration.ofMillis(next.get() - w.now).toMillis() + " ms)"), TransitionCause.BACKOFF);
        } else {
            PhaseRun waiting = failed.withStatus(PhaseStatus.WAITING_FOR_INTERVENTION, "retries exhausted after "
                    + failed.failuresInBudget() + " failed attempt(s); last error: " + error);
            w.phaseTo(phaseId, waiting, TransitionCause.RETRIES_EXHAUSTED);
            w.alert(AlertKind.RETRIES_EXHAUSTED, phase, waiting, waiting.attempt(), waiting.reason()
                    + " (a person: oe retry / oe skip --phase " + phaseId + ")");
        }
    }

    private void tick(Work w, long inputLagMs) {
        for (var e : new ArrayList<>(w.phases.entrySet())) {
            PhaseRun run = e.getValue();
            int id = e.getKey();
            Attempt a = run.currentAttempt();
            if (run.status() == PhaseStatus.IN_PROGRESS && run.lastHeartbeatAt() != null && run.agentEndedAt() == null
                    && w.now - inputLagMs - run.lastHeartbeatAt() > settings.heartbeatTimeout().toMillis()) {
                attemptFailed(w, id, a.number(), "no heartbeat from " + a.workerId() + " for "
                        + Duration.ofMillis(w.now - run.lastHeartbeatAt()).toSeconds() + " s (agent or gateway lost)",
                        TransitionCause.HEARTBEAT_LOST);
            } else if (run.status().isActive() && a != null) {
                long timeout = timeoutMs(w.phase(id), w.config) + settings.timeoutGrace().toMillis();
                long since = a.startedAt() != null ? a.startedAt() : a.readyAt();
                if (w.now - inputLagMs - since > timeout) {
                    attemptFailed(w, id, a.number(), "timed out: no result " + Duration.ofMillis(w.now - since).toSeconds()
                            + " s after " + (a.startedAt() != null ? "start" : "dispatch"), TransitionCause.TIMED_OUT);
                }
            }
        }
    }

    /**
     * Once per execution, and only for a plan with estimates: the time since START passed the plan's estimate for the
     * phases that ran and remain ({@link Estimate}, the one place of that rule).
     */
    private void behindEstimate(Work w) {
        if (w.behindEstimateAt != null || w.startedAt == null || w.status.isTerminal()
                || w.status == ExecutionStatus.INITIALIZED) {
            return;
        }
        PlanIndex index = index(w.state);
        if (!index.hasEstimates()) {
            return;
        }
        long elapsed = w.now - w.startedAt;
        Set<Integer> leftOut = new TreeSet<>();
        w.phases.forEach((id, run) -> {
            if (run.status().isLeftOut()) {
                leftOut.add(id);
            }
        });
        long estimate = index.estimate().millis(w.state.plan(), index.graph(), leftOut);
        if (!Estimate.behind(elapsed, estimate)) {
            return;
        }
        w.behindEstimateAt = w.now;
        if (w.config.alertOn(AlertKind.EXECUTION_BEHIND_ESTIMATE)) {
            w.effects.add(new RaiseAlert(null, AlertKind.EXECUTION_BEHIND_ESTIMATE.severity(),
                    AlertKind.EXECUTION_BEHIND_ESTIMATE.json(), "execution behind its estimate: " + minutes(elapsed)
                    + " since it started, and the tasks' estimate_minutes add up to " + minutes(estimate)
                    + " along the longest chain of the phases that ran and remain"));
        }
    }

    private static String minutes(long ms) {
        double min = ms / 60_000.0;
        return (min < 10 ? String.format(Locale.ROOT, "%.1f", min) : String.valueOf(Math.round(min))) + " min";
    }

    // ---- the scheduling rule --------------------------------------------------------------------------------------

    /** Moves every pending phase whose prerequisites are resolved, until nothing changes. */
    private void advance(Work w) {
        if (w.status != ExecutionStatus.IN_PROGRESS && w.status != ExecutionStatus.WAITING_FOR_INTERVENTION) {
            return;
        }
        PlanIndex index = index(w.state);
        PlanGraph graph = index.graph();
        List<Phase> inPlanOrder = w.state.plan().phases();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = 0; k < inPlanOrder.size(); k++) {
                Phase phase = inPlanOrder.get(k);
                PhaseRun run = w.phases.runAt(index.slots()[k]);
                if (run.status() != PhaseStatus.PENDING || run.waitsForSeat()) {
                    continue; // a phase waiting for its seats goes on its grant
                }
                if (!graph.prerequisitesOf(phase.id()).stream().allMatch(p -> w.phases.get(p).status().isResolved())) {
                    continue;
                }
                if (run.attempt() == 0 && !run.approved()) {
                    Skip skip = skipReason(w, phase);
                    if (skip != null) {
                        w.phaseTo(phase.id(), run.withStatus(PhaseStatus.SKIPPED, skip.reason()), skip.cause());
                        changed = true;
                        continue;
                    }
                    if (phase.hasAlternatives() && run.choice() == null) {
                        // made here, as the phase leaves pending, and kept: the transition that leaves carries it
                        AgentChoice choice = AgentChoice.of(phase, w.state.projectFacts(), conditions);
                        run = run.chose(choice);
                        if (choice.agent() == null) {
                            w.phaseTo(phase.id(), run.withStatus(PhaseStatus.SKIPPED, choice.reason()),
                                    TransitionCause.CONDITION_FALSE);
                            changed = true;
                            continue;
                        }
                    }
                    if (reuseApplies(w, run) && w.state.reuse().decide(phase.id(), memo(w, phase, run))
                            instanceof Reuse.Reused reused) {
                        // its earlier outputs stand in for a run: no approval, no dispatch
                        reused.earlier().outputs().forEach(w::putArtifact);
                        w.phaseTo(phase.id(), run.withStatus(PhaseStatus.COMPLETED, reused.reason()), TransitionCause.REUSED,
                                reused.earlier(), reused.reason());
                        changed = true;
                        continue;
                    }
                    if (phase.needsApproval() && w.state.dryRun()) {
                        // a dry run shows the gate and goes on: nobody is asked to approve sample outputs (kept
                        // only with the dispatch, as the choice is, so that the ready transition carries both)
                        run = run.approvedBy(DRY_RUN_ACTOR, w.now);
                    } else if (phase.needsApproval()) {
                        PhaseRun waiting = run.withStatus(PhaseStatus.WAITING_FOR_APPROVAL,
                                "waits for approval (oe approve --phase " + phase.id() + ")");
                        w.phaseTo(phase.id(), waiting, TransitionCause.APPROVAL);
                        // the attempt that waits is the next one
                        w.alert(AlertKind.WAITING_FOR_APPROVAL, phase, waiting, waiting.attempt() + 1, waiting.reason());
                        continue;
                    }
                }
                if (run.nextAttemptAt() != null && run.nextAttemptAt() > w.now) {
                    continue; // backoff still running
                }
                if (w.status != ExecutionStatus.IN_PROGRESS || w.activeCount() >= w.config.maxConcurrentPhases()) {
                    continue;
                }
                if (executionOverBudget(w).isPresent()) {
                    continue; // waits for a person to raise the execution's budget (settleExecution says so)
                }
                var phaseOver = w.config.budget() == null ? Optional.<String>empty()
                        : BudgetCheck.exhausted(budgetName(phase.id()), w.config.budget().forPhase(phase.id()), run.spent());
                if (phaseOver.isPresent()) { // a retry of a phase whose budget is used up: it would only be stopped again
                    w.phaseTo(phase.id(), run.withStatus(PhaseStatus.WAITING_FOR_INTERVENTION, "waits: " + phaseOver.get()
                            + " (oe budget --phase " + phase.id() + ", then oe retry --phase " + phase.id() + ")"),
                            TransitionCause.BUDGET);
                    changed = true;
                    continue;
                }
                List<String> limits = limitsOf(w, phase, run);
                if (!limits.isEmpty()) {
                    requestSeat(w, phase, run, limits);
                    changed = true;
                    continue;
                }
                dispatch(w, phase, run);
                changed = true;
            }
        }
        settleExecution(w);
    }

    private PlanGraph graph(ExecutionState state) {
        return index(state).graph();
    }

    private PlanIndex index(ExecutionState state) {
        return indexes.computeIfAbsent(state.executionId(), k -> {
            PhaseTable table = PhaseTable.of(state.phases());
            // each plan phase's slot in the table: the scheduling rule reads runs in plan order without a lookup
            int[] slots = state.plan().phases().stream().mapToInt(p -> table.slotOf(p.id())).toArray();
            return new PlanIndex(PlanGraph.of(state.plan()), Collections.unmodifiableMap(state.plan().phasesById()),
                    slots, Estimate.hasEstimates(state.plan()), new EstimateCache());
        });
    }

    /** Why a phase leaves pending as skipped, as a cause and in words. */
    private record Skip(TransitionCause cause, String reason) {
    }

    private Skip skipReason(Work w, Phase phase) {
        for (InputRef in : phase.inputs()) {
            PhaseRun source = w.phases.get(in.from());
            if (in.isRequired() && source != null && source.status() == PhaseStatus.SKIPPED) {
                return new Skip(TransitionCause.DEPENDENCY_SKIPPED, "required input " + in.artifact()
                        + " comes from skipped " + w.phase(in.from()).label());
            }
        }
        if (phase.condition() != null) {
            var outcome = conditions.evaluate(phase.condition(), w.state.projectFacts());
            if (outcome.failed()) {
                return new Skip(TransitionCause.CONDITION_FALSE, "condition `" + phase.condition()
                        + "` could not be evaluated: " + outcome.error());
            }
            if (!outcome.value()) {
                return new Skip(TransitionCause.CONDITION_FALSE, "condition `" + phase.condition() + "` is false");
            }
        }
        return null;
    }

    /**
     * Whether the reuse rule decides this phase now: in a memoized resubmission, the first time the phase leaves
     * pending (never dispatched, no reason yet); a person's RERUN of a reused phase gives it a reason, so it runs.
     */
    private static boolean reuseApplies(Work w, PhaseRun run) {
        return w.state.reuse() != null && run.attempt() == 0 && (run.reason() == null || run.waitsForSeat());
    }

    /** The artifacts a dispatch of the phase would hand it now. */
    private static List<Artifact> inputs(Work w, Phase phase) {
        List<Artifact> inputs = new ArrayList<>();
        for (InputRef in : phase.inputs()) {
            Artifact a = w.artifacts.get(ExecutionState.artifactKey(in.from(), in.deliveredName())); // converted: its own
            if (a != null) {
                inputs.add(a);
            }
        }
        return inputs;
    }

    /** What a dispatch of the phase now would be made of (agent definition, prompt, inputs). */
    private static Memo memo(Work w, Phase phase, PhaseRun run) {
        return Memo.of(phase, run.agent(phase), w.state, inputs(w, phase));
    }

    private void dispatch(Work w, Phase phase, PhaseRun run) {
        List<Artifact> inputs = inputs(w, phase);
        Memo memo = Memo.of(phase, run.agent(phase), w.state, inputs);
        PhaseRun ready = run.dispatched(w.now, memo);
        if (DRY_RUN_ACTOR.equals(run.approvedBy()) && run.attempt() == 0) { // the ready transition says what it skipped
            ready = ready.withStatus(PhaseStatus.READY, DRY_RUN_APPROVAL);
        }
        String runs = reuseApplies(w, run) && w.state.reuse().decide(phase.id(), memo) instanceof Reuse.Runs r
                ? r.reason() : null;
        if (runs != null) { // a memoized resubmission: the first dispatch says why the phase runs
            ready = ready.withStatus(PhaseStatus.READY, runs);
        }
        w.phaseTo(phase.id(), ready, TransitionCause.DISPATCHED, null, runs);
        String previousError = run.attempt() > 0 ? run.lastError() : null;
        w.effects.add(new Dispatch(phase.id(), ready.attempt(), ready.agent(phase), inputs, previousError, timeoutMs(phase, w.config),
                phase.taskTimeoutMinutes() != null ? Math.round(phase.taskTimeoutMinutes() * 60_000)
                        : w.config.taskTimeout().toMillis(), run.feedback(), previousOutputs(w, phase)));
    }

    /**
     * The outputs the phase's last completed attempt left (or the plan's pre-existing ones): only a rerun dispatches a
     * phase that has them.
     */
    private static List<Artifact> previousOutputs(Work w, Phase phase) {
        List<Artifact> out = new ArrayList<>();
        for (var o : phase.outputs()) {
            Artifact a = w.artifacts.get(ExecutionState.artifactKey(phase.id(), o.artifact()));
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static long timeoutMs(Phase phase, EngineConfig config) {
        return phase.timeoutMinutes() != null ? Math.round(phase.timeoutMinutes() * 60_000) : config.phaseTimeout().toMillis();
    }

    private void settleExecution(Work w) {
        boolean allResolved = true, anyWaiting = false, anyMoving = false;
        for (int slot = 0; slot < w.phases.size(); slot++) { // one pass, no allocation: this runs on most inputs
            PhaseRun r = w.phases.runAt(slot);
            allResolved &= r.status().isResolved();
            anyWaiting |= r.status() == PhaseStatus.WAITING_FOR_INTERVENTION;
            anyMoving |= r.status().isActive() || (r.status() == PhaseStatus.PENDING && r.nextAttemptAt() != null)
                    || r.waitsForSeat();
        }
        if (allResolved) {
            w.endedAt = w.now;
            w.executionTo(ExecutionStatus.COMPLETED, TransitionCause.ALL_PHASES_DONE, "every phase completed or skipped");
            return;
        }
        var overBudget = anyMoving ? Optional.<String>empty() : executionOverBudget(w);
        if (overBudget.isPresent() && w.status == ExecutionStatus.IN_PROGRESS) {
            w.executionTo(ExecutionStatus.WAITING_FOR_INTERVENTION, TransitionCause.BUDGET,
                    "no phase can run until a person acts: "
                    + overBudget.get() + " (oe budget to raise it" + (anyWaiting ? ", then oe retry" : "") + ")");
            return;
        }
        boolean stuck = anyWaiting && !anyMoving;
        if (stuck && w.status == ExecutionStatus.IN_PROGRESS && !anyRunnable(w)) {
            w.executionTo(ExecutionStatus.WAITING_FOR_INTERVENTION, TransitionCause.NOTHING_CAN_RUN,
                    "no phase can run until a person acts");
        }
    }

    private boolean anyRunnable(Work w) {
        PlanGraph graph = graph(w.state);
        return w.phases.entrySet().stream().anyMatch(e -> e.getValue().status() == PhaseStatus.PENDING
                && graph.prerequisitesOf(e.getKey()).stream().allMatch(p -> w.phases.get(p).status().isResolved()));
    }

    /** An alert's text: {@code phase 3 (Design) @architect, attempt 2: <why>}. */
    static String alertMessage(Phase phase, String agent, int attempt, String why) {
        return phase.label() + " " + agent + ", attempt " + attempt + ": " + why;
    }

    // ---- a mutable working copy, so each rule reads naturally --------------------------------------------------

    private static final class Work {
        final ExecutionState state;
        final long now;
        final PhaseTable.Editor phases;
        /** The state's own (immutable) map until an input adds an artifact: then a copy, once. */
        Map<String, Artifact> artifacts;
        private boolean artifactsCopied;
        final List<Effect> effects = new ArrayList<>();
        final Map<Integer, Phase> byId;
        ExecutionStatus status;
        EngineConfig config;
        Long startedAt;
        Long endedAt;
        Long behindEstimateAt;
        private long active = -1; // counted on first use: most inputs never ask
        /** What every attempt of the execution used, summed on first use (only budgets ask); null until then. */
        Spend spent;
        /** A phase run or artifact was replaced: the decision needs a new state. */
        private boolean touched;

        Work(ExecutionState state, long now, Map<Integer, Phase> byId) {
            this.state = state;
            this.now = now;
            this.phases = PhaseTable.of(state.phases()).edit(); // copies what this input changes, not the plan
            this.artifacts = state.artifacts();
            this.byId = byId;
            this.status = state.status();
            this.config = state.config();
            this.startedAt = state.startedAt();
            this.endedAt = state.endedAt();
            this.behindEstimateAt = state.behindEstimateAt();
        }

        Phase phase(int id) {
            return byId.get(id);
        }

        Spend spent() {
            if (spent == null) {
                Spend sum = Spend.NONE;
                for (PhaseRun r : phases.values()) {
                    sum = sum.plus(r.spent());
                }
                spent = sum;
            }
            return spent;
        }

        /**
         * Phases ready or running, or waiting for their seats: kept as a count, since the scheduling rule asks for it
         * once per pending phase.
         */
        long activeCount() {
            if (active < 0) {
                active = phases.values().stream().filter(Work::occupiesSlot).count();
            }
            return active;
        }

        /** The phase's run if {@code attempt} is its current attempt; otherwise records why the input is stale. */
        PhaseRun current(int phaseId, int attempt, String what) {
            PhaseRun run = phases.get(phaseId);
            if (run == null) {
                ignore(what + " for unknown phase " + phaseId);
                return null;
            }
            if (run.attempt() != attempt) {
                ignore("stale " + what + " of phase " + phaseId + " attempt " + attempt + " (current attempt is "
                        + run.attempt() + ")");
                return null;
            }
            return run;
        }

        void putArtifact(Artifact a) {
            if (!artifactsCopied) {
                artifacts = new HashMap<>(artifacts);
                artifactsCopied = true;
            }
            artifacts.put(ExecutionState.artifactKey(a.phaseId(), a.name()), a);
            touched = true;
        }

        void put(int id, PhaseRun next) {
            PhaseRun before = phases.put(id, next);
            touched = true;
            counted(before, next);
        }

        private static boolean occupiesSlot(PhaseRun r) {
            return r.status().isActive() || r.waitsForSeat();
        }

        private void counted(PhaseRun before, PhaseRun next) {
            if (active >= 0) {
                active += (occupiesSlot(next) ? 1 : 0) - (before != null && occupiesSlot(before) ? 1 : 0);
            }
        }

        void phaseTo(int id, PhaseRun next, TransitionCause cause) {
            phaseTo(id, next, cause, null, null);
        }

        /**
         * As above; the transition carries the attempt's memo and the reuse decision, when given, and a backoff's next
         * attempt time.
         */
        void phaseTo(int id, PhaseRun next, TransitionCause cause, Memo memo, String reuse) {
            if (next.seat() != null && !next.holdsSeat()) {
                next = next.withSeat(null);
            }
            PhaseRun before = phases.put(id, next);
            if (before != null && before.seat() != null && next.seat() == null) {
                // the one place seats go back: whatever ended the attempt or its wait (docs/architecture.md, "Limits")
                effects.add(new Effect.ReleaseSeat(id, before.seat().attempt(), before.seat().limits()));
            }
            touched = true;
            counted(before, next);
            if (before == null || before.status() != next.status() || cause == TransitionCause.LIMIT) {
                boolean chose = next.choice() != null && (before == null || before.choice() == null);
                effects.add(new Transition(id, before == null ? null : before.status().json(), next.status().json(),
                        next.attempt(), next.reason(), status, chose ? next.choice() : null, memo, reuse, null, cause,
                        cause == TransitionCause.BACKOFF ? next.nextAttemptAt() : null));
            }
        }

        void executionTo(ExecutionStatus next, TransitionCause cause, String why) {
            if (next == status) {
                return;
            }
            ExecutionStatus before = status;
            status = next;
            effects.add(new Transition(null, before.json(), next.json(), 0, why, next, null, null, null, null, cause,
                    null));
        }

        /**
         * The execution goes to {@code next} (it may stay where it is) with a transition carrying the budget it now
         * holds: the only place the state-projector and the plan-loader learn which limits the scheduler applied.
         */
        void budgetApplied(ExecutionStatus next, String why) {
            ExecutionStatus before = status;
            status = next;
            effects.add(new Transition(null, before.json(), next.json(), 0, why, next, null, null, null, config.budget(),
                    TransitionCause.COMMAND, null));
        }

        void ignore(String why) {
            effects.add(new Ignored(why));
        }

        /**
         * Raises an alert of {@code kind} on the phase, unless the configuration switched the kind off. Every alert's
         * message says the same things in the same order: the phase, its agent, the attempt, and why (the reason of the
         * transition that raised it).
         */
        void alert(AlertKind kind, Phase phase, PhaseRun run, int attempt, String why) {
            if (config.alertOn(kind)) {
                effects.add(new RaiseAlert(phase.id(), kind.severity(), kind.json(), alertMessage(phase, run.agent(phase),
                        attempt, why)));
            }
        }

        Decision decision() {
            // Transitions carry the execution status as it stands after this input.
            List<Effect> out = effects.stream().map(e -> e instanceof Transition t && t.phaseId() != null
                    ? new Transition(t.phaseId(), t.from(), t.to(), t.attempt(), t.reason(), status, t.choice(), t.memo(),
                            t.reuse(), t.budget(), t.cause(), t.nextAttemptAt()) : e).toList();
            boolean same = !touched && status == state.status() && config == state.config()
                    && Objects.equals(startedAt, state.startedAt()) && Objects.equals(endedAt, state.endedAt())
                    && Objects.equals(behindEstimateAt, state.behindEstimateAt());
            // an input that changed nothing keeps the very same state, so callers need no deep comparison
            return new Decision(same ? state : state.with(status, phases.done(), artifacts, config, startedAt, endedAt,
                    behindEstimateAt), out);
        }
    }
}
