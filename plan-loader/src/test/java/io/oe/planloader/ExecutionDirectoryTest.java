package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.BudgetLimit;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.ExecutionDirectoryEntry;
import io.oe.events.Memo;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The directory's entry holds what a start would otherwise read from the whole of execution-status. */
class ExecutionDirectoryTest {
    private static final PlanLoaded LOADED = PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1")
            .setProjectName("Demo").setProjectDir("/tmp/demo").setSubmittedAt(Instant.EPOCH)
            .setPlanJson("{\"plan_id\": \"p1\", \"project_name\": \"Demo\", \"tiers\": [{\"name\": \"t\", \"mode\":"
                    + " \"sequential\", \"phases\": [1, 2]}], \"phases\": [{\"id\": 1, \"name\": \"A\", \"agent\": \"@a\"},"
                    + " {\"id\": 2, \"name\": \"B\", \"agent\": \"@b\"}]}").setProjectPlanJson("{}")
            .setConfigJson("{\"budget\": {\"phase\": {\"tokens\": 2000}}}").build();
    private static final Memo MEMO = Memo.newBuilder().setFingerprint("f").setAgentDefinitionSha256("a").setRunnerProfileSha256("r")
            .setPromptSha256("p").setInputs(Map.of()).setOutputs(List.of()).setOrigin("execution e1 attempt 1").build();

    private static StatusChanged transition(Integer phase, String from, String to, String execution, String budgetJson, Memo memo) {
        return new StatusChanged("e1", phase, from, to, 1, null, execution, Instant.EPOCH, null, memo, null, budgetJson,
                TransitionCause.UNKNOWN, null);
    }

    private static ExecutionDirectory ran() {
        ExecutionDirectory d = new ExecutionDirectory();
        d.apply(LOADED);
        d.apply(transition(null, "initialized", "in_progress", "in_progress", "{\"phase\": {\"tokens\": 5000}}", null));
        d.apply(transition(1, "in_progress", "completed", "in_progress", null, MEMO));
        d.apply(transition(2, "pending", "ready", "in_progress", null, null));
        return d;
    }

    @Test
    void anEntryReadBeforeItsPlanLoadedGivesTheExecutionAsItWasWhenTheEntryWasWritten() {
        ExecutionDirectoryEntry entry = ran().entry("e1").orElseThrow();

        ExecutionDirectory restarted = new ExecutionDirectory();
        restarted.apply(entry); // the two compacted topics are read side by side: the entry may come first
        restarted.apply(LOADED);

        var known = restarted.find("e1", Duration.ZERO).orElseThrow();
        assertThat(known.status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
        assertThat(known.phases()).containsEntry(1, PhaseStatus.COMPLETED).containsEntry(2, PhaseStatus.READY);
        assertThat(known.memos()).containsEntry(1, MEMO);
        assertThat(restarted.budget("e1").forPhase(2)).isEqualTo(new BudgetLimit(5000L, null));
    }

    @Test
    void aTransitionReadAfterTheEntryStillApplies() {
        ExecutionDirectory restarted = new ExecutionDirectory();
        restarted.apply(LOADED);
        restarted.apply(ran().entry("e1").orElseThrow());
        restarted.apply(transition(2, "ready", "completed", "completed", null, null));
        var known = restarted.find("e1", Duration.ZERO).orElseThrow();
        assertThat(known.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(known.phases()).containsEntry(2, PhaseStatus.COMPLETED);
    }

    @Test
    void anUnknownExecutionHasNoEntry() {
        assertThat(new ExecutionDirectory().entry("nope")).isEmpty();
    }
}
