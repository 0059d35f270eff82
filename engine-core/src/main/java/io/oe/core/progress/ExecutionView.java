package io.oe.core.progress;

import io.oe.core.scheduler.ExecutionStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a reader knows of an execution, enough to say what its phases wait for and when it should end: its status,
 * the {@code max_concurrent_phases} it runs with, the time the view was taken ({@code at}: the state's last change,
 * so one view always gives one answer), when it ended, and its phases by id.
 */
public record ExecutionView(ExecutionStatus status, int maxConcurrentPhases, Instant at, Instant endedAt,
        Map<Integer, PhaseView> phases) {
    public ExecutionView {
        phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }
}
