package io.oe.core.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Plan;
import java.util.Map;

/**
 * Everything the scheduler knows of one execution. Immutable: each input yields a new state (see
 * {@link Scheduler}); the service keeps the latest in its state store, whose changelog makes it durable.
 * {@code behindEstimateAt}: when the execution was found behind its estimate (its one
 * {@code execution_behind_estimate} alert), else null. {@code dryRun}: the execution is a dry run (sample outputs
 * instead of agents, approvals not waited for; docs/architecture.md "Dry run"), fixed at registration. {@code reuse}: in
 * a memoized resubmission, the earlier execution's completed attempts it may reuse, else null. {@code runnerProfiles}:
 * each agent's runner profile in the gateway's configuration, as a SHA-256 (the plan-loader's), part of a memo.
 */
public record ExecutionState(
        String executionId,
        String projectDir,
        Plan plan,
        JsonNode projectFacts,
        EngineConfig config,
        Map<String, String> contracts,
        Map<String, String> agents,
        ExecutionStatus status,
        Map<Integer, PhaseRun> phases,
        Map<String, Artifact> artifacts,
        long createdAt,
        Long startedAt,
        Long endedAt,
        Long behindEstimateAt,
        boolean dryRun,
        Reuse reuse,
        Map<String, String> runnerProfiles) {

    public ExecutionState {
        phases = PhaseTable.of(phases); // a table is kept as it is: immutable, and shares chunks with its past versions
        artifacts = Map.copyOf(artifacts); // no copy when it already is one: an input that adds no artifact copies none
        contracts = contracts == null ? Map.of() : contracts;
        agents = agents == null ? Map.of() : agents;
        runnerProfiles = runnerProfiles == null ? Map.of() : runnerProfiles;
    }

    public ExecutionState(String executionId, String projectDir, Plan plan, JsonNode projectFacts, EngineConfig config,
            Map<String, String> contracts, Map<String, String> agents, ExecutionStatus status, Map<Integer, PhaseRun> phases,
            Map<String, Artifact> artifacts, long createdAt, Long startedAt, Long endedAt) {
        this(executionId, projectDir, plan, projectFacts, config, contracts, agents, status, phases, artifacts, createdAt,
                startedAt, endedAt, null, false, null, null);
    }

    public PhaseRun phase(int id) {
        return phases.get(id);
    }

    ExecutionState with(ExecutionStatus s, Map<Integer, PhaseRun> p, Map<String, Artifact> a, EngineConfig c,
            Long started, Long ended, Long behind) {
        return new ExecutionState(executionId, projectDir, plan, projectFacts, c, contracts, agents, s, p, a,
                createdAt, started, ended, behind, dryRun, reuse, runnerProfiles);
    }

    /** Key of an artifact in {@link #artifacts}: the producing phase and the artifact's name. */
    public static String artifactKey(int phaseId, String name) {
        return phaseId + "/" + name;
    }
}
