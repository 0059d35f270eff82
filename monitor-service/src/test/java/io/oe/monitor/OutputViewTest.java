package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.AgentOutput;
import io.oe.events.AttemptRecord;
import io.oe.events.EngineState;
import io.oe.events.OutputStream;
import io.oe.events.PhaseState;
import io.oe.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The output view (TopologyTestDriver), which attempt a request means, and the JSON it is answered with. */
class OutputViewTest {
    static AgentOutput chunk(String execution, int phase, int attempt, long seq, String text) {
        return AgentOutput.newBuilder().setExecutionId(execution).setPhaseId(phase).setAttempt(attempt)
                .setStream(OutputStream.STDOUT).setSeq(seq).setText(text).setAt(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    static List<String> texts(KeyValueStore<String, AgentOutput> view, String execution, int phase, int attempt) {
        List<String> out = new ArrayList<>();
        try (var it = view.range(OutputView.key(execution, phase, attempt, 0), OutputView.prefix(execution, phase, attempt) + "~")) {
            it.forEachRemaining(kv -> out.add(kv.value.getText()));
        }
        return out;
    }

    @Test
    void eachAttemptsChunksAreKeptInSeqOrderApartFromOtherAttemptsAndBounded() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-output-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        try (var driver = new TopologyTestDriver(MonitorTopology.build(id -> { }), props)) {
            var in = driver.createInputTopic(Topics.AGENT_OUTPUT.name(), Topics.AGENT_OUTPUT.keySerde().serializer(),
                    Topics.AGENT_OUTPUT.valueSerde().serializer());
            in.pipeInput("e1", chunk("e1", 2, 1, 1, "second\n"));
            in.pipeInput("e1", chunk("e1", 2, 1, 0, "first\n"));
            in.pipeInput("e1", chunk("e1", 2, 2, 0, "retry\n"));
            in.pipeInput("e1", chunk("e1", 12, 1, 0, "phase 12\n"));
            in.pipeInput("e10", chunk("e10", 2, 1, 0, "another execution\n"));
            in.pipeInput("e1", chunk("e2", 2, 1, 5, "filed under another execution's key\n"));
            in.pipeInput("e1", chunk("e1", 2, 1, OutputView.CHUNKS_PER_ATTEMPT, "beyond the bound\n"));
            in.pipeInput("e1", chunk("e1", 2, 1, 2, "y".repeat(OutputView.TEXT_CHARS + 10)));
            KeyValueStore<String, AgentOutput> view = driver.getKeyValueStore(OutputView.STORE);
            assertThat(texts(view, "e1", 2, 1)).containsExactly("first\n", "second\n", "y".repeat(OutputView.TEXT_CHARS));
            assertThat(texts(view, "e1", 2, 2)).containsExactly("retry\n");
            assertThat(texts(view, "e1", 12, 1)).containsExactly("phase 12\n");
            assertThat(texts(view, "e2", 2, 1)).isEmpty();
        }
    }

    @Test
    void anExecutionsOutputIsHeldByTheTaskThatHoldsItsStateSoForwardingFindsBoth() {
        var subtopologies = MonitorTopology.build(id -> { }).describe().subtopologies();
        assertThat(subtopologies).filteredOn(st -> st.nodes().stream().anyMatch(n -> n.name().equals("state-view")))
                .singleElement().satisfies(st -> assertThat(st.nodes()).extracting(n -> n.name()).contains("output-view"));
    }

    @Test
    void anExecutionsOutputIsDroppedAWeekAfterItsLastChunk() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-output-test-2");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        Instant start = Instant.now();
        try (var driver = new TopologyTestDriver(MonitorTopology.build(id -> { }), props, start)) {
            var in = driver.createInputTopic(Topics.AGENT_OUTPUT.name(), Topics.AGENT_OUTPUT.keySerde().serializer(),
                    Topics.AGENT_OUTPUT.valueSerde().serializer());
            in.pipeInput("old", AgentOutput.newBuilder(chunk("old", 1, 1, 0, "old\n")).setAt(start).build());
            KeyValueStore<String, AgentOutput> view = driver.getKeyValueStore(OutputView.STORE);
            driver.advanceWallClockTime(OutputView.KEPT.minusHours(1));
            in.pipeInput("new", AgentOutput.newBuilder(chunk("new", 1, 1, 0, "new\n")).setAt(start.plus(OutputView.KEPT)).build());
            assertThat(texts(view, "old", 1, 1)).containsExactly("old\n");
            driver.advanceWallClockTime(java.time.Duration.ofHours(2));
            assertThat(texts(view, "old", 1, 1)).isEmpty();
            assertThat(texts(view, "new", 1, 1)).containsExactly("new\n");
        }
    }

    static EngineState state(AttemptRecord... attempts) {
        PhaseState p = PhaseState.newBuilder().setId(3).setName("Build").setAgent("@b").setTier("t").setStatus("in_progress")
                .setAttempts(attempts.length).setAttemptHistory(List.of(attempts)).build();
        return EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x")
                .setStatus("in_progress").setUpdatedAt(Instant.now()).setPhases(Map.of("3", p)).build();
    }

    static AttemptRecord attempt(int n, String outcome) {
        return AttemptRecord.newBuilder().setNumber(n).setOutcome(outcome).build();
    }

    @Test
    void withoutAnAttemptTheLatestIsMeantAndAnAttemptThatDidNotHappenIsNamedAsMissing() {
        EngineState s = state(attempt(1, "failed"), attempt(2, null));
        assertThat(PhaseOutput.attempt(s, 3, null).value()).isEqualTo(new PhaseOutput.Attempt(2, false));
        assertThat(PhaseOutput.attempt(s, 3, 1).value()).isEqualTo(new PhaseOutput.Attempt(1, true));
        assertThat(PhaseOutput.attempt(s, 3, 7).problem()).isEqualTo("phase 3 of execution e1 has no attempt 7 (its attempts: 1, 2)");
        assertThat(PhaseOutput.attempt(s, 4, null).problem()).isEqualTo("execution e1 has no phase 4");
        assertThat(PhaseOutput.attempt(state(), 3, null).problem()).isEqualTo("phase 3 of execution e1 has not run yet: no attempt");
    }

    @Test
    void numbersThatAreNotNumbersOrOutOfRangeAreNamed() {
        assertThat(OutputRequest.parse("e1", "3", "x", null, null).problem()).isEqualTo("attempt 'x' is not a whole number (execution e1)");
        assertThat(OutputRequest.parse("e1", "3", null, "-1", null).problem()).isEqualTo("from -1 is out of range (at least 0) (execution e1)");
        assertThat(OutputRequest.parse("e1", "3", null, null, "5000").problem()).isEqualTo("limit 5000 is out of range (1 to 1000) (execution e1)");
        assertThat(OutputRequest.parse("e1", "0", null, null, null).problem()).startsWith("phase 0 is out of range");
        assertThat(OutputRequest.parse("e1", "3", "2", "10", "5")).isEqualTo(new OutputRequest(3, 2, 10, 5, null));
    }

    @Test
    void aPageSaysWhereToGoOnAndWhetherTheLastChunkIsInIt() {
        var attempt = new PhaseOutput.Attempt(1, true);
        JsonNode page = PhaseOutput.page("e1", 3, attempt, List.of(chunk("e1", 3, 1, 4, "<b>not html</b>\n"),
                AgentOutput.newBuilder(chunk("e1", 3, 1, 5, "")).setLast(true).build()), 4);
        assertThat(page.path("next").asLong()).isEqualTo(6);
        assertThat(page.path("complete").asBoolean()).isTrue();
        assertThat(page.path("chunks").get(0).path("text").asText()).isEqualTo("<b>not html</b>\n");
        assertThat(page.path("chunks").get(0).path("stream").asText()).isEqualTo("stdout");
        assertThat(PhaseOutput.page("e1", 3, attempt, List.of(), 9).path("next").asLong()).isEqualTo(9);
    }
}
