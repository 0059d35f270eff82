package io.oe.core.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.EngineConfig;
import io.oe.core.plan.Plan;
import io.oe.core.plan.PlanJson;
import io.oe.core.plan.RetrySettings;
import io.oe.core.scheduler.Effect.Dispatch;
import io.oe.core.scheduler.Effect.Transition;
import io.oe.core.scheduler.SchedulerInput.AgentStarted;
import io.oe.core.scheduler.SchedulerInput.AttemptSucceeded;
import io.oe.core.scheduler.SchedulerInput.Command;
import io.oe.core.scheduler.SchedulerInput.CommandKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memoized resubmission: a phase's memo (agent definition, prompt, input checksums) is taken at dispatch and kept with
 * its completed attempt; a later execution reuses the outputs of every phase whose memo is unchanged, and says why each
 * other phase runs.
 */
class SchedulerReuseTest {
    private static final String PLAN = """
            {"plan_id": "chain", "project_name": "Demo",
             "tiers": [{"name": "chain", "mode": "sequential", "phases": [1, 2, 3]}],
             "phases": [{"id": 1, "name": "One", "agent": "@one", "outputs": [{"artifact": "a.md"}]},
                        {"id": 2, "name": "Two", "agent": "@two", "inputs": [{"artifact": "a.md", "from": 1}],
                         "outputs": [{"artifact": "b.md"}]},
                        {"id": 3, "name": "Three", "agent": "@three", "inputs": [{"artifact": "b.md", "from": 2}],
                         "outputs": [{"artifact": "c.md"}]}]}
            """;
    private final Scheduler scheduler = new Scheduler(new SchedulerSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
    private final List<Effect> effects = new ArrayList<>();
    private ExecutionState state;
    private long now = 1_000_000;
    private String profileOfTwo = "p2";

    private static Map<String, String> agents(String two) {
        return Map.of("one", "---\nname: one\n---\nWrite a.", "two", two, "three", "---\nname: three\n---\nWrite c.");
    }

    private void load(String id, Map<String, String> agents, Reuse reuse) {
        Plan plan = PlanJson.plan(PlanJson.parse(PLAN));
        EngineConfig config = new EngineConfig(null, null, null, null, 3, null, null, new RetrySettings(1, 0.0), null, null,
                true).withDefaults();
        var d = scheduler.register(id, "/tmp/p", plan, PlanJson.parse("{\"project_name\": \"Demo\","
                + " \"orchestration_progress\": {\"" + id + "\": 1}}"), config, Map.of(), agents, List.of(), now, false, reuse,
                Map.of("@one", "p1", "@two", profileOfTwo, "@three", "p3"));
        state = d.state();
        effects.clear();
        apply(new Command(CommandKind.START, null, "tester", null, null, now));
    }

    private List<Effect> apply(SchedulerInput input) {
        Decision d = scheduler.handle(state, input);
        state = d.state();
        effects.addAll(d.effects());
        return d.effects();
    }

    /** A deterministic agent: the same inputs, the same output checksum. */
    private void complete(int phase) {
        int attempt = state.phase(phase).attempt();
        String sha = "sha-" + phase + "-" + state.phase(phase).attempts().get(attempt - 1).memo().inputs();
        apply(new AgentStarted(phase, attempt, "w1", ++now));
        apply(new AttemptSucceeded(phase, attempt, List.of(new Artifact(List.of("a.md", "b.md", "c.md").get(phase - 1),
                phase, "tee-output/artifacts/" + phase, sha, 1)), ++now));
    }

    /** Runs the plan to its end: the phases dispatched complete, in order. */
    private List<Integer> runToEnd() {
        List<Integer> ran = new ArrayList<>();
        while (state.status() != ExecutionStatus.COMPLETED) {
            int phase = state.phases().entrySet().stream().filter(e -> e.getValue().status() == PhaseStatus.READY)
                    .findFirst().orElseThrow(() -> new AssertionError("nothing ready: " + state.phases())).getKey();
            ran.add(phase);
            complete(phase);
        }
        return ran;
    }

    /** What the plan-loader hands a resubmission: each phase's memo from the completed transitions. */
    private Reuse reuseOf(String from, List<Effect> transitions) {
        Map<Integer, Reuse.Candidate> phases = new HashMap<>();
        transitions.stream().filter(e -> e instanceof Transition t && t.memo() != null).map(Transition.class::cast)
                .forEach(t -> phases.put(t.phaseId(), new Reuse.Candidate(t.memo(), null)));
        return new Reuse(from, phases);
    }

    private Map<Integer, String> reuseNotes() {
        Map<Integer, String> out = new HashMap<>();
        effects.stream().filter(e -> e instanceof Transition t && t.reuse() != null).map(Transition.class::cast)
                .forEach(t -> out.put(t.phaseId(), t.reuse()));
        return out;
    }

    @Test
    void aCompletedAttemptsTransitionCarriesItsMemoWithItsOutputsAndOrigin() {
        load("exec_a", agents("---\nname: two\n---\nWrite b."), null);
        assertThat(runToEnd()).containsExactly(1, 2, 3);
        Transition done2 = effects.stream().filter(e -> e instanceof Transition t && Integer.valueOf(2).equals(t.phaseId())
                && "completed".equals(t.to())).map(Transition.class::cast).findFirst().orElseThrow();
        assertThat(done2.memo().origin()).isEqualTo("execution exec_a attempt 1");
        assertThat(done2.memo().outputs()).extracting(Artifact::name).containsExactly("b.md");
        assertThat(done2.memo().inputs()).containsOnlyKeys("a.md");
        assertThat(done2.memo().fingerprint()).hasSize(64);
        assertThat(done2.reuse()).isNull(); // not a resubmission: no reuse decision to tell
    }

    @Test
    void aResubmissionWithOnePhasesAgentDefinitionChangedRunsOnlyThatPhaseAndReusesTheRest() {
        load("exec_a", agents("---\nname: two\n---\nWrite b."), null);
        runToEnd();
        Reuse reuse = reuseOf("exec_a", effects);

        load("exec_b", agents("---\nname: two\n---\nWrite b, better."), reuse);
        // phase 1 reused at once; 2 runs (its definition changed); its deterministic output is the same, so 3 is reused
        assertThat(runToEnd()).containsExactly(2);
        assertThat(state.phase(1).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.phase(1).attempts()).isEmpty();
        assertThat(state.phase(3).status()).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(state.artifacts()).containsKey("3/c.md");
        assertThat(reuseNotes()).containsEntry(1, "reused from execution exec_a attempt 1: agent definition, prompt and"
                + " input checksums unchanged").containsEntry(2, "runs: agent definition changed since execution exec_a"
                + " attempt 1").containsEntry(3, "reused from execution exec_a attempt 1: agent definition, prompt and"
                + " input checksums unchanged");
        // the reused phase's completed transition carries the earlier memo, so a later resubmission can reuse it again
        assertThat(effects).filteredOn(e -> e instanceof Transition t && Integer.valueOf(1).equals(t.phaseId()))
                .singleElement().satisfies(e -> assertThat(((Transition) e).memo().origin()).isEqualTo("execution exec_a attempt 1"));
    }

    @Test
    void aPhaseWhoseRunnerProfileChangedRunsAndSaysSo() {
        load("exec_a", agents("---\nname: two\n---\nWrite b."), null);
        runToEnd();
        Reuse reuse = reuseOf("exec_a", effects);
        profileOfTwo = "p2, with another command";
        load("exec_b", agents("---\nname: two\n---\nWrite b."), reuse);
        assertThat(runToEnd()).containsExactly(2);
        assertThat(reuseNotes()).containsEntry(2, "runs: runner profile changed since execution exec_a attempt 1");
    }

    @Test
    void aPhaseWhoseInputChangedRunsAndSaysWhichInput() {
        load("exec_a", agents("---\nname: two\n---\nWrite b."), null);
        runToEnd();
        Map<Integer, Reuse.Candidate> phases = new HashMap<>(reuseOf("exec_a", effects).phases());
        Memo two = phases.get(2).memo();
        phases.put(2, new Reuse.Candidate(new Memo(two.fingerprint(), two.agentDefinition(), two.runnerProfile(), two.prompt(),
                Map.of("a.md", "another checksum"), two.outputs(), two.origin()), null));
        phases.remove(3);
        load("exec_b", agents("---\nname: two\n---\nWrite b."), new Reuse("exec_a", phases));
        assertThat(runToEnd()).containsExactly(2, 3);
        assertThat(reuseNotes()).containsEntry(2, "runs: input a.md changed since execution exec_a attempt 1")
                .containsEntry(3, "runs: no completed attempt in execution exec_a");
    }

    @Test
    void aPhaseWhoseEarlierOutputsAreNotInTheStoreRunsAndSaysSo() {
        load("exec_a", agents("---\nname: two\n---\nWrite b."), null);
        runToEnd();
        Map<Integer, Reuse.Candidate> phases = new HashMap<>(reuseOf("exec_a", effects).phases());
        phases.put(1, new Reuse.Candidate(phases.get(1).memo(), "its output a.md from execution exec_a attempt 1 cannot be"
                + " reused: artifact tee-output/artifacts/1 is missing from the store"));
        load("exec_b", agents("---\nname: two\n---\nWrite b."), new Reuse("exec_a", phases));
        assertThat(dispatchedFirst()).isEqualTo(1);
        assertThat(reuseNotes().get(1)).isEqualTo("runs: its output a.md from execution exec_a attempt 1 cannot be reused:"
                + " artifact tee-output/artifacts/1 is missing from the store");
    }

    private int dispatchedFirst() {
        return effects.stream().filter(Dispatch.class::isInstance).map(e -> ((Dispatch) e).phaseId()).findFirst().orElseThrow();
    }

    @Test
    void theProjectPlansProgressKeyDoesNotCountAsAChangeButAFactDoes() {
        var plan = PlanJson.plan(PlanJson.parse(PLAN));
        var phase = plan.phasesById().get(1);
        ExecutionState a = state("{\"stack\": \"dotnet\", \"orchestration_progress\": {\"x\": 1}}");
        ExecutionState b = state("{\"stack\": \"dotnet\", \"orchestration_progress\": {\"x\": 2}}");
        ExecutionState c = state("{\"stack\": \"nodejs\"}");
        Memo ma = Memo.of(phase, "@one", a, List.of());
        assertThat(Memo.of(phase, "@one", b, List.of()).changesSince(ma)).isEmpty();
        assertThat(Memo.of(phase, "@one", c, List.of()).changesSince(ma)).containsExactly("prompt changed (the phase's"
                + " name, description, tasks, contracts or the project's facts)");
    }

    private static ExecutionState state(String facts) {
        Plan plan = PlanJson.plan(PlanJson.parse(PLAN));
        return new ExecutionState("e", "/p", plan, PlanJson.parse(facts), new EngineConfig(null, null, null, null, 3, null,
                null, null, null, null, true).withDefaults(), Map.of(), agents("two"), ExecutionStatus.INITIALIZED,
                new java.util.TreeMap<>(Map.of(1, PhaseRun.pending())), Map.of(), 0, null, null);
    }
}
