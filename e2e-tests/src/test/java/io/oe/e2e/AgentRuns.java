package io.oe.e2e;

import io.oe.events.AgentResult;
import io.oe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the agents of an execution actually ran, read from agent-result, and the fault suite's two counts: phases
 * lost (no successful run) and phases completed twice (more than one successful run).
 */
record AgentRuns(Map<Integer, List<AgentResult>> byPhase, long runs, List<Integer> lost, List<Integer> twice) {

    static AgentRuns of(String bootstrap, String executionId, Collection<Integer> phasesToRun) {
        Map<Integer, List<AgentResult>> byPhase = Events.readAll(bootstrap, Topics.AGENT_RESULT, Duration.ofSeconds(1),
                Duration.ofSeconds(20)).stream().map(r -> r.value()).filter(r -> r.getExecutionId().equals(executionId))
                .filter(r -> r.getReplacedBy() == null) // a person's replacement of a reviewed output: no agent ran
                .collect(Collectors.groupingBy(AgentResult::getPhaseId, TreeMap::new, Collectors.toList()));
        List<Integer> lost = new ArrayList<>();
        List<Integer> twice = new ArrayList<>();
        for (int phase : phasesToRun) {
            long ok = byPhase.getOrDefault(phase, List.of()).stream().filter(AgentResult::getSuccess).count();
            if (ok == 0) {
                lost.add(phase);
            } else if (ok > 1) {
                twice.add(phase);
            }
        }
        return new AgentRuns(byPhase, byPhase.values().stream().mapToLong(List::size).sum(), lost, twice);
    }

    /** The successful runs of each phase completed twice (attempt, worker, start and end), for a failure message. */
    String twiceExplained() {
        return twice.stream().map(phase -> "phase " + phase + ": " + byPhase.get(phase).stream().filter(AgentResult::getSuccess)
                .map(r -> "attempt " + r.getAttempt() + " on " + r.getWorkerId() + " " + r.getStartedAt() + " to " + r.getEndedAt())
                .collect(Collectors.joining(", "))).collect(Collectors.joining("; "));
    }
}
