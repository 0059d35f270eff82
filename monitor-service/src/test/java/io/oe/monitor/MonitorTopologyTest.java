package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.EngineState;
import io.oe.events.LogEntry;
import io.oe.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class MonitorTopologyTest {
    @Test
    void viewsHoldTheLatestStateAndTheLogInOrderAndEveryChangeIsAnnounced() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        List<String> changed = new ArrayList<>();
        try (var driver = new TopologyTestDriver(MonitorTopology.build(changed::add), props)) {
            var states = driver.createInputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().serializer(),
                    Topics.ENGINE_STATE.valueSerde().serializer());
            var log = driver.createInputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().serializer(),
                    Topics.EXECUTION_LOG.valueSerde().serializer());
            Instant now = Instant.now();
            EngineState s = EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x")
                    .setStatus("in_progress").setUpdatedAt(now).build();
            states.pipeInput("e1", s);
            states.pipeInput("e1", EngineState.newBuilder(s).setStatus("completed").build());
            for (long seq = 12; seq >= 1; seq -= 11) { // out of order on purpose: the view sorts by seq
                log.pipeInput("e1", new LogEntry("e1", seq, now, "t", "x", null, null, "entry " + seq, null));
            }
            log.pipeInput("e2", new LogEntry("e2", 1L, now, "t", "x", null, null, "other execution", null));
            KeyValueStore<String, EngineState> view = driver.getKeyValueStore(MonitorTopology.STATE_VIEW);
            assertThat(view.get("e1").getStatus()).isEqualTo("completed");
            KeyValueStore<String, LogEntry> logView = driver.getKeyValueStore(MonitorTopology.LOG_VIEW);
            List<String> e1 = new ArrayList<>();
            try (var it = logView.range(MonitorTopology.logKey("e1", 0), "e1/~")) {
                it.forEachRemaining(kv -> e1.add(kv.value.getMessage()));
            }
            assertThat(e1).containsExactly("entry 1", "entry 12");
            assertThat(changed).containsExactly("e1", "e1", "e1", "e1", "e2");
        }
    }

    @Test
    void theLogViewKeepsEveryEntryPagedInOrderAndATerminalStateIsAnnounced() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test-2");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        List<String> events = new ArrayList<>();
        MonitorTopology.Listener listener = new MonitorTopology.Listener() {
            @Override
            public void changed(String id) {
                events.add("changed " + id);
            }

            @Override
            public void finished(String id) {
                events.add("finished " + id);
            }
        };
        try (var driver = new TopologyTestDriver(MonitorTopology.build(listener), props)) {
            var states = driver.createInputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().serializer(),
                    Topics.ENGINE_STATE.valueSerde().serializer());
            var log = driver.createInputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().serializer(),
                    Topics.EXECUTION_LOG.valueSerde().serializer());
            Instant now = Instant.now();
            int total = 1_234;
            for (long seq = 1; seq <= total; seq++) {
                log.pipeInput("e1", new LogEntry("e1", seq, now, "t", "x", null, null, "entry " + seq, null));
            }
            log.pipeInput("e2", new LogEntry("e2", 1L, now, "t", "x", null, null, "e2 entry", null));
            KeyValueStore<String, LogEntry> logView = driver.getKeyValueStore(MonitorTopology.LOG_VIEW);
            List<Long> seqs = new ArrayList<>();
            try (var it = logView.range(MonitorTopology.logKey("e1", 0), "e1/~")) {
                it.forEachRemaining(kv -> seqs.add(kv.value.getSeq()));
            }
            assertThat(seqs).hasSize(total);
            assertThat(seqs.get(0)).isEqualTo(1L);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo((long) total);
            // pages of 500 from seq 1: each says where the next starts, the last says nothing
            LogPage first = LogPage.read(logView, "e1", 1, 500);
            assertThat(first.entries()).hasSize(500);
            assertThat(first.nextFrom()).isEqualTo(501L);
            LogPage third = LogPage.read(logView, "e1", 1_001, 500);
            assertThat(third.entries()).extracting(LogEntry::getSeq).startsWith(1_001L).endsWith((long) total)
                    .hasSize(total - 1_000);
            assertThat(third.nextFrom()).isNull();
            assertThat(LogPage.read(logView, "e1", total, 1).nextFrom()).as("a full last page").isNull();
            assertThat(LogPage.read(logView, "e1", 1, 0).entries()).as("a page holds at least one entry").hasSize(1);
            assertThat(LogPage.read(logView, "e1", 1, Integer.MAX_VALUE).entries()).as("at most a page's worth")
                    .hasSizeLessThanOrEqualTo(LogPage.MAX_ENTRIES);
            assertThat(LogPage.read(logView, "e2", 0, 10).entries()).extracting(LogEntry::getMessage).containsExactly("e2 entry");
            assertThat(logView.get(MonitorTopology.logKey("e2", 1)).getMessage()).isEqualTo("e2 entry");

            events.clear();
            EngineState s = EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x")
                    .setStatus("in_progress").setUpdatedAt(now).build();
            states.pipeInput("e1", s);
            states.pipeInput("e1", EngineState.newBuilder(s).setStatus("cancelled").build());
            assertThat(events).containsExactly("changed e1", "finished e1");
        }
    }

    @Test
    void aStateRecordsTraceContextIsToldBeforeItsChangeAndAGarbageOneIsIgnored() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test-3");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        List<String> events = new ArrayList<>();
        MonitorTopology.Listener listener = new MonitorTopology.Listener() {
            @Override
            public void changed(String id) {
                events.add("changed " + id);
            }

            @Override
            public void traced(String id, io.opentelemetry.api.trace.SpanContext fold) {
                events.add("traced " + id + " " + fold.getSpanId());
            }
        };
        try (var driver = new TopologyTestDriver(MonitorTopology.build(listener), props)) {
            var states = driver.createInputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().serializer(),
                    Topics.ENGINE_STATE.valueSerde().serializer());
            EngineState s = EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x")
                    .setStatus("in_progress").setUpdatedAt(Instant.now()).build();
            var fold = io.oe.service.traces.ExecutionSpans.phase("e1", 2);
            states.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("e1", s, io.oe.service.traces.TraceHeaders.write(
                    new org.apache.kafka.common.header.internals.RecordHeaders(), fold), Instant.now()));
            var garbage = new org.apache.kafka.common.header.internals.RecordHeaders();
            garbage.add(io.oe.service.traces.TraceHeaders.TRACEPARENT, "not-a-traceparent".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            states.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("e1", s, garbage, Instant.now()));
            states.pipeInput("e1", s);
            assertThat(events).containsExactly("traced e1 " + fold.getSpanId(), "changed e1", "changed e1", "changed e1");
        }
    }
}
