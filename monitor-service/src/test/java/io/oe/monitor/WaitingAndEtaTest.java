package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.progress.ExpectedEnd;
import io.oe.core.progress.WaitingReason;
import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.TaskState;
import io.oe.events.TransitionCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Why a phase waits and when the execution should end: both read from a state alone, without Kafka. */
class WaitingAndEtaTest {
    static final Instant T0 = Instant.parse("2026-01-13T12:00:00Z");

    // 1 → (2 ∥ 3) → 4, and 5 after 4
    private final Map<String, PhaseState> phases = new LinkedHashMap<>();
    private final Map<String, TaskState> tasks = new LinkedHashMap<>();

    private PhaseState phase(int id, String status, Integer startedAt, Integer completedAt, Integer... pres) {
        PhaseState p = new PhaseState(id, "P" + id, "@a" + id, "t", status, status.equals("pending") ? 0 : 1,
                startedAt == null ? null : T0.plusSeconds(startedAt), completedAt == null ? null : T0.plusSeconds(completedAt),
                null, null, new ArrayList<>(), List.of(pres), null, List.of(), TransitionCause.UNKNOWN, null);
        phases.put(String.valueOf(id), p);
        return p;
    }

    private EngineState state(String status, int updatedAt, String config) {
        return EngineState.newBuilder().setExecutionId("e").setOrchestrationPlanId("p").setProjectName("n")
                .setProjectDir("/d").setStatus(status).setStartTime(T0).setUpdatedAt(T0.plusSeconds(updatedAt))
                .setPhases(phases).setTasks(tasks).setTiers(List.of()).setConfigJson(config).build();
    }

    @Test
    void aPendingPhaseNamesThePhasesItWaitsForAndTheirStatus() {
        phase(1, "completed", 0, 10);
        phase(2, "in_progress", 10, null, 1);
        phase(3, "skipped", null, null, 1);
        PhaseState four = phase(4, "pending", null, null, 2, 3);
        var w = WaitingFor.all(state("in_progress", 12, "{}")).get(four.getId());
        assertThat(w.kind()).isEqualTo("dependency");
        assertThat(w.phases()).containsExactly(2); // skipped 3 no longer holds it back
        assertThat(w.text()).isEqualTo("phase 2 P2 (in progress)");
    }

    @Test
    void eachOtherReasonToWaitHasItsKind() {
        phase(1, "completed", 0, 10);
        PhaseState approval = phase(2, "waiting_for_approval", null, null, 1);
        PhaseState stuck = phase(3, "waiting_for_intervention", 10, null, 1);
        PhaseState dispatched = phase(4, "ready", null, null, 1);
        PhaseState free = phase(5, "pending", null, null, 1);
        EngineState running = state("in_progress", 12, "{}");
        assertThat(WaitingFor.all(running).get(approval.getId()).text()).contains("oe approve --phase 2");
        assertThat(WaitingFor.all(running).get(stuck.getId()).kind()).isEqualTo("intervention");
        assertThat(WaitingFor.all(running).get(dispatched.getId()).kind()).isEqualTo("agent");
        assertThat(WaitingFor.all(running).get(free.getId()).kind()).isEqualTo("scheduler");
        assertThat(WaitingFor.all(state("paused", 12, "{}")).get(free.getId()).kind()).isEqualTo("paused");
        assertThat(WaitingFor.all(state("initialized", 12, "{}")).get(free.getId()).kind()).isEqualTo("start");
        assertThat(WaitingFor.all(state("in_progress", 12, "{\"max_concurrent_phases\":1}")).get(free.getId()).text())
                .isEqualTo("a free slot: 1 of max_concurrent_phases 1 are running");
        free.setReason("retry 1 of 3 at 2026-01-13T12:00:14Z (backoff 2 s)");
        free.setCause(TransitionCause.BACKOFF); // the scheduler's backoff, as its transition says
        assertThat(WaitingFor.all(running).get(free.getId())).extracting(WaitingFor::kind, WaitingFor::text)
                .containsExactly("retry", "retry 1 of 3 at 2026-01-13T12:00:14Z (backoff 2 s)");
        assertThat(WaitingFor.all(running)).doesNotContainKey(1); // completed: waits for nothing
    }

    @Test
    void phasesFreeToGoWaitForTheSchedulerOnlyAsFarAsSlotsAreFreeAndTheRestForASlot() {
        // 3 of max 3 were running; one just completed and the scheduler has not dispatched the next one yet
        phase(1, "completed", 0, 10);
        phase(2, "in_progress", 10, null, 1);
        phase(3, "in_progress", 10, null, 1);
        phase(4, "completed", 10, 20, 1);
        PhaseState five = phase(5, "pending", null, null, 1);
        PhaseState six = phase(6, "pending", null, null, 1);
        PhaseState seven = phase(7, "pending", null, null, 1);
        var waiting = WaitingFor.all(state("in_progress", 21, "{\"max_concurrent_phases\": 3}"));
        assertThat(waiting.get(five.getId())).extracting(WaitingFor::kind, WaitingFor::text).containsExactly("scheduler",
                "the scheduler to dispatch it (its prerequisites have ended and a slot is free)");
        assertThat(waiting.get(six.getId())).extracting(WaitingFor::kind, WaitingFor::text).containsExactly("slot",
                "a free slot: 2 of max_concurrent_phases 3 are running and 1 more is about to start");
        assertThat(waiting.get(seven.getId()).kind()).isEqualTo("slot");
    }

    @Test
    void theConfigGivenWithStartDecidesTheSlots() {
        phase(1, "in_progress", 0, null);
        PhaseState two = phase(2, "pending", null, null);
        // init said 3, START said 1 (the projector keeps START's config, as the scheduler does)
        assertThat(WaitingFor.all(state("in_progress", 1, "{\"max_concurrent_phases\": 1}")).get(two.getId()).kind())
                .isEqualTo("slot");
        assertThat(WaitingFor.all(state("in_progress", 1, "{\"max_concurrent_phases\": 3}")).get(two.getId()).kind())
                .isEqualTo("scheduler");
    }

    @Test
    void everyKindOfWaitingIsTheOneTheArchitectureDocumentNamesAndTheStartHintIsACommandThatExists() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/architecture.md"));
        String section = doc.substring(doc.indexOf("## What readers see"), doc.indexOf("## The state machine"));
        for (WaitingReason.Kind k : WaitingReason.Kind.values()) {
            assertThat(section).as("docs/architecture.md names the kind %s", k.json()).contains("`" + k.json() + "`");
        }
        PhaseState p = phase(1, "pending", null, null);
        assertThat(WaitingFor.all(state("initialized", 0, "{}")).get(p.getId()).text())
                .isEqualTo("the execution to be started (oe execute)");
        assertThat(Eta.of(state("initialized", 0, "{}")).waiting()).contains("(oe execute)");
    }

    @Test
    void theEstimateFollowsTheLongestRemainingPathAtTheMeanDuration() {
        phase(1, "completed", 0, 10); // 10 s
        phase(2, "completed", 10, 30, 1); // 20 s → mean 15 s
        phase(3, "in_progress", 10, null, 1); // 5 s in at t=15: 10 s left
        phase(4, "pending", null, null, 2, 3); // 15
        phase(5, "pending", null, null, 4); // 15
        phase(6, "pending", null, null, 1); // 15, beside the rest
        ExpectedEnd eta = Eta.of(state("in_progress", 15, "{}"));
        assertThat(eta.remainingSeconds()).isEqualTo(40.0); // 10 + 15 + 15
        assertThat(eta.estimatedEnd()).isEqualTo(T0.plusSeconds(55));
        assertThat(eta.basis()).startsWith("mean of 2 completed phase(s), 15.0 s each");
    }

    @Test
    void aRunningPhaseReportingProgressIsEstimatedFromIt() {
        phase(1, "completed", 0, 100);
        phase(2, "in_progress", 100, null, 1);
        tasks.put("T1", new TaskState("T1", 2, "a", "completed", 100, T0, T0, null));
        tasks.put("T2", new TaskState("T2", 2, "b", "in_progress", 0, T0, null, null)); // average 50 %
        EngineState s = state("in_progress", 130, "{}"); // 30 s in, half done
        assertThat(Eta.of(s).remainingSeconds()).isEqualTo(30.0);
        assertThat(Eta.of(s).phaseEnds().get(2)).isEqualTo(T0.plusSeconds(160));
        assertThat(Eta.of(s).phaseEnds().get(1)).isNull(); // not running
    }

    @Test
    void noEstimateBeforeAPhaseCompletesAndNoneLeftAfterTheEnd() {
        phase(1, "in_progress", 0, null);
        EngineState early = state("in_progress", 5, "{}");
        assertThat(Eta.of(early)).extracting(ExpectedEnd::remainingSeconds, ExpectedEnd::estimatedEnd).containsExactly(null, null);
        assertThat(Eta.of(early).phaseEnds().get(1)).isNull();
        EngineState done = state("completed", 9, "{}");
        done.setEndTime(T0.plusSeconds(9));
        assertThat(Eta.of(done)).extracting(ExpectedEnd::remainingSeconds, ExpectedEnd::estimatedEnd).containsExactly(0.0, T0.plusSeconds(9));
    }

    @Test
    void whileAPersonIsAwaitedTheEstimateSaysWhatForInsteadOfAnEnd() {
        phase(1, "completed", 0, 10);
        phase(7, "waiting_for_intervention", 10, null, 1);
        phase(8, "pending", null, null, 7);
        ExpectedEnd eta = Eta.of(state("in_progress", 12, "{}"));
        assertThat(eta.waiting()).isEqualTo("waiting for a person: phase 7 needs intervention");
        assertThat(eta.estimatedEnd()).as("no end can be known").isNull();
        assertThat(eta.remainingSeconds()).as("the work left once they act").isEqualTo(20.0);
        assertThat(eta.basis()).endsWith("time waiting for a person not included");

        phase(2, "waiting_for_approval", null, null, 1);
        phase(3, "waiting_for_approval", null, null, 1);
        assertThat(Eta.of(state("paused", 12, "{}")).waiting()).isEqualTo("waiting for a person: the execution is paused"
                + " (oe resume); phase 7 needs intervention; phases 2 and 3 need approval");
    }

    @Test
    void aPhaseWhoseOutputsWaitForReviewWaitsForAPersonAndSaysWhatTheyCanDo() {
        phase(1, "completed", 0, 10);
        phase(2, "waiting_for_review", 10, 20, 1);
        phase(3, "pending", null, null, 2);
        EngineState s = state("in_progress", 25, "{}");
        assertThat(WaitingFor.all(s).get(2)).extracting(WaitingFor::kind, WaitingFor::text).containsExactly("review",
                "a person to review its outputs (oe review --phase 2 --approve | --reject | --replace)");
        assertThat(WaitingFor.all(s).get(3).text()).isEqualTo("phase 2 P2 (waiting for review)");
        assertThat(Eta.of(s).waiting()).isEqualTo("waiting for a person: phase 2 needs review");
    }

    @Test
    void manyPhasesWaitingForAPersonAreCountedNotAllNamed() {
        phase(1, "completed", 0, 10);
        for (int id = 2; id <= 41; id++) {
            phase(id, "waiting_for_approval", null, null, 1);
        }
        assertThat(Eta.of(state("in_progress", 12, "{}")).waiting())
                .isEqualTo("waiting for a person: phases 2, 3, 4, 5, 6 and 35 more need approval");
    }

    @Test
    void nothingIsSaidToWaitForAPersonWhenNoOneIsAwaitedOrTheExecutionEnded() {
        phase(1, "completed", 0, 10);
        phase(2, "in_progress", 10, null, 1);
        assertThat(Eta.of(state("in_progress", 12, "{}")).waiting()).isNull();
        phase(2, "waiting_for_intervention", 10, null, 1);
        EngineState cancelled = state("cancelled", 12, "{}");
        cancelled.setEndTime(T0.plusSeconds(12));
        assertThat(Eta.of(cancelled).waiting()).isNull();
    }

    @Test
    void theStateJsonCarriesBothAndStillMatchesItsSchema() {
        phase(1, "completed", 0, 10);
        phase(2, "pending", null, null, 1, 3);
        phase(3, "in_progress", 10, null, 1);
        var json = StateJson.state(state("in_progress", 12, "{}"));
        assertThat(json.path("phases").path("2").path("waiting_for").path("text").asText()).isEqualTo("phase 3 P3 (in progress)");
        assertThat(json.path("phases").path("2").path("prerequisites")).hasSize(2);
        assertThat(json.path("eta").path("estimated_end").asText()).isEqualTo("2026-01-13T12:00:30Z"); // 12 + 8 + 10
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(json)).isEmpty();
        phase(3, "waiting_for_intervention", 10, null, 1);
        var waiting = StateJson.state(state("in_progress", 12, "{}"));
        assertThat(waiting.path("eta").path("waiting").asText()).isEqualTo("waiting for a person: phase 3 needs intervention");
        assertThat(waiting.path("eta").path("estimated_end").isNull()).isTrue();
        assertThat(ProjectFilesTest.schema("engine-state.schema.json").validate(waiting)).isEmpty();
    }
}
