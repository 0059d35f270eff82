package io.oe.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.oe.events.AgentChoice;
import io.oe.events.AgentProgress;
import io.oe.events.AlternativeOutcome;
import io.oe.events.Alert;
import io.oe.events.ArtifactRef;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PhaseState;
import io.oe.events.PlanLoaded;
import io.oe.events.ProgressKind;
import io.oe.events.Severity;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.events.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold alone: no Kafka, one event at a time. */
class EngineStateFoldTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo",
             "tiers": [{"name": "prep", "mode": "sequential", "phases": [1, 2]},
                       {"name": "impl", "mode": "parallel", "phases": [12, 13]}],
             "phases": [{"id": 1, "name": "Plan", "agent": "@plan", "status": "completed",
                         "tasks": [{"id": "TASK_000", "title": "Requirements"}]},
                        {"id": 2, "name": "Docs", "agent": "@doc", "tasks": [{"id": "TASK_001", "title": "Overview"}]},
                        {"id": 12, "name": "Database", "agent": "@database-specialist",
                         "tasks": [{"id": "TASK_003", "title": "Schema"}, {"id": "TASK_004", "title": "Migrations"}]},
                        {"id": 13, "name": "Backend", "agent": "@nodejs-specialist"}]}
            """;
    private final EngineStateFold fold = new EngineStateFold();
    private final Instant t0 = Instant.parse("2026-01-13T12:00:00Z");
    private final List<LogEntry> log = new ArrayList<>();
    private EngineState state;

    private void apply(String topic, Object event) {
        fold.apply(state, topic, event).ifPresent(f -> {
            state = f.state();
            if (f.entry() != null) {
                log.add(f.entry());
            }
        });
    }

    private void loaded() {
        apply("plan-loaded", PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/p").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}")
                .setConfigJson("{\"monitoring_enabled\": true}").build());
    }

    private void phase(int id, String from, String to, int attempt, long sec, String reason) {
        apply("execution-status", new StatusChanged("e1", id, from, to, attempt, reason, "in_progress", t0.plusSeconds(sec), null, null, null, null, TransitionCause.UNKNOWN, null));
    }

    private void execution(String from, String to, long sec) {
        apply("execution-status", new StatusChanged("e1", null, from, to, 0, null, to, t0.plusSeconds(sec), null, null, null, null, TransitionCause.UNKNOWN, null));
    }

    @Test
    void aPhaseKeepsItsLastTransitionsCauseAndABackoffsNextAttemptTimeUntilTheNextTransition() {
        loaded();
        execution("initialized", "in_progress", 1);
        phase(2, "pending", "ready", 1, 2, null);
        apply("execution-status", StatusChanged.newBuilder().setExecutionId("e1").setPhaseId(2).setFromStatus("failed")
                .setToStatus("pending").setAttempt(1).setReason("retry 1 of 2 at 2026-01-13T12:00:10Z (backoff 7000 ms)")
                .setExecutionStatus("in_progress").setAt(t0.plusSeconds(3)).setCause(TransitionCause.BACKOFF)
                .setNextAttemptAt(t0.plusSeconds(10)).build());
        PhaseState two = state.getPhases().get("2");
        assertThat(two.getCause()).isEqualTo(TransitionCause.BACKOFF);
        assertThat(two.getNextAttemptAt()).isEqualTo(t0.plusSeconds(10));
        phase(2, "pending", "ready", 2, 10, null); // written before causes existed: reads UNKNOWN
        assertThat(two.getCause()).isEqualTo(TransitionCause.UNKNOWN);
        assertThat(two.getNextAttemptAt()).isNull();
    }

    @Test
    void aDryRunIsMarkedInTheStateAndKeepsThePhasesThatWouldWaitForApproval() {
        apply("plan-loaded", PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/p").setSubmittedAt(t0).setProjectPlanJson("{}").setConfigJson("{}")
                .setDryRun(true).setPlanJson(PLAN.replace("\"name\": \"Docs\",", "\"name\": \"Docs\", \"approval\": true,"))
                .build());
        assertThat(state.getDryRun()).isTrue();
        assertThat(state.getApprovalGates()).containsExactly(2);
        assertThat(log.get(0).getMessage()).startsWith("dry run: plan p1 loaded for Demo");
    }

    @Test
    void aRealRunHasNoApprovalGatesListedEvenWhenItsPhasesNeedApproval() {
        apply("plan-loaded", PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/p").setSubmittedAt(t0).setProjectPlanJson("{}").setConfigJson("{}")
                .setPlanJson(PLAN.replace("\"name\": \"Docs\",", "\"name\": \"Docs\", \"approval\": true,")).build());
        assertThat(state.getDryRun()).isFalse();
        assertThat(state.getApprovalGates()).isEmpty();
    }

    @Test
    void aRerunOfAnEndedExecutionKeepsTheFirstAttemptInTheHistoryAndClearsTheEnds() {
        loaded();
        execution("initialized", "in_progress", 1);
        phase(2, "pending", "ready", 1, 2, null);
        phase(2, "ready", "in_progress", 1, 3, null);
        phase(2, "in_progress", "completed", 1, 4, "completed");
        execution("in_progress", "completed", 5);
        assertThat(state.getEndTime()).isEqualTo(t0.plusSeconds(5));
        apply("execution-control", new io.oe.events.ExecutionCommand("c9", "e1", io.oe.events.CommandKind.RERUN, 2,
                "alice", null, null, t0.plusSeconds(6), true, "Shorter, please.", null, null, null, null, null));
        assertThat(log.get(log.size() - 1).getMessage()).isEqualTo("RERUN phase 2 with its dependants by alice (with feedback)");
        assertThat(log.get(log.size() - 1).getDetailsJson()).contains("\"feedback\":\"Shorter, please.\"");
        phase(2, "completed", "pending", 1, 6, "rerun requested by alice (with feedback)");
        execution("completed", "in_progress", 6);
        assertThat(state.getEndTime()).isNull();
        assertThat(state.getPhases().get("2").getCompletedAt()).isNull();
        phase(2, "pending", "ready", 2, 7, null);
        phase(2, "ready", "in_progress", 2, 8, null);
        phase(2, "in_progress", "completed", 2, 9, "completed");
        assertThat(state.getPhases().get("2").getAttemptHistory()).extracting(a -> a.getNumber() + " " + a.getOutcome())
                .containsExactly("1 completed", "2 completed");
        assertThat(state.getPhases().get("2").getAttempts()).isEqualTo(2);
    }

    @Test
    void aPhaseWithAlternativesShowsThemAllUntilTheSchedulerChoosesThenTheChosenOneAndWhy() {
        apply("plan-loaded", PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
                .setProjectName("Demo").setProjectDir("/p").setSubmittedAt(t0).setProjectPlanJson("{}").setConfigJson("{}")
                .setPlanJson("""
                        {"plan_id": "p1", "project_name": "Demo",
                         "tiers": [{"name": "impl", "mode": "parallel", "phases": [13, 14, 15]}],
                         "phases": [{"id": 13, "name": "Backend", "alternatives": [{"agent": "@nodejs", "condition": "a"},
                                                                                   {"agent": "@dotnet", "condition": "b"}]},
                                    {"id": 14, "name": "Frontend", "alternatives": [{"agent": "@react", "condition": "c"}]},
                                    {"id": 15, "name": "Site", "approval": true, "alternatives": [{"agent": "@hugo", "condition": "d"}]}]}
                        """).build());
        assertThat(state.getPhases().get("13").getAgent()).isEqualTo("@nodejs/@dotnet");
        assertThat(state.getPhases().get("13").getAlternative()).isNull();

        AgentChoice dotnet = new AgentChoice(2, List.of(new AlternativeOutcome("@nodejs", "a", "false", null),
                new AlternativeOutcome("@dotnet", "b", "holds", null)), "@dotnet chosen (alternative 2 of 2): `b` holds;"
                + " before it, @nodejs's `a` is false");
        apply("execution-status", new StatusChanged("e1", 13, "pending", "ready", 1, null, "in_progress", t0, dotnet, null, null, null, TransitionCause.UNKNOWN, null));
        phase(13, "ready", "in_progress", 1, 1, null);
        assertThat(state.getPhases().get("13").getAgent()).isEqualTo("@dotnet");
        assertThat(state.getPhases().get("13").getAlternative()).isEqualTo(dotnet);
        assertThat(log.get(1).getMessage()).isEqualTo("phase 13 @dotnet pending → ready (attempt 1): @dotnet chosen"
                + " (alternative 2 of 2): `b` holds; before it, @nodejs's `a` is false");
        assertThat(log.get(1).getDetailsJson()).contains("\"alternative\":{\"chosen\":2,");
        assertThat(log.get(2).getMessage()).isEqualTo("phase 13 @dotnet ready → in_progress (attempt 1)");

        AgentChoice hugo = new AgentChoice(1, List.of(new AlternativeOutcome("@hugo", "d", "holds", null)),
                "@hugo chosen (alternative 1 of 1): `d` holds");
        apply("execution-status", new StatusChanged("e1", 15, "pending", "waiting_for_approval", 0,
                "waits for approval (oe approve --phase 15)", "in_progress", t0, hugo, null, null, null, TransitionCause.UNKNOWN, null));
        assertThat(log.get(3).getMessage()).isEqualTo("phase 15 @hugo pending → waiting_for_approval: waits for approval"
                + " (oe approve --phase 15); @hugo chosen (alternative 1 of 1): `d` holds");

        AgentChoice none = new AgentChoice(0, List.of(new AlternativeOutcome("@react", "c", "false", null)),
                "no alternative's condition holds: @react's `c` is false");
        apply("execution-status", new StatusChanged("e1", 14, "pending", "skipped", 0, none.getReason(), "in_progress", t0, none, null, null, null, TransitionCause.UNKNOWN, null));
        assertThat(state.getPhases().get("14").getAgent()).isEqualTo("@react"); // the one it names; it did not run
        assertThat(state.getPhases().get("14").getAlternative().getChosen()).isZero();
        assertThat(log.get(4).getMessage()).isEqualTo("phase 14 @react pending → skipped: no alternative's condition holds:"
                + " @react's `c` is false");
    }

    @Test
    void aPlanGivesPhasesTasksAndTiers() {
        loaded();
        assertThat(state.getStatus()).isEqualTo("initialized");
        assertThat(state.getOrchestrationPlanId()).isEqualTo("p1");
        assertThat(state.getProjectDir()).isEqualTo("/p");
        assertThat(state.getConfigJson()).contains("monitoring_enabled");
        assertThat(state.getPhases()).containsOnlyKeys("1", "2", "12", "13");
        assertThat(state.getPhases().get("1").getStatus()).isEqualTo("completed");
        assertThat(state.getPhases().get("12").getTier()).isEqualTo("impl");
        assertThat(state.getPhases().get("12").getAgent()).isEqualTo("@database-specialist");
        // what each phase waits for, as the scheduler sees it: sequential order, then the whole previous tier
        assertThat(state.getPhases().get("1").getPrerequisites()).isEmpty();
        assertThat(state.getPhases().get("2").getPrerequisites()).containsExactly(1);
        assertThat(state.getPhases().get("13").getPrerequisites()).containsExactly(1, 2);
        assertThat(state.getTasks().get("TASK_000").getStatus()).isEqualTo("completed");
        assertThat(state.getTasks().get("TASK_003").getPhaseId()).isEqualTo(12);
        assertThat(state.getTasks().get("TASK_003").getTitle()).isEqualTo("Schema");
        assertThat(state.getTasks().get("TASK_003").getStatus()).isEqualTo("pending");
        assertThat(state.getTiers()).extracting(t -> t.getName() + ":" + t.getMode() + ":" + t.getCompleted() + "/" + t.getPending())
                .containsExactly("prep:sequential:1/1", "impl:parallel:0/2");
        assertThat(state.getEventCount()).isEqualTo(1);
        assertThat(log).singleElement().satisfies(e -> {
            assertThat(e.getSeq()).isEqualTo(1);
            assertThat(e.getType()).isEqualTo("plan_loaded");
            assertThat(e.getMessage()).isEqualTo("plan p1 loaded for Demo: 4 phases, 2 tiers");
        });
    }

    @Test
    void aSecondPlanLoadedAndEventsBeforeThePlanChangeNothing() {
        phase(2, "pending", "ready", 1, 1, null);
        assertThat(state).isNull();
        loaded();
        loaded();
        assertThat(log).hasSize(1);
    }

    @Test
    void parallelPhasesRetriesTasksHandoffsAndAlerts() throws Exception {
        loaded();
        execution("initialized", "in_progress", 1);
        phase(12, "pending", "ready", 1, 2, null);
        phase(13, "pending", "ready", 1, 2, null);
        assertThat(state.getCurrentPhases()).containsExactly(12, 13);
        assertThat(state.getCurrentPhase()).isEqualTo(12);
        assertThat(state.getTiers().get(1).getRunning()).isEqualTo(2);

        // STARTED may arrive before the scheduler's in_progress transition: it sets started_at if unset
        apply("agent-progress", new AgentProgress("e1", 12, 1, ProgressKind.STARTED, null, null, null, "w1", t0.plusSeconds(3), java.util.List.of()));
        assertThat(state.getPhases().get("12").getStartedAt()).isEqualTo(t0.plusSeconds(3));
        assertThat(state.getPhases().get("12").getAttemptHistory().get(0).getWorkerId()).isEqualTo("w1");
        phase(12, "ready", "in_progress", 1, 3, null);
        apply("agent-progress", new AgentProgress("e1", 12, 1, ProgressKind.TASK_STARTED, "TASK_003", null, null, "w1", t0.plusSeconds(4), java.util.List.of()));
        apply("agent-progress", new AgentProgress("e1", 12, 1, ProgressKind.TASK_PROGRESS, "TASK_003", 65, null, "w1", t0.plusSeconds(5), java.util.List.of()));
        assertThat(state.getTasks().get("TASK_003").getStatus()).isEqualTo("in_progress");
        assertThat(state.getTasks().get("TASK_003").getProgress()).isEqualTo(65);
        assertThat(state.getTasks().get("TASK_003").getStartedAt()).isEqualTo(t0.plusSeconds(4));
        apply("agent-progress", new AgentProgress("e1", 12, 1, ProgressKind.TASK_COMPLETED, "TASK_003", null, null, "w1", t0.plusSeconds(64), java.util.List.of()));
        assertThat(state.getTasks().get("TASK_003").getCompletedAt()).isEqualTo(t0.plusSeconds(64));
        assertThat(state.getTasks().get("TASK_003").getProgress()).isEqualTo(100);
        int before = log.size();
        apply("agent-progress", new AgentProgress("e1", 12, 1, ProgressKind.HEARTBEAT, null, null, null, "w1", t0.plusSeconds(65), java.util.List.of()));
        assertThat(log).hasSize(before); // heartbeats leave no trace

        // phase 13 fails its first attempt through its handoff, then is retried and completes
        phase(13, "ready", "in_progress", 1, 3, null);
        apply("handoff-validated", new HandoffValidated("ho_e1_13_1", "e1", 13, 1, "@nodejs-specialist", List.of(),
                HandoffStatus.FAILED, List.of(), List.of(new Violation("api.json", "/port", "maximum", "too big")),
                "handoff failed: 1 contract violation(s)\n- api.json /port: too big", 0, t0.plusSeconds(3), t0.plusSeconds(9),
                t0.plusSeconds(9), java.util.Map.of(), null));
        assertThat(state.getPhases().get("13").getLastError()).startsWith("handoff failed: 1 contract violation(s)");
        phase(13, "in_progress", "failed", 1, 9, "handoff failed: 1 contract violation(s)");
        assertThat(state.getTiers().get(1).getFailed()).isEqualTo(1);
        phase(13, "failed", "pending", 1, 9, "retry in 5 s");
        phase(13, "pending", "ready", 2, 14, null);
        phase(13, "ready", "in_progress", 2, 15, null);
        apply("handoff-validated", new HandoffValidated("ho_e1_13_2", "e1", 13, 2, "@nodejs-specialist", List.of("@devops"),
                HandoffStatus.SUCCESS, List.of(new ArtifactRef("api.json", 13, "tee-output/artifacts/sha256/abc", "abc", 12L, true, null)),
                List.of(), null, 0, t0.plusSeconds(15), t0.plusSeconds(20), t0.plusSeconds(20), java.util.Map.of(), null));
        phase(13, "in_progress", "completed", 2, 20, null);
        phase(12, "in_progress", "completed", 1, 70, null);
        apply("alerts", new Alert("a1", "e1", 13, Severity.WARNING, "phase_failed", "phase 13 failed once", t0.plusSeconds(9)));

        var p13 = state.getPhases().get("13");
        assertThat(p13.getStatus()).isEqualTo("completed");
        assertThat(p13.getAttempts()).isEqualTo(2);
        assertThat(p13.getStartedAt()).isEqualTo(t0.plusSeconds(15));
        assertThat(p13.getCompletedAt()).isEqualTo(t0.plusSeconds(20));
        assertThat(p13.getAttemptHistory()).extracting(a -> a.getNumber() + ":" + a.getOutcome())
                .containsExactly("1:failed", "2:completed");
        assertThat(state.getTasks().get("TASK_004").getStatus()).isEqualTo("not_reported"); // its agent never said
        assertThat(state.getTiers().get(1).getCompleted()).isEqualTo(2);
        assertThat(state.getCurrentPhases()).isEmpty();
        assertThat(state.getCurrentPhase()).isNull();
        assertThat(state.getHandoffs()).extracting(HandoffValidated::getHandoffId).containsExactly("ho_e1_13_1", "ho_e1_13_2");
        assertThat(state.getAlerts()).hasSize(1);
        assertThat(state.getStatus()).isEqualTo("in_progress"); // a phase transition never moves the execution

        phase(2, "pending", "skipped", 0, 71, "skipped by alice");
        execution("in_progress", "completed", 72);
        assertThat(state.getStatus()).isEqualTo("completed");
        assertThat(state.getStartTime()).isEqualTo(t0.plusSeconds(1));
        assertThat(state.getEndTime()).isEqualTo(t0.plusSeconds(72));
        assertThat(state.getPhases().get("2").getReason()).isEqualTo("skipped by alice");
        assertThat(state.getTasks().get("TASK_001").getStatus()).isEqualTo("skipped");

        assertThat(log).extracting(LogEntry::getSeq).isSorted().doesNotHaveDuplicates();
        assertThat(log.get(log.size() - 1).getSeq()).isEqualTo(state.getEventCount()).isEqualTo(log.size());
        assertThat(log).extracting(LogEntry::getMessage).contains(
                "phase 12 @database-specialist ready → in_progress (attempt 1)",
                "TASK_003 in_progress 65%",
                "phase 13 @nodejs-specialist in_progress → completed (attempt 2)",
                "handoff ho_e1_13_1 failed: handoff failed: 1 contract violation(s)",
                "handoff ho_e1_13_2 validated: 1 artifact(s) → @devops",
                "WARNING phase_failed: phase 13 failed once",
                "execution in_progress → completed");
        LogEntry validated = log.stream().filter(e -> e.getType().equals("handoff_validated")).findFirst().orElseThrow();
        assertThat(validated.getPhaseId()).isEqualTo(13);
        assertThat(validated.getAttempt()).isEqualTo(2);
        assertThat(validated.getSource()).isEqualTo("handoff-validated");
        assertThat(validated.getDetailsJson()).contains("\"checksum\":\"abc\"", "\"to\":[\"@devops\"]");
        LogEntry failed = log.stream().filter(e -> e.getType().equals("handoff_failed")).findFirst().orElseThrow();
        assertThat(failed.getDetailsJson()).contains("\"rule\":\"maximum\"");
        for (LogEntry e : log) {
            if (e.getDetailsJson() != null) {
                assertThat(new ObjectMapper().readTree(e.getDetailsJson()).isObject()).isTrue();
            }
        }
    }

    private void task(int phase, int attempt, ProgressKind kind, String task, Integer percent, long sec) {
        apply("agent-progress", new AgentProgress("e1", phase, attempt, kind, task, percent, null, "w1", t0.plusSeconds(sec), java.util.List.of()));
    }

    /** The plan loaded, the execution started, phase 12's first attempt running (at t0 + 3 s). */
    private void phase12Runs() {
        loaded();
        execution("initialized", "in_progress", 1);
        phase(12, "pending", "ready", 1, 2, null);
        phase(12, "ready", "in_progress", 1, 3, null);
    }

    private String task(String id) {
        var t = state.getTasks().get(id);
        return t.getStatus() + " " + t.getProgress() + "%";
    }

    @Test
    void tasksOfAFailedAttemptAreMarkedFailedAndThoseItNeverReportedAreShownAsNotReported() {
        phase12Runs();
        task(12, 1, ProgressKind.TASK_STARTED, "TASK_003", null, 4);
        task(12, 1, ProgressKind.TASK_PROGRESS, "TASK_003", 40, 5);
        phase(12, "in_progress", "failed", 1, 6, "agent @database-specialist failed: exited with code 1");
        assertThat(task("TASK_003")).isEqualTo("failed 40%"); // not left in progress
        assertThat(task("TASK_004")).isEqualTo("not_reported 0%");
        phase(12, "failed", "waiting_for_intervention", 1, 6, "retries exhausted");
        assertThat(task("TASK_003")).isEqualTo("failed 40%");
    }

    @Test
    void aRetryStartsItsTasksAfreshAndLateReportsOfTheFailedAttemptChangeNothing() {
        phase12Runs();
        task(12, 1, ProgressKind.TASK_STARTED, "TASK_003", null, 4);
        task(12, 1, ProgressKind.TASK_COMPLETED, "TASK_003", null, 5);
        task(12, 1, ProgressKind.TASK_STARTED, "TASK_004", null, 6);
        phase(12, "in_progress", "failed", 1, 7, "no heartbeat");
        assertThat(task("TASK_003")).isEqualTo("completed 100%");
        assertThat(task("TASK_004")).isEqualTo("failed 0%");
        phase(12, "failed", "pending", 1, 7, "retry 1 of 3");
        phase(12, "pending", "ready", 2, 9, null);
        assertThat(task("TASK_003")).isEqualTo("pending 0%");
        assertThat(task("TASK_004")).isEqualTo("pending 0%");
        assertThat(state.getTasks().get("TASK_003").getCompletedAt()).isNull();
        // the lost attempt's agent was still talking: its words are logged, not taken
        task(12, 1, ProgressKind.TASK_PROGRESS, "TASK_004", 90, 10);
        assertThat(task("TASK_004")).isEqualTo("pending 0%");
        assertThat(log.get(log.size() - 1).getType()).isEqualTo("task_stale");
        task(12, 2, ProgressKind.TASK_STARTED, "TASK_003", null, 11);
        assertThat(task("TASK_003")).isEqualTo("in_progress 0%");
    }

    @Test
    void theFirstReportOfANewAttemptStartsItsTasksAfreshEvenBeforeItsReadyTransitionIsRead() {
        loaded();
        execution("initialized", "in_progress", 1);
        phase(12, "pending", "ready", 1, 2, null);
        task(12, 1, ProgressKind.TASK_COMPLETED, "TASK_003", null, 3);
        phase(12, "ready", "failed", 1, 4, "handoff failed");
        task(12, 2, ProgressKind.TASK_STARTED, "TASK_004", null, 6); // attempt 2's agent, read before its ready
        assertThat(task("TASK_003")).isEqualTo("pending 0%");
        assertThat(task("TASK_004")).isEqualTo("in_progress 0%");
        phase(12, "pending", "ready", 2, 5, null);
        assertThat(task("TASK_004")).isEqualTo("in_progress 0%"); // not wiped by the late transition
        assertThat(state.getPhases().get("12").getAttempts()).isEqualTo(2);
    }

    @Test
    void aCompletedPhaseShowsTheTasksItsAgentNeverReportedAsNotReportedAndALateReportStillCounts() {
        phase12Runs();
        task(12, 1, ProgressKind.TASK_STARTED, "TASK_003", null, 4);
        task(12, 1, ProgressKind.TASK_PROGRESS, "TASK_003", 65, 5);
        phase(12, "in_progress", "completed", 1, 6, null);
        assertThat(task("TASK_003")).isEqualTo("not_reported 65%");
        assertThat(task("TASK_004")).isEqualTo("not_reported 0%");
        // the agent's last lines, read after the transition (another topic): what it reported done is done
        task(12, 1, ProgressKind.TASK_COMPLETED, "TASK_003", null, 6);
        assertThat(task("TASK_003")).isEqualTo("completed 100%");
        task(12, 1, ProgressKind.TASK_STARTED, "TASK_004", null, 6);
        assertThat(task("TASK_004")).isEqualTo("not_reported 0%"); // started is not done: the phase does not reopen
        assertThat(EngineStateFold.endStatus("pending", "skipped")).isEqualTo("skipped");
        assertThat(EngineStateFold.endStatus("in_progress", "cancelled")).isEqualTo("cancelled");
    }

    @Test
    void theConfigGivenWithStartReplacesTheOneGivenAtInitAsTheSchedulerDoes() {
        loaded();
        for (String bad : List.of("not json", "{\"max_concurrent_phases\": \"three\"}")) {
            apply("execution-control", new io.oe.events.ExecutionCommand("c0", "e1", io.oe.events.CommandKind.START, null,
                    "someone", null, bad, t0.plusSeconds(1), false, null, null, null, null, null, null));
            assertThat(state.getConfigJson()).as("a config the scheduler cannot read: %s", bad).contains("monitoring_enabled");
        }
        apply("execution-control", new io.oe.events.ExecutionCommand("c1", "e1", io.oe.events.CommandKind.START, null, "cli",
                null, "{\"max_concurrent_phases\": 1}", t0.plusSeconds(1), false, null, null, null, null, null, null));
        assertThat(state.getConfigJson()).isEqualTo("{\"max_concurrent_phases\": 1}");
        execution("initialized", "in_progress", 1);
        apply("execution-control", new io.oe.events.ExecutionCommand("c2", "e1", io.oe.events.CommandKind.START, null, "cli",
                null, "{\"max_concurrent_phases\": 9}", t0.plusSeconds(2), false, null, null, null, null, null, null));
        assertThat(state.getConfigJson()).as("a second START is refused by the scheduler").contains(": 1}");
    }

    @Test
    void theBudgetShownIsTheOneTheSchedulerAppliedNotTheOneABudgetCommandAskedFor() {
        loaded();
        apply("execution-control", new io.oe.events.ExecutionCommand("c1", "e1", io.oe.events.CommandKind.START, null, "cli",
                null, "{\"budget\": {\"phase\": {\"tokens\": 1000}}}", t0.plusSeconds(1), false, null, null, null, null,
                null, null));
        apply("execution-status", new StatusChanged("e1", null, "initialized", "in_progress", 0, "started by cli",
                "in_progress", t0.plusSeconds(1), null, null, null, "{\"phase\": {\"tokens\": 1000}}", TransitionCause.UNKNOWN, null));
        // a lowering the scheduler refuses: the command is in the audit trail, the budget shown does not move
        apply("execution-control", new io.oe.events.ExecutionCommand("c2", "e1", io.oe.events.CommandKind.BUDGET, 2, "alice",
                null, null, t0.plusSeconds(2), false, null, null, null, null, 10L, null));
        assertThat(log.get(log.size() - 1).getMessage()).isEqualTo("BUDGET phase 2 by alice (tokens 10)");
        assertThat(budget().forPhase(2).tokens()).isEqualTo(1000L);
        // a raise the scheduler applied comes with its transition, the execution staying in progress
        apply("execution-control", new io.oe.events.ExecutionCommand("c3", "e1", io.oe.events.CommandKind.BUDGET, 2, "alice",
                null, null, t0.plusSeconds(3), false, null, null, null, null, 5000L, null));
        apply("execution-status", new StatusChanged("e1", null, "in_progress", "in_progress", 0,
                "phase 2's budget set to 5000 tokens by alice", "in_progress", t0.plusSeconds(3), null, null, null,
                "{\"phase\": {\"tokens\": 1000}, \"phases\": {\"2\": {\"tokens\": 5000}}}", TransitionCause.UNKNOWN, null));
        assertThat(state.getStatus()).isEqualTo("in_progress");
        assertThat(budget().forPhase(2).tokens()).isEqualTo(5000L);
        assertThat(budget().forPhase(1).tokens()).isEqualTo(1000L);
        assertThat(state.getConfigJson()).as("the rest of the config stays").contains("\"budget\"");
        // a transition without a budget, or with one that is not a JSON object, leaves the budget shown alone
        apply("execution-status", new StatusChanged("e1", null, "in_progress", "paused", 0, null, "paused",
                t0.plusSeconds(4), null, null, null, null, TransitionCause.UNKNOWN, null));
        apply("execution-status", new StatusChanged("e1", null, "paused", "in_progress", 0, null, "in_progress",
                t0.plusSeconds(5), null, null, null, "not json", TransitionCause.UNKNOWN, null));
        assertThat(budget().forPhase(2).tokens()).isEqualTo(5000L);
    }

    private io.oe.core.plan.Budget budget() {
        return io.oe.core.plan.PlanJson.config(io.oe.core.plan.PlanJson.parse(state.getConfigJson())).budget();
    }

    @Test
    void handoffsAndAlertsAreBounded() {
        loaded();
        for (int i = 0; i < EngineStateFold.MAX_HANDOFFS + 5; i++) {
            apply("handoff-validated", new HandoffValidated("ho_" + i, "e1", 2, 1, "@doc", List.of(), HandoffStatus.SUCCESS,
                    List.of(), List.of(), null, 0, t0, t0, t0, java.util.Map.of(), null));
        }
        for (int i = 0; i < EngineStateFold.MAX_ALERTS + 5; i++) {
            apply("alerts", new Alert("a" + i, "e1", null, Severity.INFO, "k", "m", t0));
        }
        assertThat(state.getHandoffs()).hasSize(EngineStateFold.MAX_HANDOFFS);
        assertThat(state.getHandoffs().get(0).getHandoffId()).isEqualTo("ho_5");
        assertThat(state.getAlerts()).hasSize(EngineStateFold.MAX_ALERTS);
        assertThat(state.getAlerts().get(EngineStateFold.MAX_ALERTS - 1).getAlertId()).isEqualTo("a" + (EngineStateFold.MAX_ALERTS + 4));
    }

    @Test
    void tierCountsAndCurrentPhasesKeptPerEventAgreeWithACountOfEveryPhase() {
        loaded();
        execution("initialized", "in_progress", 1);
        String[][] steps = {{"2", "pending", "ready"}, {"12", "pending", "ready"}, {"2", "ready", "in_progress"},
                {"13", "pending", "ready"}, {"12", "ready", "failed"}, {"12", "failed", "pending"}, {"2", "in_progress", "completed"},
                {"12", "pending", "ready"}, {"13", "ready", "in_progress"}, {"12", "ready", "waiting_for_intervention"},
                {"13", "in_progress", "cancelled"}, {"12", "waiting_for_intervention", "skipped"}};
        int sec = 2;
        for (String[] step : steps) {
            phase(Integer.parseInt(step[0]), step[1], step[2], 1, sec++, null);
            EngineState counted = EngineState.newBuilder(state).build();
            EngineStateFold.derive(counted);
            assertThat(state.getTiers()).as("after %s → %s of %s", step[1], step[2], step[0]).isEqualTo(counted.getTiers());
            assertThat(state.getCurrentPhases()).isEqualTo(counted.getCurrentPhases());
            assertThat(state.getCurrentPhase()).isEqualTo(counted.getCurrentPhase());
        }
        assertThat(state.getTiers().get(1).getSkipped()).isEqualTo(2);
    }
}
