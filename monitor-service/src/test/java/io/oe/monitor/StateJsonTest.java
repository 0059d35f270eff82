package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON users read: the seed's Engine State model, snake_case, ISO-8601 times, phases and tasks keyed by id. */
class StateJsonTest {
    @Test
    void theStateIsTheSeedsEngineStateModel() {
        JsonNode json = StateJson.state(Fixtures.state("e1", "/p", "in_progress", 7, "{}"));
        assertThat(json.fieldNames()).toIterable().startsWith("execution_id", "orchestration_plan_id", "project_name")
                .contains("status", "current_phase", "start_time", "phases", "tasks", "tiers", "current_phases", "end_time",
                        "handoffs", "alerts");
        assertThat(json.path("execution_id").asText()).isEqualTo("e1");
        assertThat(json.path("orchestration_plan_id").asText()).isEqualTo("plan_demo");
        assertThat(json.path("current_phase").asInt()).isEqualTo(2);
        assertThat(json.path("start_time").asText()).isEqualTo("2026-01-13T12:00:00Z");
        assertThat(json.path("end_time").isNull()).isTrue();
        assertThat(json.path("phases").fieldNames()).toIterable().containsExactly("1", "2", "11", "12"); // numeric order
        JsonNode p2 = json.path("phases").path("2");
        assertThat(p2.path("status").asText()).isEqualTo("in_progress");
        assertThat(p2.path("attempts").asInt()).isEqualTo(2);
        assertThat(p2.path("name").asText()).isEqualTo("Docs | index");
        assertThat(p2.path("agent").asText()).isEqualTo("@doc");
        assertThat(p2.path("tier").asText()).isEqualTo("prep");
        assertThat(p2.path("started_at").asText()).isEqualTo("2026-01-13T12:00:20Z");
        assertThat(p2.path("last_error").asText()).startsWith("agent @doc failed");
        assertThat(p2.path("attempt_history")).hasSize(2);
        // the attempts as attempts: the old failure is attempt 1's, not the note of a phase that runs again
        assertThat(p2.path("first_started_at").asText()).isEqualTo("2026-01-13T12:00:01Z");
        assertThat(p2.path("note").asText()).isEqualTo(p2.path("attempts_summary").asText())
                .isEqualTo("2 attempts: #1 failed after 9.0 s (exited with code 1), #2 running");
        assertThat(p2.path("attempt_history").get(0).path("duration_seconds").asDouble()).isEqualTo(9.0);
        assertThat(p2.has("elapsed_seconds")).isFalse();
        assertThat(json.path("phases").path("11").path("note").asText()).isEqualTo("condition `project.infrastructure.iac == 'bicep'` is false");
        assertThat(json.path("phases").path("12").has("note")).isFalse(); // completed at its first attempt
        assertThat(json.path("phases").path("12").path("attempts_summary").asText()).isEqualTo("1 attempt: #1 completed in 30.0 s");
        assertThat(json.path("phases").path("11").path("reason").asText()).contains("is false");
        assertThat(json.path("phases").path("12").path("duration_seconds").asDouble()).isEqualTo(30.0);
        // which agent alternative ran phase 12, and why
        assertThat(json.path("phases").path("12").path("alternative")).isEqualTo(io.oe.core.plan.PlanJson.parse("""
                {"chosen": 2, "agent": "@database-specialist", "condition": "project.stack.database == 'postgresql'",
                 "reason": "@database-specialist chosen (alternative 2 of 2): `project.stack.database == 'postgresql'` holds;\
                 before it, @mongodb-specialist's `project.stack.database == 'mongodb'` is false",
                 "alternatives": [
                   {"agent": "@mongodb-specialist", "condition": "project.stack.database == 'mongodb'", "outcome": "false"},
                   {"agent": "@database-specialist", "condition": "project.stack.database == 'postgresql'", "outcome": "holds"}]}"""));
        assertThat(p2.has("alternative")).isFalse();
        assertThat(json.path("tasks").fieldNames()).toIterable().containsExactly("TASK_001", "TASK_002");
        JsonNode t1 = json.path("tasks").path("TASK_001");
        assertThat(t1.path("status").asText()).isEqualTo("completed");
        assertThat(t1.path("duration_minutes").asDouble()).isEqualTo(1.5);
        assertThat(t1.path("phase_id").asInt()).isEqualTo(2);
        assertThat(t1.path("title").asText()).isEqualTo("Overview");
        assertThat(json.path("tasks").path("TASK_002").path("progress").asInt()).isEqualTo(65);
        assertThat(json.path("tiers").get(0).path("running").asInt()).isEqualTo(1);
        JsonNode handoff = json.path("handoffs").get(1);
        assertThat(handoff.path("from").asText()).isEqualTo("@database-specialist");
        assertThat(handoff.path("artifacts").path("schema.sql").path("checksum").asText()).isEqualTo(Fixtures.SHA);
        assertThat(handoff.path("status").asText()).isEqualTo("success");
        assertThat(json.path("alerts").get(0).path("severity").asText()).isEqualTo("WARNING");
        assertThat(json.path("event_count").asLong()).isEqualTo(7);
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(json)).isEmpty();
    }

    @Test
    void aFinishedStateWithTasksFailedAndNotReportedMatchesTheSchema() {
        var state = Fixtures.state("e1", "/p", "completed", 9, "{}");
        state.getTasks().get("TASK_002").setStatus("not_reported");
        state.getTasks().put("TASK_003", new io.oe.events.TaskState("TASK_003", 2, "Index", "failed", 40, null, null, null));
        JsonNode json = StateJson.state(state);
        assertThat(json.path("phases").path("2").path("elapsed_seconds").asDouble()).isEqualTo(49.0);
        assertThat(json.path("phases").path("2").path("note").asText()).startsWith("2 attempts: #1 failed");
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(json)).isEmpty();
        state.setStatus("failed"); // an execution never fails: it waits for a person, who may always act
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(StateJson.state(state))).isNotEmpty();
    }

    @Test
    void summariesCountPhasesByStatus() {
        JsonNode s = StateJson.summary(Fixtures.state("e1", "/p", "in_progress", 7, "{}"));
        assertThat(s.path("status").asText()).isEqualTo("in_progress");
        assertThat(s.path("phases_completed").asInt()).isEqualTo(2);
        assertThat(s.path("phases_total").asInt()).isEqualTo(4);
        assertThat(s.path("phase_counts").path("skipped").asInt()).isEqualTo(1);
        assertThat(s.path("phase_counts").path("in_progress").asInt()).isEqualTo(1);
        assertThat(s.path("phase_counts").path("failed").asInt()).isZero();
        assertThat(s.path("tasks_completed").asInt()).isEqualTo(1);
        assertThat(s.path("current_phases")).extracting(JsonNode::asInt).containsExactly(2);
    }

    @Test
    void logEntriesCarryTheirDetailsAsJson() {
        JsonNode log = StateJson.log("e1", List.of(Fixtures.entry("e1", 1), Fixtures.entry("e1", 2)));
        assertThat(log.path("entries").get(0).has("details")).isFalse();
        assertThat(log.path("entries").get(1).path("details").path("from").asText()).isEqualTo("ready");
        assertThat(log.path("entries").get(1).path("phase_id").asInt()).isEqualTo(2);
        assertThat(ProjectFilesTest.schema("execution-log.schema.json").validate(log)).isEmpty();
    }

    @Test
    void aPageOfTheLogSaysWhereTheNextStartsAndTheLastPageDoesNot() {
        JsonNode page = StateJson.log("e1", new LogPage(List.of(Fixtures.entry("e1", 1), Fixtures.entry("e1", 2)), 3L));
        assertThat(page.path("next_from").asLong()).isEqualTo(3);
        assertThat(StateJson.log("e1", new LogPage(List.of(Fixtures.entry("e1", 3)), null)).has("next_from")).isFalse();
        assertThat(ProjectFilesTest.schema("execution-log.schema.json").validate(page)).isEmpty();
    }

    @Test
    void aLogFileThatDoesNotStartAtTheFirstEntrySaysHowManyItLeavesOutAndWhereTheyAre() {
        JsonNode cut = StateJson.logFile("e1", List.of(Fixtures.entry("e1", 41), Fixtures.entry("e1", 42)));
        assertThat(cut.path("cut").path("earlier_entries").asLong()).isEqualTo(40);
        assertThat(cut.path("cut").path("all_entries").asText()).isEqualTo("GET /api/v1/executions/e1/log?from=1 (then from=next_from)");
        assertThat(cut.fieldNames()).toIterable().containsExactly("execution_id", "cut", "entries");
        assertThat(ProjectFilesTest.schema("execution-log.schema.json").validate(cut)).isEmpty();
        JsonNode whole = StateJson.logFile("e1", List.of(Fixtures.entry("e1", 1)));
        assertThat(whole.has("cut")).isFalse();
        assertThat(StateJson.logFile("e1", List.of()).has("cut")).as("an empty log").isFalse();
    }
}
