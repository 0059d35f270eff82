package io.oe.projector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.ArtifactRef;
import io.oe.events.Violation;
import io.oe.core.plan.PlanJson;
import io.oe.events.AgentChoice;
import io.oe.core.progress.TaskStatus;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.AttemptRecord;
import io.oe.events.Alert;
import io.oe.events.CommandKind;
import io.oe.events.EngineState;
import io.oe.events.ExecutionCommand;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PhaseState;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.StatusChanged;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Folds one event into the seed's Engine State and says what happened in one audit-trail line. No Kafka, and the same
 * events always give the same state. Heartbeats change nothing and leave no line. The state is updated in place, and
 * an event changes at most the phase its log line names (with that phase's tasks), besides the execution-wide
 * fields: what {@link EngineStateStore} rewrites.
 */
public final class EngineStateFold {
    static final int MAX_HANDOFFS = 200;
    static final int MAX_ALERTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The new state, the phase it changed (null: only the execution's fields) and its log line; empty when the event
     * changes nothing. The line is null for a change the audit trail need not repeat: a running attempt's usage so far
     * (its result's line says the final figure).
     */
    public record Folded(EngineState state, Integer phaseId, LogEntry entry) {
        Folded(EngineState state, LogEntry entry) {
            this(state, entry.getPhaseId(), entry);
        }
    }

    public Optional<Folded> apply(EngineState current, String source, Object event) {
        if (event instanceof PlanLoaded p) {
            if (current != null) {
                return Optional.empty(); // a redelivered plan-loaded does not reset an execution
            }
            EngineState s = initial(p);
            return Optional.of(done(s, source, "plan_loaded", null, null, (p.getDryRun() ? "dry run: " : "") + "plan "
                    + p.getPlanId() + " loaded for "
                    + p.getProjectName() + ": " + s.getPhases().size() + " phases, " + s.getTiers().size() + " tiers", p.getSubmittedAt()));
        }
        if (current == null) {
            return Optional.empty(); // an event before its plan: the projector has not seen the execution
        }
        EngineState s = current; // updated in place: a copy per event would cost the size of the plan
        if (event instanceof StatusChanged c) {
            return Optional.of(status(s, source, c));
        }
        if (event instanceof AgentProgress a) {
            return progress(s, source, a);
        }
        if (event instanceof AgentResult r && r.getReplacedBy() != null) {
            ObjectNode d = details().put("replaced_by", r.getReplacedBy()).put("replacement_path", r.getReplacementPath());
            return Optional.of(done(s, source, "output_replacement", r.getPhaseId(), r.getAttempt(), "phase "
                    + r.getPhaseId() + " attempt " + r.getAttempt() + ": " + r.getReplacedBy() + " replaces output "
                    + r.getOutputs().get(0).getArtifact() + " by " + r.getReplacementPath() + " (to be validated)",
                    r.getEndedAt(), d));
        }
        if (event instanceof AgentResult r) {
            long ms = Duration.between(r.getStartedAt(), r.getEndedAt()).toMillis();
            UsageFold.apply(s, r);
            ObjectNode d = details().put("success", r.getSuccess()).put("exit_code", r.getExitCode()).put("duration_ms", ms)
                    .put("worker_id", r.getWorkerId()).put("stderr_tail", r.getStderrTail());
            UsageFold.details(d, r);
            return Optional.of(done(s, source, "agent_result", r.getPhaseId(), r.getAttempt(), "phase " + r.getPhaseId() + " "
                    + r.getAgent() + " attempt " + r.getAttempt() + (r.getSuccess() ? " agent exited 0" : " agent failed: "
                    + r.getError()) + " after " + ms + " ms" + UsageFold.words(r), r.getEndedAt(), d));
        }
        if (event instanceof HandoffValidated h) {
            List<HandoffValidated> handoffs = new ArrayList<>(s.getHandoffs());
            handoffs.add(h);
            s.setHandoffs(handoffs.subList(Math.max(0, handoffs.size() - MAX_HANDOFFS), handoffs.size()));
            PhaseState phase = s.getPhases().get(String.valueOf(h.getPhaseId()));
            if (phase != null && h.getStatus() == HandoffStatus.FAILED) {
                phase.setLastError(h.getError());
            }
            String replaced = h.getReplacedBy() == null ? "" : " (replaced by " + h.getReplacedBy() + ")";
            String what = h.getStatus() == HandoffStatus.SUCCESS
                    ? "handoff " + h.getHandoffId() + " validated" + replaced + ": " + h.getArtifacts().size() + " artifact(s)"
                            + (h.getToAgents().isEmpty() ? "" : " → " + String.join(", ", h.getToAgents()))
                    : "handoff " + h.getHandoffId() + " failed" + replaced + ": " + firstLine(h.getError());
            ObjectNode d = details().put("handoff_id", h.getHandoffId()).put("from", h.getFromAgent());
            if (h.getReplacedBy() != null) {
                d.put("replaced_by", h.getReplacedBy());
            }
            ArrayNode to = d.putArray("to");
            h.getToAgents().forEach(to::add);
            ObjectNode artifacts = d.putObject("artifacts");
            for (ArtifactRef ref : h.getArtifacts()) {
                artifacts.putObject(ref.getName()).put("location", ref.getLocation()).put("checksum", ref.getSha256())
                        .put("size", ref.getSize()).put("validated", ref.getValidated());
            }
            if (!h.getViolations().isEmpty()) {
                ArrayNode vs = d.putArray("violations");
                for (Violation v : h.getViolations()) {
                    vs.addObject().put("artifact", v.getArtifact()).put("pointer", v.getPointer()).put("rule", v.getRule())
                            .put("message", v.getMessage());
                }
            }
            if (h.getError() != null) {
                d.put("error", h.getError());
            }
            return Optional.of(done(s, source, h.getStatus() == HandoffStatus.SUCCESS ? "handoff_validated" : "handoff_failed",
                    h.getPhaseId(), h.getAttempt(), what, h.getAt(), d));
        }
        if (event instanceof ExecutionCommand c) {
            if (c.getCommand() == CommandKind.START && c.getConfigJson() != null
                    && ExecutionStatus.find(s.getStatus()).orElse(null) == ExecutionStatus.INITIALIZED
                    && isConfig(c.getConfigJson())) {
                // the config the scheduler runs with: START's replaces init's, keeping the budget when it gives none
                s.setConfigJson(withBudgetOf(c.getConfigJson(), s.getConfigJson()));
            }
            // a BUDGET changes the budget shown only with the scheduler's transition that applied it (budget_json): the
            // scheduler may refuse it (not above what it counted), which no reader of the command can know
            ObjectNode d = details().put("command_id", c.getCommandId()).put("command", c.getCommand().name())
                    .put("actor", c.getActor()).put("reason", c.getReason());
            if (c.getCommand() == CommandKind.RERUN) { // the feedback is kept with who gave it and when: the audit trail
                d.put("with_dependants", c.getWithDependants()).put("feedback", c.getFeedback());
            }
            if (c.getCommand() == CommandKind.BUDGET) { // the new limits, with who set them
                d.put("budget_tokens", c.getBudgetTokens()).put("budget_cost_usd", c.getBudgetCostUsd());
            }
            if (c.getCommand() == CommandKind.REVIEW && c.getReview() != null) {
                d.put("review", c.getReview().name().toLowerCase(java.util.Locale.ROOT)).put("feedback", c.getFeedback())
                        .put("replace_output", c.getReplaceOutput()).put("replace_path", c.getReplacePath());
            }
            return Optional.of(done(s, source, "command", c.getPhaseId(), null, c.getCommand() + (c.getPhaseId() == null ? ""
                    : " phase " + c.getPhaseId()) + (c.getReview() == null ? "" : " "
                    + c.getReview().name().toLowerCase(java.util.Locale.ROOT) + (c.getReplaceOutput() == null ? ""
                    : " " + c.getReplaceOutput() + " by " + c.getReplacePath())) + (c.getWithDependants() ? " with its dependants" : "") + " by "
                    + c.getActor() + (c.getReason() == null ? "" : ": " + c.getReason())
                    + (c.getFeedback() == null ? "" : " (with feedback)") + budgetText(c), c.getAt(), d));
        }
        if (event instanceof Alert a) {
            List<Alert> alerts = new ArrayList<>(s.getAlerts());
            alerts.add(a);
            s.setAlerts(alerts.subList(Math.max(0, alerts.size() - MAX_ALERTS), alerts.size()));
            return Optional.of(done(s, source, "alert", a.getPhaseId(), null, a.getSeverity() + " " + a.getKind() + ": "
                    + a.getMessage(), a.getAt(), details().put("alert_id", a.getAlertId()).put("severity", a.getSeverity().name())
                    .put("kind", a.getKind())));
        }
        return Optional.empty();
    }

    /** An engine config the scheduler can read; one it cannot makes it set the START aside, unapplied. */
    /** {@code next} with {@code previous}'s budget when it gives none (the scheduler's rule for a START config). */
    private static String withBudgetOf(String next, String previous) {
        try {
            JsonNode budget = PlanJson.parse(previous).path("budget");
            JsonNode n = PlanJson.parse(next);
            if (!budget.isObject() || !(n instanceof ObjectNode o) || o.has("budget")) {
                return next;
            }
            o.set("budget", budget);
            return PlanJson.write(o);
        } catch (RuntimeException e) {
            return next;
        }
    }

    /** The config with the budget the scheduler applied (a transition's budget_json) in place of the one it had. */
    private static String withBudget(String config, String budgetJson) {
        try {
            JsonNode budget = PlanJson.parse(budgetJson);
            if (!budget.isObject() || !(PlanJson.parse(config) instanceof ObjectNode o)) {
                return config;
            }
            o.set("budget", budget);
            return PlanJson.write(o);
        } catch (IllegalArgumentException e) {
            return config; // not JSON: the scheduler writes none such; the budget shown stays as it was
        }
    }

    private static boolean isConfig(String json) {
        try {
            PlanJson.config(PlanJson.parse(json));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private EngineState initial(PlanLoaded p) {
        JsonNode plan = PlanJson.parse(p.getPlanJson());
        Map<Integer, String> tierOf = new LinkedHashMap<>();
        List<TierProgress> tiers = new ArrayList<>();
        for (JsonNode t : plan.path("tiers")) {
            List<Integer> ids = new ArrayList<>();
            t.path("phases").forEach(id -> {
                ids.add(id.asInt());
                tierOf.put(id.asInt(), t.path("name").asText());
            });
            tiers.add(new TierProgress(t.path("name").asText(), t.path("mode").asText(), ids, 0, 0, 0, 0, ids.size()));
        }
        // Kept per phase so that readers can say what a pending phase waits for without the plan
        var parsed = PlanJson.plan(plan);
        var graph = io.oe.core.plan.PlanGraph.of(parsed);
        var byId = parsed.phasesById();
        Map<String, PhaseState> phases = new LinkedHashMap<>();
        Map<String, TaskState> tasks = new LinkedHashMap<>();
        for (JsonNode ph : plan.path("phases")) {
            int id = ph.path("id").asInt();
            boolean done = byId.get(id).alreadyCompleted();
            // a phase with alternatives shows them all ("@nodejs/@dotnet") until the scheduler chooses one
            phases.put(String.valueOf(id), PhaseState.newBuilder().setId(id).setName(ph.path("name").asText())
                    .setAgent(byId.get(id).agentLabel()).setTier(tierOf.getOrDefault(id, ""))
                    .setStatus((done ? PhaseStatus.COMPLETED : PhaseStatus.PENDING).json())
                    .setReason(done ? "completed before this execution (plan status)" : null)
                    .setAttemptHistory(new ArrayList<>()).setPrerequisites(new ArrayList<>(graph.prerequisitesOf(id)))
                    .setUsage(new ArrayList<>()).build());
            for (JsonNode t : ph.path("tasks")) {
                tasks.put(t.path("id").asText(), new TaskState(t.path("id").asText(), id, t.path("title").asText(""),
                        (done ? TaskStatus.COMPLETED : TaskStatus.PENDING).json(), done ? 100 : 0, null, null,
                        t.path("estimate_minutes").isNumber() ? t.path("estimate_minutes").asDouble() : null));
            }
        }
        EngineState s = EngineState.newBuilder()
                .setExecutionId(p.getExecutionId()).setOrchestrationPlanId(p.getPlanId()).setProjectName(p.getProjectName())
                .setProjectDir(p.getProjectDir()).setStatus(ExecutionStatus.INITIALIZED.json()).setUpdatedAt(p.getSubmittedAt())
                .setPhases(phases).setTasks(tasks).setTiers(tiers).setConfigJson(p.getConfigJson())
                .setDryRun(p.getDryRun())
                .setReuseFrom(p.getReuseFrom())
                .setReuse(new LinkedHashMap<>())
                // a dry run does not wait for approvals: the state keeps which phases a real run would stop at
                .setApprovalGates(p.getDryRun() ? parsed.phases().stream().filter(io.oe.core.plan.Phase::needsApproval)
                        .map(io.oe.core.plan.Phase::id).toList() : List.of())
                .build();
        derive(s);
        return s;
    }

    private Folded status(EngineState s, String source, StatusChanged c) {
        if (c.getPhaseId() == null) {
            ExecutionStatus to = ExecutionStatus.parse(c.getToStatus());
            s.setStatus(to.json());
            if (c.getBudgetJson() != null && isConfig(s.getConfigJson())) {
                s.setConfigJson(withBudget(s.getConfigJson(), c.getBudgetJson()));
            }
            if (to == ExecutionStatus.IN_PROGRESS && s.getStartTime() == null) {
                s.setStartTime(c.getAt());
            }
            if (to.isTerminal()) {
                s.setEndTime(c.getAt());
            } else {
                s.setEndTime(null); // a rerun made an ended execution run again
            }
            return done(s, source, "execution_" + c.getToStatus(), null, null, "execution " + c.getFromStatus() + " → "
                    + c.getToStatus() + (c.getReason() == null ? "" : " (" + c.getReason() + ")"), c.getAt(), transition(c));
        }
        // The execution's own status changes only with its own transitions (phase_id null), which the scheduler emits
        // after the phase transitions of the same input (before them only for a RERUN, which makes an ended execution
        // run again): taking it from here would show a state in between.
        PhaseState p = s.getPhases().get(String.valueOf(c.getPhaseId()));
        if (p != null) {
            PhaseStatus before = PhaseStatus.parse(p.getStatus());
            PhaseStatus to = PhaseStatus.parse(c.getToStatus());
            if (to == PhaseStatus.READY) {
                beginAttempt(s, p, c.getAttempt());
            }
            p.setStatus(to.json());
            recount(s, p, before);
            p.setAttempts(Math.max(p.getAttempts(), c.getAttempt()));
            p.setReason(c.getReason());
            p.setCause(c.getCause()); // what readers decide a waiting reason from (the reason is for people)
            p.setNextAttemptAt(c.getNextAttemptAt());
            chose(p, c.getAlternative());
            if (c.getReuse() != null) { // a memoized resubmission's decision: kept for the report, whatever follows
                Map<String, String> reuse = new LinkedHashMap<>(s.getReuse());
                reuse.put(String.valueOf(c.getPhaseId()), c.getReuse());
                s.setReuse(reuse);
            }
            recordAttempt(p, to, c);
            switch (to) {
                case IN_PROGRESS -> {
                    p.setStartedAt(c.getAt());
                    p.setCompletedAt(null);
                }
                case COMPLETED -> {
                    p.setCompletedAt(c.getAt());
                    endTasks(s, c.getPhaseId(), to);
                }
                case PENDING -> p.setCompletedAt(null); // a rerun: its next attempt will complete it again
                case SKIPPED, CANCELLED -> endTasks(s, c.getPhaseId(), to);
                case FAILED -> {
                    p.setLastError(c.getReason());
                    endTasks(s, c.getPhaseId(), to);
                }
                default -> {
                }
            }
        }
        String name = p == null ? "" : " " + p.getAgent();
        // the transition that chose an agent alternative says which and why, unless its reason already does (none held)
        String choice = c.getAlternative() == null || c.getAlternative().getReason().equals(c.getReason()) ? null
                : c.getAlternative().getReason();
        String why = choice == null ? c.getReason() : c.getReason() == null ? choice : firstLine(c.getReason()) + "; " + choice;
        return done(s, source, "phase_" + c.getToStatus(), c.getPhaseId(), c.getAttempt(), "phase " + c.getPhaseId() + name
                + " " + c.getFromStatus() + " → " + c.getToStatus() + (c.getAttempt() > 0 ? " (attempt " + c.getAttempt() + ")" : "")
                + (why == null ? "" : ": " + firstLine(why)), c.getAt(), transition(c));
    }

    /** The scheduler chose the phase's agent alternative (or found none holds): the phase's agent is now that one. */
    private static void chose(PhaseState p, AgentChoice choice) {
        if (choice == null) {
            return;
        }
        p.setAlternative(choice);
        if (choice.getChosen() > 0 && choice.getChosen() <= choice.getAlternatives().size()) {
            p.setAgent(choice.getAlternatives().get(choice.getChosen() - 1).getAgent());
        }
    }

    private static ObjectNode transition(StatusChanged c) {
        ObjectNode d = details().put("from", c.getFromStatus()).put("to", c.getToStatus());
        if (c.getReason() != null && c.getReason().contains("\n")) {
            d.put("reason", c.getReason()); // the message keeps the first line only
        }
        if (c.getAlternative() != null) {
            ObjectNode a = d.putObject("alternative").put("chosen", c.getAlternative().getChosen())
                    .put("reason", c.getAlternative().getReason());
            ArrayNode list = a.putArray("alternatives");
            c.getAlternative().getAlternatives().forEach(o -> list.addObject().put("agent", o.getAgent())
                    .put("condition", o.getCondition()).put("outcome", o.getOutcome()).put("error", o.getError()));
        }
        return d;
    }

    /** Keeps the phase's attempt history in step with its transitions. */
    private static void recordAttempt(PhaseState p, PhaseStatus to, StatusChanged c) {
        List<AttemptRecord> history = new ArrayList<>(p.getAttemptHistory());
        if (to == PhaseStatus.READY && history.stream().noneMatch(a -> a.getNumber() == c.getAttempt())) {
            history.add(AttemptRecord.newBuilder().setNumber(c.getAttempt()).setReadyAt(c.getAt()).build());
        }
        AttemptRecord current = history.stream().filter(a -> a.getNumber() == c.getAttempt()).findFirst().orElse(null);
        if (current != null) {
            switch (to) {
                case IN_PROGRESS -> current.setStartedAt(c.getAt());
                case COMPLETED, FAILED, CANCELLED -> { // the attempt's outcome is the status it ended its phase in
                    if (current.getEndedAt() == null) {
                        current.setEndedAt(c.getAt());
                        current.setOutcome(to.json());
                        current.setError(to == PhaseStatus.FAILED ? c.getReason() : null);
                    }
                }
                default -> {
                }
            }
        }
        p.setAttemptHistory(history);
    }

    /**
     * A new attempt starts its tasks afresh: what an earlier attempt did or reported is not this one's. Called by
     * whichever comes first of the attempt's {@code ready} transition and its agent's first report (they travel on
     * different topics).
     */
    private static void beginAttempt(EngineState s, PhaseState p, int attempt) {
        if (attempt <= p.getAttempts()) {
            return;
        }
        boolean first = p.getAttempts() == 0; // nothing reported yet: its tasks are as the plan left them
        p.setAttempts(attempt);
        if (first) {
            return;
        }
        s.getTasks().values().stream().filter(t -> t.getPhaseId() == p.getId()).forEach(t -> {
            t.setStatus(TaskStatus.PENDING.json());
            t.setProgress(0);
            t.setStartedAt(null);
            t.setCompletedAt(null);
        });
    }

    /** Each task of a phase whose attempt (or the phase itself) ended {@code how}: see {@link #endStatus}. */
    private static void endTasks(EngineState s, int phaseId, PhaseStatus how) {
        s.getTasks().values().stream().filter(t -> t.getPhaseId() == phaseId)
                .forEach(t -> t.setStatus(TaskStatus.parse(t.getStatus()).afterAttempt(how).json()));
    }

    /** A task's status as the state writes it once its attempt ended {@code how}: {@link TaskStatus#afterAttempt}. */
    static String endStatus(String task, String how) {
        return TaskStatus.parse(task).afterAttempt(PhaseStatus.parse(how)).json();
    }

    /** How attempt {@code attempt} of the phase ended, or null while it runs (or before the fold saw it begin). */
    private static PhaseStatus ended(PhaseState p, int attempt) {
        PhaseStatus phase = PhaseStatus.parse(p.getStatus());
        if (phase.isLeftOut()) {
            return phase;
        }
        return p.getAttemptHistory().stream().filter(r -> r.getNumber() == attempt).findFirst()
                .map(AttemptRecord::getOutcome).map(PhaseStatus::parse).orElse(null);
    }

    private Optional<Folded> progress(EngineState s, String source, AgentProgress a) {
        if (a.getKind() == ProgressKind.USAGE) { // running totals: shown while the agent runs, no log line each
            if (!UsageFold.running(s, a)) {
                return Optional.empty();
            }
            s.setUpdatedAt(a.getAt());
            return Optional.of(new Folded(s, a.getPhaseId(), null));
        }
        if (a.getKind() == ProgressKind.HEARTBEAT || a.getKind() == ProgressKind.UNKNOWN) {
            return Optional.empty();
        }
        PhaseState phase = s.getPhases().get(String.valueOf(a.getPhaseId()));
        if (phase != null && a.getAttempt() < phase.getAttempts() && a.getKind() != ProgressKind.STARTED) {
            return Optional.of(done(s, source, "task_stale", a.getPhaseId(), a.getAttempt(), "phase " + a.getPhaseId()
                    + " attempt " + a.getAttempt() + " reported " + a.getKind().name().toLowerCase() + " " + a.getTaskId()
                    + " after attempt " + phase.getAttempts() + " began: ignored", a.getAt()));
        }
        if (phase != null) {
            beginAttempt(s, phase, a.getAttempt());
        }
        if (a.getKind() == ProgressKind.STARTED) {
            if (phase != null) {
                if (phase.getStartedAt() == null) {
                    phase.setStartedAt(a.getAt()); // the in_progress transition may come later (or, for a lost one, not at all)
                }
                phase.getAttemptHistory().stream().filter(r -> r.getNumber() == a.getAttempt()).findFirst()
                        .ifPresent(r -> r.setWorkerId(a.getWorkerId()));
            }
            return Optional.of(done(s, source, "agent_started", a.getPhaseId(), a.getAttempt(), "phase " + a.getPhaseId()
                    + " attempt " + a.getAttempt() + " started on " + a.getWorkerId(), a.getAt()));
        }
        TaskState t = s.getTasks().get(a.getTaskId());
        if (t == null || t.getPhaseId() != a.getPhaseId()) {
            return Optional.of(done(s, source, "task_unknown", a.getPhaseId(), a.getAttempt(), "phase " + a.getPhaseId()
                    + " reported unknown task " + a.getTaskId(), a.getAt()));
        }
        switch (a.getKind()) {
            case TASK_STARTED -> {
                t.setStatus(TaskStatus.IN_PROGRESS.json());
                t.setStartedAt(a.getAt());
                t.setProgress(0);
            }
            case TASK_PROGRESS -> {
                t.setStatus(TaskStatus.IN_PROGRESS.json());
                t.setProgress(a.getPercent() == null ? t.getProgress() : a.getPercent());
            }
            default -> {
                t.setStatus(TaskStatus.COMPLETED.json());
                t.setProgress(100);
                t.setCompletedAt(a.getAt());
            }
        }
        PhaseStatus how = phase == null ? null : ended(phase, a.getAttempt());
        if (how != null) { // read after its attempt ended: the report stands, the end still decides what it means
            t.setStatus(TaskStatus.parse(t.getStatus()).afterAttempt(how).json());
        }
        return Optional.of(done(s, source, a.getKind().name().toLowerCase(), a.getPhaseId(), a.getAttempt(),
                t.getId() + " " + t.getStatus() + " " + t.getProgress() + "%", a.getAt()));
    }

    private Folded done(EngineState s, String source, String type, Integer phase, Integer attempt, String message, Instant at) {
        return done(s, source, type, phase, attempt, message, at, null);
    }

    private Folded done(EngineState s, String source, String type, Integer phase, Integer attempt, String message, Instant at,
            ObjectNode details) {
        s.setEventCount(s.getEventCount() + 1);
        s.setUpdatedAt(at);
        return new Folded(s, new LogEntry(s.getExecutionId(), s.getEventCount(), at, source, type, phase, attempt, message,
                details == null || details.isEmpty() ? null : details.toString()));
    }

    private static ObjectNode details() {
        return JSON.createObjectNode();
    }

    /**
     * Tier counts and current phases after one phase changed status from {@code before}: adjusted, not recounted, since
     * a recount per event costs the size of the plan. Phases change status only here ({@link #status}).
     */
    static void recount(EngineState s, PhaseState p, PhaseStatus before) {
        PhaseStatus now = PhaseStatus.parse(p.getStatus());
        if (before == now) {
            return;
        }
        for (TierProgress t : s.getTiers()) {
            if (t.getName().equals(p.getTier())) {
                count(t, before, -1);
                count(t, now, 1);
                break;
            }
        }
        List<Integer> current = new ArrayList<>(s.getCurrentPhases());
        current.remove(Integer.valueOf(p.getId()));
        if (now.isActive()) { // the current phases are those holding a slot
            int at = java.util.Collections.binarySearch(current, p.getId());
            current.add(at < 0 ? -at - 1 : at, p.getId());
        }
        s.setCurrentPhases(current);
        s.setCurrentPhase(current.isEmpty() ? null : current.get(0));
    }

    /** Which of a tier's counts a phase in {@code status} is in: the one mapping of statuses to them. */
    private static void count(TierProgress t, PhaseStatus status, int by) {
        if (status == PhaseStatus.COMPLETED) {
            t.setCompleted(t.getCompleted() + by);
        } else if (status.isLeftOut()) {
            t.setSkipped(t.getSkipped() + by);
        } else if (status.isActive()) {
            t.setRunning(t.getRunning() + by);
        } else if (status.countsAsFailed()) {
            t.setFailed(t.getFailed() + by);
        } else {
            t.setPending(t.getPending() + by);
        }
    }

    /** Tier counts and current phases, counted from the phases (when a plan is loaded). */
    static void derive(EngineState s) {
        for (TierProgress t : s.getTiers()) {
            t.setCompleted(0);
            t.setSkipped(0);
            t.setRunning(0);
            t.setFailed(0);
            t.setPending(0);
            for (Integer id : t.getPhases()) {
                PhaseState p = s.getPhases().get(String.valueOf(id));
                count(t, p == null ? PhaseStatus.PENDING : PhaseStatus.parse(p.getStatus()), 1);
            }
        }
        List<Integer> current = s.getPhases().values().stream()
                .filter(p -> PhaseStatus.parse(p.getStatus()).isActive())
                .map(PhaseState::getId).sorted().toList();
        s.setCurrentPhases(current);
        s.setCurrentPhase(current.isEmpty() ? null : current.get(0));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** A BUDGET's new limits as the log line says them: " (tokens 50000, cost_usd 2.5)". */
    private static String budgetText(ExecutionCommand c) {
        if (c.getCommand() != CommandKind.BUDGET) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (c.getBudgetTokens() != null) {
            parts.add("tokens " + c.getBudgetTokens());
        }
        if (c.getBudgetCostUsd() != null) {
            parts.add("cost_usd " + c.getBudgetCostUsd());
        }
        return " (" + String.join(", ", parts) + ")";
    }
}
