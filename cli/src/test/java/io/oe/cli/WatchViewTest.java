package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatchViewTest {
    @Test
    void rendersTheSeedsProgressView() throws Exception {
        var state = Json.MAPPER.readTree("""
                {"execution_id": "e1", "project_name": "MyApp", "status": "in_progress", "start_time": "2026-01-13T12:00:00Z",
                 "current_phases": [13], "eta": {"remaining_seconds": 95.0, "estimated_end": "2026-01-13T12:31:40Z", "basis": "b"},
                 "schedule": {"on_track": true, "elapsed_seconds": 1805, "estimate_seconds": 2400, "text": "On track: 30 min of an estimated 40 min"},
                 "tiers": [{"name": "orchestration", "mode": "sequential", "phases": [1,2,3,4,5,6,7,8], "completed": 8, "skipped": 0, "running": 0, "failed": 0},
                           {"name": "architecture", "mode": "conditional", "phases": [9, 11], "completed": 1, "skipped": 1, "running": 0, "failed": 0},
                           {"name": "implementation", "mode": "parallel", "phases": [12, 13, 14], "completed": 2, "skipped": 0, "running": 1, "failed": 0}],
                 "phases": {"13": {"agent": "@nodejs-specialist", "status": "in_progress", "attempts": 1},
                            "15": {"agent": "@devops", "status": "waiting_for_approval", "reason": "waits for approval (oe approve --phase 15)",
                                   "waiting_for": {"kind": "approval", "phases": [], "text": "approval by a person (oe approve --phase 15)"}},
                            "16": {"agent": "@doc", "status": "pending",
                                   "waiting_for": {"kind": "dependency", "phases": [13], "text": "phase 13 Backend (in progress)"}},
                            "18": {"agent": "@react", "status": "pending",
                                   "waiting_for": {"kind": "slot", "phases": [], "text": "a free slot: 3 of max_concurrent_phases 3 are running"}},
                            "17": {"agent": "@qa", "status": "pending",
                                   "waiting_for": {"kind": "dependency", "phases": [16], "text": "phase 16 Docs (pending)"}}},
                 "tasks": {"TASK_019": {"phase_id": 13, "status": "in_progress", "progress": 65},
                           "TASK_020": {"phase_id": 13, "status": "completed", "progress": 100}}}
                """);
        var log = Json.MAPPER.readTree("{\"entries\": [{\"at\": \"2026-01-13T12:45:00Z\", \"message\": \"TASK_001 completed 100%\"}]}");
        var lines = WatchView.render(state, log, Instant.parse("2026-01-13T12:30:05Z"));
        assertThat(lines.get(0)).startsWith("Execution e1  MyApp  IN_PROGRESS  30:05  ETA ").endsWith(" (1 min 35 s left)");
        assertThat(lines).contains(
                "├─ orchestration   1-8    ██████████████ (8/8 done)",
                "├─ architecture    9-11   ██████████████ (2/2 done, 1 skipped)",
                "├─ implementation  12-14  █████████▒▒▒▒▒ (1/3 executing)",
                "├─ Phase 13: @nodejs-specialist in_progress (attempt 1)  1/2 tasks",
                "│   TASK_019   ███████░░░  65%",
                "│   TASK_020   ██████████ 100%",
                "└─ Status: On track: 30 min of an estimated 40 min",
                "├─ Phase 15: @devops waits for approval by a person (oe approve --phase 15)",
                "├─ Phase 16: @doc waits for phase 13 Backend (in progress)",
                "├─ Phase 18: @react waits for a free slot: 3 of max_concurrent_phases 3 are running",
                "├─ 12:45:00 - TASK_001 completed 100%");
        // a phase two steps away is not listed: only people, pauses, slots and the phases next in line
        assertThat(lines).noneMatch(l -> l.contains("Phase 17"));
        assertThat(lines.indexOf("Waiting")).isGreaterThan(lines.indexOf("Current Execution"));
    }

    @Test
    void usageIsShownInTheMonitorsWordsForTheExecutionAndEachRunningPhase() throws Exception {
        var state = Json.MAPPER.readTree("""
                {"execution_id": "e1", "project_name": "MyApp", "status": "in_progress", "current_phases": [3], "tiers": [],
                 "usage": {"reports": 3, "text": "2,155 tokens (1,350 in, 305 out, 500 cached), $0.0143",
                           "by_agent": [{"agent": "@a", "text": "1 tokens"}, {"agent": "@b", "text": "2 tokens"}]},
                 "phases": {"3": {"id": 3, "name": "Build", "agent": "@a", "status": "in_progress", "attempts": 2,
                                  "usage": {"reports": 1, "text": "1 tokens (1 in, 0 out, 0 cached), $0.0000"}}},
                 "tasks": {}}
                """);
        var lines = WatchView.render(state, Json.MAPPER.readTree("{\"entries\": []}"), Instant.parse("2026-01-13T12:01:00Z"));
        assertThat(lines).contains("Usage 2,155 tokens (1,350 in, 305 out, 500 cached), $0.0143",
                "├─ Phase 3: @a in_progress (attempt 2)  0/0 tasks  1 tokens (1 in, 0 out, 0 cached), $0.0000");
        String status = StatusFormatter.format(state);
        assertThat(status).contains("usage:    2,155 tokens (1,350 in, 305 out, 500 cached), $0.0143\n",
                "  @a                         1 tokens\n", "      usage: 1 tokens (1 in, 0 out, 0 cached), $0.0000\n");
    }

    @Test
    void theBudgetIsShownBesideTheUsageInTheMonitorsWordsForTheExecutionAndEachRunningPhase() throws Exception {
        var state = Json.MAPPER.readTree("""
                {"execution_id": "e1", "project_name": "MyApp", "status": "in_progress", "current_phases": [3], "tiers": [],
                 "usage": {"reports": 3, "total_tokens": 1234, "text": "1,234 tokens (1,000 in, 234 out, 0 cached), $0.0100"},
                 "budget": {"execution": {"tokens": 5000}, "phase": {"tokens": 2000}, "phases": {"3": {"tokens": 3000}}},
                 "budget_use": {"tokens": {"used": 1234, "limit": 5000, "percent": 25}, "text": "tokens 1,234 of 5,000 (25 %)"},
                 "phases": {"3": {"id": 3, "name": "Build", "agent": "@a", "status": "in_progress", "attempts": 1,
                                  "usage": {"reports": 3, "text": "1,234 tokens (1,000 in, 234 out, 0 cached), $0.0100"},
                                  "budget_use": {"text": "tokens 1,234 of 3,000 (41 %)"}},
                            "4": {"id": 4, "name": "Test", "agent": "@b", "status": "pending", "attempts": 0,
                                  "budget_use": {"text": "tokens 0 of 2,000 (0 %)"}}},
                 "tasks": {}}
                """);
        var lines = WatchView.render(state, Json.MAPPER.readTree("{\"entries\": []}"), Instant.parse("2026-01-13T12:01:00Z"));
        assertThat(lines).contains("Budget tokens 1,234 of 5,000 (25 %)", "├─ Phase 3: @a in_progress (attempt 1)  0/0 tasks"
                + "  1,234 tokens (1,000 in, 234 out, 0 cached), $0.0100  budget tokens 1,234 of 3,000 (41 %)");
        String status = StatusFormatter.format(state);
        assertThat(status).contains("budget:   execution tokens 1,234 of 5,000 (25 %); each phase 2,000 tokens;"
                + " phase 3 3,000 tokens\n", "      budget: tokens 1,234 of 3,000 (41 %)\n");
        assertThat(status).as("a phase that used nothing").doesNotContain("tokens 0 of 2,000");
    }

    @Test
    void whileAPersonIsAwaitedTheHeadlineSaysWhatForInsteadOfATime() throws Exception {
        var state = Json.MAPPER.readTree("""
                {"execution_id": "e1", "project_name": "MyApp", "status": "waiting_for_intervention",
                 "start_time": "2026-01-13T12:00:00Z", "eta": {"remaining_seconds": 0.0, "estimated_end": null, "basis": "b",
                 "waiting": "waiting for a person: phase 7 needs intervention"}, "tiers": [], "phases": {}, "tasks": {}}
                """);
        var lines = WatchView.render(state, Json.MAPPER.readTree("{\"entries\": []}"), Instant.parse("2026-01-13T12:01:00Z"));
        assertThat(lines.get(0)).endsWith("01:00  waiting for a person: phase 7 needs intervention").doesNotContain("left");
    }
}
