package io.oe.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.ProgressKind;
import io.oe.events.TransitionCause;
import java.util.Optional;
import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import io.oe.events.ModelUsage;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage from agent-result into the state: per attempt as reported, summed per phase and per agent, counted once. */
class UsageFoldTest {
    private static final String PLAN = """
            {"plan_id": "p1", "project_name": "Demo", "tiers": [{"name": "t", "mode": "parallel", "phases": [1, 2]}],
             "phases": [{"id": 1, "name": "A", "agent": "@a"}, {"id": 2, "name": "B", "agent": "@b"}]}
            """;
    private final EngineStateFold fold = new EngineStateFold();
    private final Instant t0 = Instant.parse("2026-01-13T12:00:00Z");
    private EngineState state;
    private LogEntry last;

    private Optional<EngineStateFold.Folded> apply(Object event) {
        var folded = fold.apply(state, "t", event);
        folded.ifPresent(f -> {
            state = f.state();
            last = f.entry();
        });
        return folded;
    }

    private Optional<EngineStateFold.Folded> progress(int phase, int attempt, List<ModelUsage> soFar) {
        return apply(AgentProgress.newBuilder().setExecutionId("e1").setPhaseId(phase).setAttempt(attempt)
                .setKind(ProgressKind.USAGE).setWorkerId("w1").setAt(t0.plusSeconds(1)).setUsage(soFar).build());
    }

    private static ModelUsage u(String model, long in, long out, double cost, int reports) {
        return new ModelUsage("", model, in, out, 0L, cost, reports, 0);
    }

    private void result(int phase, int attempt, List<ModelUsage> usage, List<String> problems) {
        apply(AgentResult.newBuilder().setExecutionId("e1").setPhaseId(phase).setAttempt(attempt).setAgent(phase == 1 ? "@a" : "@b")
                .setProjectDir("/p").setSuccess(true).setExitCode(0).setStartedAt(t0).setEndedAt(t0.plusSeconds(2))
                .setWorkspaceDir("/w").setUsage(usage).setUsageProblems(problems).build());
    }

    private static ModelUsage u(String model, long in, long out, double cost) {
        return new ModelUsage("", model, in, out, 0L, cost, 1, 0);
    }

    @Test
    void attemptsPhasesAndAgentsAreSummedAndAResultReadTwiceCountsOnce() {
        apply(PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1").setProjectName("Demo")
                .setProjectDir("/p").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}").setConfigJson("{}").build());
        apply(new StatusChanged("e1", 1, "pending", "ready", 1, null, "in_progress", t0, null, null, null, null, TransitionCause.UNKNOWN, null));
        result(1, 1, List.of(u("m1", 100, 10, 0.5)), List.of());
        apply(new StatusChanged("e1", 1, "in_progress", "ready", 2, null, "in_progress", t0.plusSeconds(3), null, null, null, null, TransitionCause.UNKNOWN, null));
        result(1, 2, List.of(u("m1", 200, 20, 1.0), u("m2", 5, 5, 0)), List.of("usage line \"::usage input=-1::\" refused: input=-1 is negative"));
        result(1, 2, List.of(u("m1", 200, 20, 1.0), u("m2", 5, 5, 0)), List.of()); // redelivered
        result(2, 1, List.of(u("m1", 1, 1, 0.25)), List.of());

        var phase1 = state.getPhases().get("1");
        assertThat(phase1.getAttemptHistory()).extracting(a -> a.getUsage().size()).containsExactly(1, 2);
        assertThat(phase1.getUsage()).extracting(ModelUsage::getModel, ModelUsage::getInputTokens, ModelUsage::getCostUsd,
                ModelUsage::getReports).containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 300L, 1.5, 2),
                org.assertj.core.groups.Tuple.tuple("m2", 5L, 0.0, 1));
        assertThat(state.getUsage()).extracting(ModelUsage::getAgent, ModelUsage::getModel, ModelUsage::getInputTokens)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("@a", "m1", 300L),
                        org.assertj.core.groups.Tuple.tuple("@a", "m2", 5L), org.assertj.core.groups.Tuple.tuple("@b", "m1", 1L));
        assertThat(last.getMessage()).endsWith("after 2000 ms; used 2 tokens (1 in, 1 out, 0 cached), $0.2500");
    }

    @Test
    void theLogNamesRefusedUsageLines() {
        apply(PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1").setProjectName("Demo")
                .setProjectDir("/p").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}").setConfigJson("{}").build());
        result(1, 1, List.of(), List.of("usage line \"::usage input=x::\" refused: input=x is not a whole number of tokens", "b"));
        assertThat(last.getMessage()).endsWith("; usage: usage line \"::usage input=x::\" refused: input=x is not a whole number"
                + " of tokens (and 1 more)");
        assertThat(last.getDetailsJson()).contains("\"usage_problems\":[");
        assertThat(state.getUsage()).isEmpty();
    }

    @Test
    void aRunningAttemptsUsageShowsAsItGrowsWithoutALogLineNeverLoweredAndItsResultIsFinal() {
        apply(PlanLoaded.newBuilder().setExecutionId("e1").setSubmissionId("s").setPlanId("p1").setProjectName("Demo")
                .setProjectDir("/p").setSubmittedAt(t0).setPlanJson(PLAN).setProjectPlanJson("{}").setConfigJson("{}").build());
        apply(new StatusChanged("e1", 1, "pending", "ready", 1, null, "in_progress", t0, null, null, null, null, TransitionCause.UNKNOWN, null));
        long lines = state.getEventCount();

        var folded = progress(1, 1, List.of(u("m1", 100, 10, 0.5, 1)));
        assertThat(folded).hasValueSatisfying(f -> {
            assertThat(f.entry()).as("no log line per running total").isNull();
            assertThat(f.phaseId()).isEqualTo(1);
        });
        assertThat(state.getUsage()).extracting(ModelUsage::getAgent, ModelUsage::getInputTokens)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("@a", 100L));
        progress(1, 1, List.of(u("m1", 300, 30, 1.5, 3), u("m2", 7, 0, 0, 1)));
        assertThat(state.getPhases().get("1").getUsage()).extracting(ModelUsage::getModel, ModelUsage::getInputTokens,
                ModelUsage::getReports).containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 300L, 3),
                org.assertj.core.groups.Tuple.tuple("m2", 7L, 1));
        // a reordered or lying lower figure changes nothing
        assertThat(progress(1, 1, List.of(u("m1", 200, 20, 1.0, 2)))).isEmpty();
        assertThat(state.getPhases().get("1").getUsage().get(0).getInputTokens()).isEqualTo(300L);
        assertThat(progress(9, 1, List.of(u("m1", 1, 1, 0, 1)))).as("no such phase").isEmpty();
        assertThat(state.getEventCount()).as("the audit trail's numbering is unchanged").isEqualTo(lines);

        // the result's figure replaces the running one; a running total read after it is not above it
        result(1, 1, List.of(u("m1", 320, 32, 1.6, 4), u("m2", 7, 0, 0, 1)), List.of());
        assertThat(progress(1, 1, List.of(u("m1", 300, 30, 1.5, 3)))).isEmpty();
        assertThat(state.getUsage()).extracting(ModelUsage::getModel, ModelUsage::getInputTokens, ModelUsage::getReports)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 320L, 4), org.assertj.core.groups.Tuple.tuple("m2", 7L, 1));
    }
}
