package io.oe.schemas;

import io.oe.events.AgentOutput;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.DeadLetter;
import io.oe.events.Alert;
import io.oe.events.EngineState;
import io.oe.events.ExecutionCommand;
import io.oe.events.ExecutionDirectoryEntry;
import io.oe.events.ExecutionPruned;
import io.oe.events.HandoffValidated;
import io.oe.events.LogEntry;
import io.oe.events.PhaseReady;
import io.oe.events.PlanLoaded;
import io.oe.events.PlanRejected;
import io.oe.events.PlanSubmission;
import io.oe.events.SeatGranted;
import io.oe.events.SeatRequest;
import io.oe.events.StatusChanged;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every topic of the engine, defined once. Keys are execution ids unless said otherwise. */
public final class Topics {
    private Topics() {
    }

    /** Partitions per topic: enough for two instances of every service to share the work. */
    public static final int PARTITIONS = 4;

    /**
     * The largest record any topic (and any store changelog) takes: a 10,000-phase plan's {@code plan-loaded} and
     * engine state are several MB, beyond the broker's 1 MB default. Producers set {@code max.request.size} to it.
     */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    /** Plans submitted by event (the Kafka-native intake), keyed by the client's submission id. */
    public static final Topic<PlanSubmission> PLAN_SUBMISSIONS =
            new Topic<>("plan-submissions", PlanSubmission.class, PARTITIONS, false, "submission_id");
    /** Submissions refused by the plan-loader, with every violation, keyed by submission id. */
    public static final Topic<PlanRejected> PLAN_REJECTED =
            new Topic<>("plan-rejected", PlanRejected.class, PARTITIONS, false, "submission_id");
    /**
     * One record per execution (a repeated submission publishes nothing), so compacted: once the execution is pruned the
     * plan-loader tombstones it, and a reader from the beginning (the plan-loader's directory) reads the live ones.
     */
    public static final Topic<PlanLoaded> PLAN_LOADED =
            new Topic<>("plan-loaded", PlanLoaded.class, PARTITIONS, true, "execution_id");
    public static final Topic<PhaseReady> PHASE_READY =
            new Topic<>("phase-ready", PhaseReady.class, PARTITIONS, false, "execution_id/phase_id");
    public static final Topic<AgentProgress> AGENT_PROGRESS =
            new Topic<>("agent-progress", AgentProgress.class, PARTITIONS, false, "execution_id");
    /**
     * What running agents print, in bounded chunks (docs/agents.md, "Live output"). Kept a week, as the gateway keeps
     * an idle workspace's agent.log: it is for watching and recent look-ups, not an archive.
     */
    public static final Topic<AgentOutput> AGENT_OUTPUT =
            new Topic<>("agent-output", AgentOutput.class, PARTITIONS, false, "execution_id", Duration.ofDays(7));
    public static final Topic<AgentResult> AGENT_RESULT =
            new Topic<>("agent-result", AgentResult.class, PARTITIONS, false, "execution_id");
    public static final Topic<HandoffValidated> HANDOFF_VALIDATED =
            new Topic<>("handoff-validated", HandoffValidated.class, PARTITIONS, false, "execution_id");
    public static final Topic<ExecutionCommand> EXECUTION_CONTROL =
            new Topic<>("execution-control", ExecutionCommand.class, PARTITIONS, false, "execution_id");
    public static final Topic<StatusChanged> EXECUTION_STATUS =
            new Topic<>("execution-status", StatusChanged.class, PARTITIONS, false, "execution_id");
    public static final Topic<Alert> ALERTS =
            new Topic<>("alerts", Alert.class, PARTITIONS, false, "execution_id");
    public static final Topic<EngineState> ENGINE_STATE =
            new Topic<>("engine-state", EngineState.class, PARTITIONS, true, "execution_id");
    public static final Topic<LogEntry> EXECUTION_LOG =
            new Topic<>("execution-log", LogEntry.class, PARTITIONS, false, "execution_id");

    /**
     * Records a service could not take (not an event of their topic, or one whose handling failed), set aside so that
     * the service goes on; keyed by the topic they came from.
     */
    public static final Topic<DeadLetter> DEAD_LETTERS =
            new Topic<>("dead-letters", DeadLetter.class, PARTITIONS, false, "source_topic");

    /**
     * Requests for and releases of seats of the limits across executions, keyed by the limit's name: one stream task of
     * the scheduler's seat keeper owns each limit however many scheduler instances run (docs/architecture.md, "Limits
     * across executions").
     */
    public static final Topic<SeatRequest> SEAT_REQUESTS =
            new Topic<>("seat-requests", SeatRequest.class, PARTITIONS, false, "limit");
    /** The seat keeper's grants, keyed by execution id: co-partitioned with the scheduler's other inputs. */
    public static final Topic<SeatGranted> SEAT_GRANTS =
            new Topic<>("seat-grants", SeatGranted.class, PARTITIONS, false, "execution_id");

    /**
     * Finished executions whose retention ran out, archived and now dropped by every service (docs/architecture.md,
     * "Data that ages out"). Written by the monitor, the one service that decides; one small record per execution.
     */
    public static final Topic<ExecutionPruned> EXECUTION_PRUNED =
            new Topic<>("execution-pruned", ExecutionPruned.class, PARTITIONS, false, "execution_id");

    /**
     * The plan-loader's directory of live executions (status, phases, memos, budget), one record each, so that its start
     * reads the live set and execution-status only from where it stopped (plan-loader's ExecutionDirectory).
     */
    public static final Topic<ExecutionDirectoryEntry> EXECUTION_DIRECTORY =
            new Topic<>("execution-directory", ExecutionDirectoryEntry.class, PARTITIONS, true, "execution_id");

    public static final List<Topic<?>> ALL = List.of(PLAN_SUBMISSIONS, PLAN_REJECTED, PLAN_LOADED, PHASE_READY, AGENT_PROGRESS, AGENT_OUTPUT, AGENT_RESULT,
            HANDOFF_VALIDATED, EXECUTION_CONTROL, EXECUTION_STATUS, ALERTS, ENGINE_STATE, EXECUTION_LOG, DEAD_LETTERS,
            SEAT_REQUESTS, SEAT_GRANTS, EXECUTION_PRUNED, EXECUTION_DIRECTORY);

    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The phase-ready key: one execution's phases spread over partitions, one phase's attempts stay ordered. */
    public static String phaseKey(String executionId, int phaseId) {
        return executionId + "/" + phaseId;
    }
}
