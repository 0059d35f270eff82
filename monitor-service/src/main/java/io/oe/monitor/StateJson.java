package io.oe.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.progress.ExpectedEnd;
import io.oe.core.progress.Progress;
import io.oe.core.progress.TaskStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.AgentChoice;
import io.oe.events.Alert;
import io.oe.events.AlternativeOutcome;
import io.oe.events.ArtifactRef;
import io.oe.events.EngineState;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import io.oe.events.Violation;
import io.oe.schemas.Usages;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;

/**
 * The engine state as users read it: the seed's Engine State model (snake_case, ISO-8601 times, phases and tasks
 * keyed by id) plus tiers, handoffs in the seed's Handoff Data shape, and alerts. Matches
 * schemas/json/engine-state.schema.json.
 */
final class StateJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private StateJson() {
    }

    static ObjectNode state(EngineState s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("execution_id", s.getExecutionId());
        o.put("orchestration_plan_id", s.getOrchestrationPlanId());
        o.put("project_name", s.getProjectName());
        o.put("project_dir", s.getProjectDir());
        o.put("status", s.getStatus());
        dryRun(o, s);
        if (s.getCurrentPhase() == null) {
            o.putNull("current_phase");
        } else {
            o.put("current_phase", s.getCurrentPhase());
        }
        ArrayNode current = o.putArray("current_phases");
        s.getCurrentPhases().forEach(current::add);
        time(o, "start_time", s.getStartTime());
        time(o, "end_time", s.getEndTime());
        time(o, "updated_at", s.getUpdatedAt());
        if (s.getStartTime() != null) {
            Instant end = s.getEndTime() != null ? s.getEndTime() : s.getUpdatedAt();
            o.put("duration_seconds", Duration.between(s.getStartTime(), end).toMillis() / 1000.0);
        }
        Progress progress = ProgressMapping.progress(s);
        ExpectedEnd eta = progress.eta();
        ObjectNode etaNode = o.putObject("eta");
        if (eta.remainingSeconds() == null) {
            etaNode.putNull("remaining_seconds");
        } else {
            etaNode.put("remaining_seconds", eta.remainingSeconds());
        }
        time(etaNode, "estimated_end", eta.estimatedEnd());
        etaNode.put("basis", eta.basis());
        if (eta.waiting() != null) {
            etaNode.put("waiting", eta.waiting());
        }
        Schedule.of(s).ifPresent(schedule -> o.putObject("schedule").put("on_track", schedule.onTrack())
                .put("elapsed_seconds", schedule.elapsedSeconds()).put("estimate_seconds", schedule.estimateSeconds())
                .put("text", schedule.text()));
        ObjectNode phases = o.putObject("phases");
        io.oe.core.plan.Budget budget = BudgetJson.budget(s);
        s.getPhases().values().stream().sorted(Comparator.comparingInt(PhaseState::getId)).forEach(p -> {
            ObjectNode n = phases.putObject(String.valueOf(p.getId()));
            n.put("id", p.getId());
            n.put("name", p.getName());
            n.put("agent", p.getAgent());
            n.put("tier", p.getTier());
            n.put("status", p.getStatus());
            n.put("attempts", p.getAttempts());
            time(n, "started_at", p.getStartedAt());
            time(n, "completed_at", p.getCompletedAt());
            if (p.getStartedAt() != null && p.getCompletedAt() != null) {
                n.put("duration_seconds", Duration.between(p.getStartedAt(), p.getCompletedAt()).toMillis() / 1000.0);
            }
            if (p.getReason() != null) {
                n.put("reason", p.getReason());
            }
            if (p.getLastError() != null) {
                n.put("last_error", p.getLastError());
            }
            Instant expected = eta.phaseEnds().get(p.getId());
            if (expected != null) {
                n.put("expected_end", expected.toString());
            }
            if (p.getAlternative() != null) {
                n.set("alternative", alternative(p.getAlternative()));
            }
            ArrayNode pres = n.putArray("prerequisites");
            p.getPrerequisites().forEach(pres::add);
            Optional.ofNullable(progress.waiting().get(p.getId())).map(WaitingFor::of).ifPresent(w -> {
                ObjectNode wn = n.putObject("waiting_for").put("kind", w.kind()).put("text", w.text());
                ArrayNode ids = wn.putArray("phases");
                w.phases().forEach(ids::add);
            });
            if (Usages.any(p.getUsage())) {
                n.set("usage", UsageJson.of(p.getUsage()));
            }
            Optional.ofNullable(BudgetJson.phase(budget, p)).ifPresent(b -> n.set("budget_use", b));
            attempts(n, p);
        });
        ObjectNode tasks = o.putObject("tasks");
        s.getTasks().values().stream().sorted(Comparator.comparing(TaskState::getId))
                .forEach(t -> task(tasks.putObject(t.getId()), t));
        ArrayNode tiers = o.putArray("tiers");
        for (TierProgress t : s.getTiers()) {
            ObjectNode n = tiers.addObject();
            n.put("name", t.getName());
            n.put("mode", t.getMode());
            ArrayNode ids = n.putArray("phases");
            t.getPhases().forEach(ids::add);
            n.put("completed", t.getCompleted());
            n.put("skipped", t.getSkipped());
            n.put("running", t.getRunning());
            n.put("failed", t.getFailed());
            n.put("pending", t.getPending());
        }
        handoffs(o.putArray("handoffs"), s.getHandoffs());
        ArrayNode alerts = o.putArray("alerts");
        for (Alert a : s.getAlerts()) {
            ObjectNode n = alerts.addObject();
            n.put("alert_id", a.getAlertId());
            if (a.getPhaseId() != null) {
                n.put("phase_id", a.getPhaseId());
            }
            n.put("severity", a.getSeverity().name());
            n.put("kind", a.getKind());
            n.put("message", a.getMessage());
            time(n, "at", a.getAt());
        }
        o.set("usage", UsageJson.execution(s.getUsage()));
        JsonNode limits = config(s).path("budget"); // the scheduler's: with the runner's ceiling and every raise it applied
        if (limits.isObject()) {
            o.set("budget", limits);
        }
        Optional.ofNullable(BudgetJson.execution(budget, s)).ifPresent(b -> o.set("budget_use", b));
        o.put("event_count", s.getEventCount());
        return o;
    }

    /**
     * Which of a phase's agent alternatives runs it and why: the chosen one's position (0: none holds), agent and
     * condition, the reason in words, and every alternative with what its condition gave.
     */
    static ObjectNode alternative(AgentChoice c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("chosen", c.getChosen());
        AlternativeOutcome chosen = c.getChosen() > 0 && c.getChosen() <= c.getAlternatives().size()
                ? c.getAlternatives().get(c.getChosen() - 1) : null;
        n.put("agent", chosen == null ? null : chosen.getAgent());
        n.put("condition", chosen == null ? null : chosen.getCondition());
        n.put("reason", c.getReason());
        ArrayNode all = n.putArray("alternatives");
        for (AlternativeOutcome a : c.getAlternatives()) {
            ObjectNode o = all.addObject().put("agent", a.getAgent()).put("condition", a.getCondition()).put("outcome", a.getOutcome());
            if (a.getError() != null) {
                o.put("error", a.getError());
            }
        }
        return n;
    }

    /**
     * A phase's attempts as attempts (the state and the report write the same): its first start and the time from it
     * to the end ({@code started_at} and {@code duration_seconds} are its last attempt's), each attempt with its
     * duration, the attempts in one line, and the note to show beside its status ({@link Attempts}).
     */
    static void attempts(ObjectNode n, PhaseState p) {
        time(n, "first_started_at", Attempts.firstStartedAt(p));
        Attempts.elapsed(p).ifPresent(d -> n.put("elapsed_seconds", d.toMillis() / 1000.0));
        String summary = Attempts.summary(p);
        if (summary != null) {
            n.put("attempts_summary", summary);
        }
        String note = Attempts.note(p);
        if (note != null) {
            n.put("note", note);
        }
        ArrayNode history = n.putArray("attempt_history");
        for (var a : p.getAttemptHistory()) {
            ObjectNode h = history.addObject();
            h.put("number", a.getNumber());
            time(h, "ready_at", a.getReadyAt());
            time(h, "started_at", a.getStartedAt());
            time(h, "ended_at", a.getEndedAt());
            h.put("outcome", a.getOutcome());
            h.put("error", a.getError());
            h.put("worker_id", a.getWorkerId());
            Attempts.duration(a).ifPresent(d -> h.put("duration_seconds", d.toMillis() / 1000.0));
            if (Usages.any(a.getUsage())) {
                h.set("usage", UsageJson.of(a.getUsage()));
            }
        }
    }

    private static void task(ObjectNode n, TaskState t) {
        n.put("phase_id", t.getPhaseId());
        n.put("title", t.getTitle());
        n.put("status", t.getStatus());
        n.put("progress", t.getProgress());
        time(n, "started_at", t.getStartedAt());
        time(n, "completed_at", t.getCompletedAt());
        if (t.getEstimateMinutes() != null) {
            n.put("estimate_minutes", t.getEstimateMinutes());
        }
        if (t.getStartedAt() != null && t.getCompletedAt() != null) {
            n.put("duration_minutes", Duration.between(t.getStartedAt(), t.getCompletedAt()).toMillis() / 60_000.0);
        }
    }

    /** Handoffs in the seed's Handoff Data shape (schemas/json/handoff-record.schema.json). */
    static void handoffs(ArrayNode out, Collection<HandoffValidated> handoffs) {
        for (HandoffValidated h : handoffs) {
            ObjectNode n = out.addObject();
            n.put("handoff_id", h.getHandoffId());
            n.put("from", h.getFromAgent());
            ArrayNode to = n.putArray("to");
            h.getToAgents().forEach(to::add);
            n.put("phase_id", h.getPhaseId());
            n.put("attempt", h.getAttempt());
            ObjectNode artifacts = n.putObject("artifacts");
            for (ArtifactRef a : h.getArtifacts()) {
                ObjectNode n2 = artifacts.putObject(a.getName()).put("location", a.getLocation()).put("checksum", a.getSha256())
                        .put("size", a.getSize()).put("validated", a.getValidated());
                if (a.getTransform() != null) { // converted for a consumer: from which output, between which formats
                    n2.putObject("transform").put("source", a.getTransform().getSource())
                            .put("from", a.getTransform().getFromFormat()).put("to", a.getTransform().getToFormat());
                }
            }
            time(n, "timestamp", h.getAt());
            n.put("status", h.getStatus() == io.oe.events.HandoffStatus.SUCCESS ? "success" : "failed");
            if (!h.getViolations().isEmpty()) {
                ArrayNode vs = n.putArray("violations");
                for (Violation v : h.getViolations()) {
                    vs.addObject().put("artifact", v.getArtifact()).put("pointer", v.getPointer()).put("rule", v.getRule())
                            .put("message", v.getMessage());
                }
            }
            if (h.getError() != null) {
                n.put("error", h.getError());
            }
            if (h.getReplacedBy() != null) {
                n.put("replaced_by", h.getReplacedBy());
            }
        }
    }

    /** A page of the log as the API gives it: {@code next_from} when more entries follow. */
    static ObjectNode log(String executionId, LogPage page) {
        ObjectNode o = log(executionId, page.entries());
        if (page.nextFrom() != null) {
            o.put("next_from", page.nextFrom());
        }
        return o;
    }

    /**
     * The log as execution-log.json holds it: the execution's last entries ({@code tail}); when they do not start at
     * seq 1, {@code cut} says how many earlier entries the file leaves out and where the API has them.
     */
    static ObjectNode logFile(String executionId, List<LogEntry> tail) {
        ObjectNode o = log(executionId, tail);
        long earlier = tail.isEmpty() ? 0 : tail.get(0).getSeq() - 1;
        if (earlier > 0) {
            ObjectNode cut = MAPPER.createObjectNode();
            cut.put("earlier_entries", earlier);
            cut.put("all_entries", "GET /api/v1/executions/" + executionId + "/log?from=1 (then from=next_from)");
            o.set("cut", cut);
            o.set("entries", o.remove("entries")); // after cut, so a reader of the file sees the note first
        }
        return o;
    }

    static ObjectNode log(String executionId, Collection<LogEntry> entries) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("execution_id", executionId);
        ArrayNode list = o.putArray("entries");
        for (LogEntry e : entries) {
            ObjectNode n = list.addObject();
            n.put("seq", e.getSeq());
            time(n, "at", e.getAt());
            n.put("source", e.getSource());
            n.put("type", e.getType());
            if (e.getPhaseId() != null) {
                n.put("phase_id", e.getPhaseId());
            }
            if (e.getAttempt() != null) {
                n.put("attempt", e.getAttempt());
            }
            n.put("message", e.getMessage());
            if (e.getDetailsJson() != null) {
                try {
                    n.set("details", MAPPER.readTree(e.getDetailsJson()));
                } catch (Exception ex) {
                    n.put("details_raw", e.getDetailsJson()); // never lose a line over its details
                }
            }
        }
        return o;
    }

    /** Whether it is a dry run and, for one, the phases a real run would stop at for an approval. */
    private static void dryRun(ObjectNode o, EngineState s) {
        o.put("dry_run", s.getDryRun());
        if (s.getDryRun()) {
            ArrayNode gates = o.putArray("approval_gates");
            s.getApprovalGates().forEach(gates::add);
        }
        if (s.getReuseFrom() != null) { // a memoized resubmission: from where, and each phase's decision
            o.put("reuse_from", s.getReuseFrom());
            ObjectNode reuse = o.putObject("reuse");
            new java.util.TreeMap<>(s.getReuse()).forEach(reuse::put);
        }
    }

    static ObjectNode summary(EngineState s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("execution_id", s.getExecutionId());
        o.put("orchestration_plan_id", s.getOrchestrationPlanId());
        o.put("project_name", s.getProjectName());
        o.put("status", s.getStatus());
        o.put("dry_run", s.getDryRun());
        time(o, "start_time", s.getStartTime());
        time(o, "end_time", s.getEndTime());
        time(o, "updated_at", s.getUpdatedAt());
        long done = s.getPhases().values().stream().filter(p -> PhaseStatus.parse(p.getStatus()) == PhaseStatus.COMPLETED)
                .count();
        o.put("phases_completed", done);
        o.put("phases_total", s.getPhases().size());
        o.set("phase_counts", counts(s));
        ArrayNode current = o.putArray("current_phases");
        s.getCurrentPhases().forEach(current::add);
        long tasksDone = s.getTasks().values().stream().filter(t -> TaskStatus.parse(t.getStatus()) == TaskStatus.COMPLETED)
                .count();
        o.put("tasks_completed", tasksDone);
        o.put("tasks_total", s.getTasks().size());
        o.set("usage", UsageJson.totals(Usages.total(s.getUsage())));
        return o;
    }

    /** Phases per status, every status the schema knows (zero included), plus the total. */
    static ObjectNode counts(EngineState s) {
        ObjectNode c = MAPPER.createObjectNode();
        for (PhaseStatus status : PhaseStatus.values()) {
            c.put(status.json(), 0);
        }
        s.getPhases().values().forEach(p -> c.put(p.getStatus(), c.path(p.getStatus()).asInt() + 1));
        c.put("total", s.getPhases().size());
        return c;
    }

    static JsonNode config(EngineState s) {
        try {
            return MAPPER.readTree(s.getConfigJson());
        } catch (Exception e) {
            return MAPPER.createObjectNode();
        }
    }

    private static void time(ObjectNode n, String field, Instant at) {
        if (at == null) {
            n.putNull(field);
        } else {
            n.put(field, at.toString());
        }
    }
}
