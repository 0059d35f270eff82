package io.oe.monitor;

import io.oe.events.AgentChoice;
import io.oe.events.Alert;
import io.oe.events.AlternativeOutcome;
import io.oe.events.ArtifactRef;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PhaseState;
import io.oe.events.Severity;
import io.oe.events.TaskState;
import io.oe.events.TierProgress;
import io.oe.events.TransitionCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One execution of four phases in two tiers (one run by an agent alternative), as the projector would fold it. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-13T12:00:00Z");
    static final String SHA = "60454ba6ba4fd794c3713450bcf669513d942ebe04d142c8ea49ea9975026a1a";
    /** Phase 12 names agent alternatives; the second ran it, as the scheduler chose. */
    static final AgentChoice DATABASE_CHOICE = new AgentChoice(2, List.of(
            new AlternativeOutcome("@mongodb-specialist", "project.stack.database == 'mongodb'", "false", null),
            new AlternativeOutcome("@database-specialist", "project.stack.database == 'postgresql'", "holds", null)),
            "@database-specialist chosen (alternative 2 of 2): `project.stack.database == 'postgresql'` holds; before it,"
                    + " @mongodb-specialist's `project.stack.database == 'mongodb'` is false");

    private Fixtures() {
    }

    static EngineState state(String id, String dir, String status, long eventCount, String configJson) {
        boolean done = status.equals("completed");
        Map<String, PhaseState> phases = new LinkedHashMap<>();
        phases.put("12", new PhaseState(12, "Database", "@database-specialist", "impl", "completed", 1, T0.plusSeconds(60),
                T0.plusSeconds(90), null, null, List.of(new AttemptRecord(1, T0.plusSeconds(59), T0.plusSeconds(60),
                        T0.plusSeconds(90), "completed", null, "w1", List.of())), List.of(2, 11),
                AgentChoice.newBuilder(DATABASE_CHOICE).build(), new ArrayList<>(), TransitionCause.UNKNOWN, null)); // a copy: a test may change it
        phases.put("1", new PhaseState(1, "Plan", "@plan", "prep", "completed", 0, null, T0,
                "completed before this execution (plan status)", null, List.of(), List.of(), null, List.of(), TransitionCause.UNKNOWN, null));
        phases.put("2", new PhaseState(2, "Docs | index", "@doc", "prep", done ? "completed" : "in_progress", 2, T0.plusSeconds(20),
                done ? T0.plusSeconds(50) : null, null, "agent @doc failed: exited with code 1\nstderr: boom",
                new ArrayList<>(List.of(new AttemptRecord(1, T0, T0.plusSeconds(1), T0.plusSeconds(10), "failed",
                        "agent @doc failed: exited with code 1\nstderr: boom", "w1", List.of()),
                        new AttemptRecord(2, T0.plusSeconds(19), T0.plusSeconds(20), done ? T0.plusSeconds(50) : null,
                                done ? "completed" : null, null, "w2", List.of()))), List.of(1), null, List.of(), TransitionCause.UNKNOWN, null));
        phases.put("11", new PhaseState(11, "Bicep", "@bicep-specialist", "impl", "skipped", 0, null, null,
                "condition `project.infrastructure.iac == 'bicep'` is false", null, List.of(), List.of(2), null, List.of(), TransitionCause.UNKNOWN, null));
        Map<String, TaskState> tasks = new LinkedHashMap<>();
        tasks.put("TASK_002", new TaskState("TASK_002", 2, "Glossary", done ? "completed" : "in_progress", done ? 100 : 65,
                T0.plusSeconds(20), done ? T0.plusSeconds(50) : null, null));
        tasks.put("TASK_001", new TaskState("TASK_001", 2, "Overview", "completed", 100, T0.plusSeconds(20), T0.plusSeconds(110), null));
        return EngineState.newBuilder().setExecutionId(id).setOrchestrationPlanId("plan_demo").setProjectName("Demo")
                .setProjectDir(dir).setStatus(status).setStartTime(T0).setEndTime(done ? T0.plusSeconds(120) : null)
                .setUpdatedAt(T0.plusSeconds(done ? 120 : 60)).setCurrentPhase(done ? null : 2)
                .setCurrentPhases(done ? List.of() : List.of(2)).setPhases(phases).setTasks(tasks)
                .setTiers(List.of(new TierProgress("prep", "sequential", List.of(1, 2), done ? 2 : 1, 0, done ? 0 : 1, 0, 0),
                        new TierProgress("impl", "parallel", List.of(11, 12), 1, 1, 0, 0, 0)))
                .setHandoffs(List.of(new HandoffValidated("ho_" + id + "_2_1", id, 2, 1, "@doc", List.of(), HandoffStatus.FAILED,
                                List.of(), List.of(), "agent @doc failed: exited with code 1", 1, T0, T0.plusSeconds(10), T0.plusSeconds(10), java.util.Map.of(), null),
                        new HandoffValidated("ho_" + id + "_12_1", id, 12, 1, "@database-specialist", List.of("@devops"),
                                HandoffStatus.SUCCESS, List.of(new ArtifactRef("schema.sql", 12, "tee-output/artifacts/sha256/" + SHA,
                                        SHA, 674L, true, null)), List.of(), null, 0, T0.plusSeconds(60), T0.plusSeconds(90), T0.plusSeconds(90), java.util.Map.of(), null)))
                .setAlerts(List.of(new Alert("a1", id, 2, Severity.WARNING, "phase_failed", "phase 2 attempt 1 failed", T0.plusSeconds(10))))
                .setEventCount(eventCount).setConfigJson(configJson).build();
    }

    static LogEntry entry(String id, long seq) {
        return new LogEntry(id, seq, T0.plusSeconds(seq), "execution-status", "phase_in_progress", 2, 1,
                "entry " + seq, seq % 2 == 0 ? "{\"from\":\"ready\",\"to\":\"in_progress\"}" : null);
    }
}
