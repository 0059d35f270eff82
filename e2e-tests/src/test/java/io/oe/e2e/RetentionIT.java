package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.command;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.cli.Api;
import io.oe.deploy.LocalStack;
import io.oe.events.ExecutionPruned;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data that ages out, on the real broker with real agent processes and a retention of seconds (OE_RETENTION): a
 * finished execution is archived into its project and gone from the monitor's REST, the projector's and the
 * scheduler's stores and the plan-loader's directory, while a running one is untouched; a restarted plan-loader reads
 * the live executions, not the history.
 */
class RetentionIT {
    static final Duration RETENTION = Duration.ofSeconds(8);
    static final Duration WAIT = Duration.ofSeconds(90);
    static E2eStack env;

    @BeforeAll
    static void startStack() {
        env = E2eStack.start("RetentionIT", List.copyOf(LocalStack.SERVICES.keySet()), (root, options) -> options
                .env("OE_RETENTION", RETENTION.toSeconds() + "s").env("OE_RETENTION_SWEEP", "1s")
                // one plan-loader: its restart reads execution-status from its last commit exactly
                .env("OE_DIRECTORY_REPLAY_MARGIN", "0s")
                .runnersFile(new TestRunners().command("noop", "/bin/true").command("slow", "/bin/sleep", "600")
                        .agent("@noop", "noop").agent("@slow", "slow").write(root.resolve("runners.json"))));
    }

    @AfterAll
    static void stopStack() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aFinishedExecutionIsArchivedThenPrunedEverywhereWhileARunningOneIsUntouched() throws Exception {
        Api api = env.api();
        TestProject finished = new TestProject(env.root, "finished").tier("t", "sequential", 1, 2);
        finished.phase(1, "@noop");
        finished.phase(2, "@noop");
        String done = finished.submit(api);
        TestProject running = new TestProject(env.root, "running").tier("t", "sequential", 1);
        running.phase(1, "@slow");
        String live = running.submit(api);
        await(api, done, execution("completed"), WAIT, "completion");
        await(api, live, phaseIs(1, "in_progress"), WAIT, "its agent running");

        // the monitor prunes it once the retention has passed since its end, archived first
        Path archive = env.root.resolve("finished/tee-output/archive/" + done + ".tar.gz");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (api.state(done).status() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(api.state(done).status()).as("the monitor's REST after the prune").isEqualTo(404);
        assertThat(archive).isRegularFile();
        Path unpacked = Files.createDirectories(env.dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path files = unpacked.resolve(done);
        assertThat(Files.readString(files.resolve("engine-state.json"))).contains("\"status\" : \"completed\"");
        assertThat(Files.readString(files.resolve("execution-log.json"))).contains("execution_completed");
        assertThat(Files.readString(files.resolve("report.md"))).contains("Phase 2");
        assertThat(Files.readString(files.resolve("handoffs.json"))).contains("\"phase_id\" : 2").contains("success");
        assertThat(files.resolve("report.html")).isRegularFile();
        try (var left = Files.list(archive.getParent())) {
            assertThat(left.map(f -> f.getFileName().toString())).as("no temporary file beside it").containsExactly(done + ".tar.gz");
        }

        List<ExecutionPruned> pruned = env.events(Topics.EXECUTION_PRUNED, done);
        assertThat(pruned).singleElement().satisfies(p -> {
            assertThat(p.getStatus()).isEqualTo("completed");
            assertThat(p.getArchive()).isEqualTo("tee-output/archive/" + done + ".tar.gz");
            assertThat(p.getPrunedAt()).isAfterOrEqualTo(p.getEndedAt().plus(RETENTION));
        });
        assertThat(env.events(Topics.EXECUTION_PRUNED, live)).as("the running execution").isEmpty();

        // every store forgot it: each key of the execution ends in a tombstone in its changelog or compacted topic
        String bootstrap = env.broker.bootstrapServers();
        awaitGone(bootstrap, KafkaAccess.SCHEDULER_APPLICATION + "-executions-changelog", done, "the scheduler's store");
        awaitGone(bootstrap, KafkaAccess.PROJECTOR_APPLICATION + "-engine-state-store-changelog", done, "the projector's store");
        awaitGone(bootstrap, Topics.ENGINE_STATE.name(), done, "engine-state");
        awaitGone(bootstrap, Topics.PLAN_LOADED.name(), done, "plan-loaded");
        awaitGone(bootstrap, Topics.EXECUTION_DIRECTORY.name(), done, "the plan-loader's directory");
        assertThat(lastValues(bootstrap, KafkaAccess.SCHEDULER_APPLICATION + "-executions-changelog", live))
                .as("the running execution in the scheduler's store").containsKey("h/" + live).doesNotContainValue(null);
        // the plan-loader no longer knows it: a command is refused as for an unknown execution
        assertThat(api.command(done, command("RERUN", 1)).status()).isEqualTo(404);

        // a restarted plan-loader reads the live executions, not the history, and still knows the running one
        Thread.sleep(6_000); // the directory commits every 5 s: nothing happened since the prune
        long statusRecords = countRecords(bootstrap, Topics.EXECUTION_STATUS.name());
        env.stack.restart("plan-loader");
        Map<String, Long> read = readAtStart(env.stack.logFile("plan-loader"));
        System.out.printf("[e2e] RetentionIT: the plan-loader's directory read at start %s%n", read);
        // plan-loaded: the live one, the pruned one and its tombstone, until the broker compacts them (not within a
        // test: the active segment is never compacted)
        assertThat(read.getOrDefault(Topics.PLAN_LOADED.name(), 0L)).as("plan-loaded records read at start").isLessThanOrEqualTo(3);
        System.out.printf("[e2e] RetentionIT: execution-status holds %d records%n", statusRecords);
        assertThat(statusRecords).as("execution-status's history").isGreaterThan(8);
        assertThat(read.getOrDefault(Topics.EXECUTION_STATUS.name(), 0L)).as("execution-status records read at start")
                .isZero();
        assertThat(read.getOrDefault(Topics.EXECUTION_DIRECTORY.name(), 0L)).as("directory entries read at start")
                .isLessThanOrEqualTo(read.getOrDefault(Topics.PLAN_LOADED.name(), 0L) * 4); // the active segment is not compacted
        assertThat(api.command(live, command("CANCEL", null)).status()).as("CANCEL of the running one").isEqualTo(202);
        await(api, live, execution("cancelled"), WAIT, "its cancellation");
        assertThat(api.command(done, command("RERUN", 1)).status()).isEqualTo(404);
    }

    /** The last line the directory logs once caught up after a start: how many records of each topic it read. */
    static Map<String, Long> readAtStart(Path log) throws Exception {
        Pattern line = Pattern.compile("directory: \\d+ live executions, read at start in \\d+ ms: \\{(.*)}");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Long> last = null;
            for (String l : Files.readAllLines(log)) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    last = new HashMap<>();
                    for (String kv : m.group(1).split(",\\s*")) {
                        if (!kv.isBlank()) {
                            last.put(kv.substring(0, kv.indexOf('=')).strip(), Long.parseLong(kv.substring(kv.indexOf('=') + 1).strip()));
                        }
                    }
                }
            }
            if (last != null && Files.readAllLines(log).stream().filter(l -> line.matcher(l).find()).count() >= 2) {
                return last; // the second start's line (the first is the stack's own start)
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the plan-loader never said what its directory read at start: " + log);
    }

    private static void awaitGone(String bootstrap, String topic, String executionId, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, byte[]> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = lastValues(bootstrap, topic, executionId);
            if (!last.isEmpty() && last.values().stream().allMatch(v -> v == null)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + " still holds " + executionId + ": keys with a value "
                + last.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList());
    }

    /** The last value of every key of the topic that names the execution (null: a tombstone). */
    static Map<String, byte[]> lastValues(String bootstrap, String topic, String executionId) {
        Map<String, byte[]> out = new HashMap<>();
        try (var c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && r.key().contains(executionId)) {
                        out.put(r.key(), r.value());
                    }
                }
            }
        }
        return out;
    }

    /** The records the topic holds (read, not offsets: a transactional producer's markers take offsets too). */
    static long countRecords(String bootstrap, String topic) {
        long n = 0;
        try (var c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
