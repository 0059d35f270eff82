package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.retention.Retention;
import io.oe.events.AgentOutput;
import io.oe.events.EngineState;
import io.oe.events.ExecutionPruned;
import io.oe.events.LogEntry;
import io.oe.events.OutputStream;
import io.oe.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor decides who is pruned: a finished execution past its retention is archived, dropped and announced. */
class PrunerTest {
    private static final Duration KEPT = Duration.ofDays(30);
    private static final Instant ENDED = Fixtures.T0.plusSeconds(120); // Fixtures' completed state ends then

    @TempDir
    Path root;
    private Path project;
    private TopologyTestDriver driver;
    private TestInputTopic<String, EngineState> states;
    private TestInputTopic<String, LogEntry> log;
    private TestInputTopic<String, AgentOutput> output;
    private TestOutputTopic<String, ExecutionPruned> pruned;

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(root.resolve("proj"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-prune-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        Pruning pruning = new Pruning(new Retention(KEPT), Duration.ofMinutes(1), root.toString());
        // the wall clock starts 30 s before the completed execution is due
        driver = new TopologyTestDriver(MonitorTopology.build(id -> { }, pruning), props, ENDED.plus(KEPT).minusSeconds(30));
        states = driver.createInputTopic(Topics.ENGINE_STATE.name(), Topics.ENGINE_STATE.keySerde().serializer(),
                Topics.ENGINE_STATE.valueSerde().serializer());
        log = driver.createInputTopic(Topics.EXECUTION_LOG.name(), Topics.EXECUTION_LOG.keySerde().serializer(),
                Topics.EXECUTION_LOG.valueSerde().serializer());
        output = driver.createInputTopic(Topics.AGENT_OUTPUT.name(), Topics.AGENT_OUTPUT.keySerde().serializer(),
                Topics.AGENT_OUTPUT.valueSerde().serializer());
        pruned = driver.createOutputTopic(Topics.EXECUTION_PRUNED.name(), Topics.EXECUTION_PRUNED.keySerde().deserializer(),
                Topics.EXECUTION_PRUNED.valueSerde().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void execution(String id, String dir, String status, Instant ended) {
        EngineState s = EngineState.newBuilder(Fixtures.state(id, dir, status, 2, "{}")).setEndTime(ended).build();
        states.pipeInput(id, s);
        log.pipeInput(id, Fixtures.entry(id, 1));
        log.pipeInput(id, Fixtures.entry(id, 2));
        output.pipeInput(id, AgentOutput.newBuilder().setExecutionId(id).setPhaseId(2).setAttempt(1)
                .setStream(OutputStream.STDOUT).setSeq(0).setText("hello").setAt(Fixtures.T0).build());
    }

    private List<String> keysOf(String store) {
        KeyValueStore<String, Object> s = driver.getKeyValueStore(store);
        List<String> keys = new java.util.ArrayList<>();
        try (var it = s.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void aFinishedExecutionPastItsRetentionIsArchivedDroppedFromEveryViewAndAnnounced() throws IOException {
        execution("e1", project.toString(), "completed", ENDED);
        execution("e2", project.toString(), "in_progress", null);
        execution("e3", project.toString(), "cancelled", ENDED.plus(Duration.ofDays(1))); // ended a day later

        driver.advanceWallClockTime(Duration.ofSeconds(20));
        assertThat(pruned.isEmpty()).as("not due yet").isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(1));

        ExecutionPruned p = pruned.readValue();
        assertThat(p.getExecutionId()).isEqualTo("e1");
        assertThat(p.getStatus()).isEqualTo("completed");
        assertThat(p.getEndedAt()).isEqualTo(ENDED);
        assertThat(p.getArchive()).isEqualTo("tee-output/archive/e1.tar.gz");
        assertThat(pruned.isEmpty()).as("e2 runs, e3 is not due").isTrue();
        assertThat(keysOf(MonitorTopology.STATE_VIEW)).containsExactlyInAnyOrder("e2", "e3");
        assertThat(keysOf(MonitorTopology.LOG_VIEW)).noneMatch(k -> k.startsWith("e1/")).anyMatch(k -> k.startsWith("e2/"));
        assertThat(keysOf(OutputView.STORE)).noneMatch(k -> k.startsWith("e1/")).anyMatch(k -> k.startsWith("e3/"));
        assertThat(keysOf(OutputView.SEEN)).doesNotContain("e1");

        Map<String, String> files = untar(project.resolve("tee-output/archive/e1.tar.gz"));
        assertThat(files.keySet()).containsExactly("e1/engine-state.json", "e1/execution-log.json", "e1/report.md",
                "e1/report.html", "e1/handoffs.json");
        assertThat(files.get("e1/engine-state.json")).contains("\"execution_id\" : \"e1\"").contains("\"status\" : \"completed\"");
        assertThat(files.get("e1/execution-log.json")).contains("entry 1").contains("entry 2");
        assertThat(files.get("e1/report.md")).contains("Database");
        assertThat(files.get("e1/handoffs.json")).contains("ho_e1_12_1").contains("schema.sql");
        try (var dir = Files.list(project.resolve("tee-output/archive"))) {
            assertThat(dir.map(f -> f.getFileName().toString())).as("no temporary file left").containsExactly("e1.tar.gz");
        }
    }

    @Test
    void anExecutionWhoseProjectIsGoneIsPrunedWithoutAnArchive() {
        execution("e4", root.resolve("gone").toString(), "cancelled", ENDED);
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        ExecutionPruned p = pruned.readValue();
        assertThat(p.getExecutionId()).isEqualTo("e4");
        assertThat(p.getArchive()).isNull();
        assertThat(keysOf(MonitorTopology.STATE_VIEW)).isEmpty();
    }

    @Test
    void anExecutionWhoseArchiveCannotBeWrittenIsKeptForTheNextSweep() throws IOException {
        Files.createDirectories(project.resolve("tee-output"));
        Files.writeString(project.resolve("tee-output/archive"), "a file where the archive directory should be");
        execution("e1", project.toString(), "completed", ENDED);
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(pruned.isEmpty()).isTrue();
        assertThat(keysOf(MonitorTopology.STATE_VIEW)).containsExactly("e1");

        Files.delete(project.resolve("tee-output/archive"));
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertThat(pruned.readValue().getArchive()).isEqualTo("tee-output/archive/e1.tar.gz");
    }

    @Test
    void theProjectorsTombstoneRemovesTheExecutionFromTheView() {
        execution("e2", project.toString(), "in_progress", null);
        states.pipeInput("e2", (EngineState) null);
        assertThat(keysOf(MonitorTopology.STATE_VIEW)).isEmpty();
    }

    @Test
    void aRetentionOfZeroNegativeOrAbsurdStopsTheMonitorsStartNamingTheSettingAndNothingIsPruned() {
        MonitorTopology monitor = new MonitorTopology();
        monitor.retentionSweep = Duration.ofMinutes(10);
        monitor.projectRoot = root.toString();
        for (String bad : List.of("0", "-1", "-5d", "36500", "soon")) {
            monitor.retention = bad;
            org.assertj.core.api.Assertions.assertThatThrownBy(monitor::pruning).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("oe.retention (OE_RETENTION) = '" + bad + "'");
        }
        monitor.retention = "30d";
        assertThat(monitor.pruning().retention().kept()).isEqualTo(KEPT);
    }

    private static Map<String, String> untar(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
