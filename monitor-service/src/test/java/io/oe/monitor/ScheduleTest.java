package io.oe.monitor;

import static io.oe.monitor.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.EngineState;
import io.oe.events.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    /** Phase 2 (after 1) estimated 1 + 0.5 min, phase 12 (after 2 and 11) 2 min, phase 11 (skipped) 30 min. */
    private static EngineState withEstimates(String status, long secondsSinceStart) {
        EngineState s = Fixtures.state("e1", "/p", status, 10, "{}");
        Map<String, TaskState> tasks = new LinkedHashMap<>(s.getTasks());
        tasks.put("TASK_001", TaskState.newBuilder(tasks.get("TASK_001")).setEstimateMinutes(1.0).build());
        tasks.put("TASK_002", TaskState.newBuilder(tasks.get("TASK_002")).setEstimateMinutes(0.5).build());
        tasks.put("TASK_012", new TaskState("TASK_012", 12, "Schema", "completed", 100, null, null, 2.0));
        tasks.put("TASK_011", new TaskState("TASK_011", 11, "Bicep", "skipped", 0, null, null, 30.0));
        s.setTasks(tasks);
        s.setEndTime(null);
        s.setUpdatedAt(T0.plusSeconds(secondsSinceStart));
        return s;
    }

    @Test
    void anExecutionWithinItsPlansEstimateIsOnTrack() {
        Schedule s = Schedule.of(withEstimates("in_progress", 120)).orElseThrow();

        assertThat(s.onTrack()).isTrue();
        assertThat(s.estimateSeconds()).isEqualTo(210.0); // 1.5 min + 2 min along 2 -> 12; the skipped 11 counts nothing
        assertThat(s.elapsedSeconds()).isEqualTo(120.0);
        assertThat(s.text()).isEqualTo("On track: 2.0 min of an estimated 3.5 min");
    }

    @Test
    void anExecutionPastItsEstimateIsBehindIt() {
        Schedule s = Schedule.of(withEstimates("in_progress", 240)).orElseThrow();

        assertThat(s.onTrack()).isFalse();
        assertThat(s.text()).isEqualTo("Behind its estimate: 4.0 min of an estimated 3.5 min");
    }

    @Test
    void aPlanWithoutEstimatesOrAnExecutionNotStartedHasNoScheduleLine() {
        assertThat(Schedule.of(Fixtures.state("e1", "/p", "in_progress", 10, "{}"))).isEmpty();
        EngineState notStarted = withEstimates("initialized", 0);
        notStarted.setStartTime(null);
        assertThat(Schedule.of(notStarted)).isEmpty();
    }

    @Test
    void theStateJsonCarriesTheLine() {
        var json = StateJson.state(withEstimates("in_progress", 120));

        assertThat(json.path("schedule").path("on_track").asBoolean()).isTrue();
        assertThat(json.path("schedule").path("text").asText()).startsWith("On track");
        assertThat(json.path("tasks").path("TASK_012").path("estimate_minutes").asDouble()).isEqualTo(2.0);
    }
}
