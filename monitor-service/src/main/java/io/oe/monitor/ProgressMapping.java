package io.oe.monitor;

import io.oe.core.plan.PlanJson;
import io.oe.core.progress.ExecutionView;
import io.oe.core.progress.PhaseView;
import io.oe.core.progress.Progress;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.core.scheduler.TransitionCause;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The engine state as engine-core's read model takes it ({@link ExecutionView}): the one place the monitor maps the
 * Avro state to domain types, so that waiting reasons and the ETA are decided in the domain ({@link Progress}) and
 * only rendered here.
 */
final class ProgressMapping {
    private ProgressMapping() {
    }

    /** Each waiting phase's reason and the ETA, in one pass: the state is rendered on every event of the execution. */
    static Progress progress(EngineState s) {
        return Progress.of(view(s));
    }

    static ExecutionView view(EngineState s) {
        Map<Integer, Double> progress = s.getTasks().values().stream()
                .collect(Collectors.groupingBy(TaskState::getPhaseId, Collectors.averagingInt(TaskState::getProgress)));
        Map<Integer, PhaseView> phases = new LinkedHashMap<>();
        for (PhaseState p : s.getPhases().values()) {
            phases.put(p.getId(), new PhaseView(p.getId(), p.getName(), PhaseStatus.parse(p.getStatus()),
                    TransitionCause.valueOf(p.getCause().name()), p.getReason(), p.getAttempts(), p.getPrerequisites(),
                    p.getStartedAt(), p.getCompletedAt(), progress.getOrDefault(p.getId(), 0.0)));
        }
        int max = PlanJson.config(StateJson.config(s)).maxConcurrentPhases();
        // a status this release does not know (a state written when an execution could be "failed") is read as running:
        // its phases then say what it waits for, as they did before
        ExecutionStatus status = ExecutionStatus.find(s.getStatus()).orElse(ExecutionStatus.IN_PROGRESS);
        return new ExecutionView(status, max, s.getUpdatedAt(), s.getEndTime(), phases);
    }
}
