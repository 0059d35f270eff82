package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.agent.RunnerConfig;
import io.oe.events.AgentOutput;
import io.oe.events.AgentProgress;
import io.oe.events.AgentResult;
import io.oe.events.OutputStream;
import io.oe.events.PhaseReady;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Live output of real agent processes, through the runner the gateway uses, into a sink the test holds. */
@Timeout(60)
class LiveOutputTest {
    @TempDir
    Path root;
    final List<AgentOutput> chunks = new CopyOnWriteArrayList<>();
    final List<AgentProgress> events = new CopyOnWriteArrayList<>();

    private AgentResult run(String script, long cap, OutputChunker.Sink sink) throws Exception {
        Path project = Files.createDirectories(root.resolve("proj"));
        Path agent = root.resolve("agent.sh");
        Files.writeString(agent, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        var config = new RunnerConfig(Map.of("script", new RunnerConfig.Profile("test", List.of(agent.toString()),
                Map.of("OPENAI_API_KEY", "sk-test-0123456789abcdef"), List.of("PATH"), "{workspace}")), Map.of("*", "script"));
        var runner = new AttemptRunner(config, root, root.toString(), "w1", 1 << 20, Duration.ZERO, sink, cap);
        PhaseReady ready = PhaseReady.newBuilder().setExecutionId("e1").setPhaseId(3).setPhaseName("Out").setAgent("@out")
                .setAttempt(1).setProjectDir(project.toString()).setProjectName("P").setReadyAt(Instant.now())
                .setTasks(List.of()).setInputs(List.of()).setOutputs(List.of()).setTimeoutMs(30_000)
                .setHeartbeatIntervalMs(100).build();
        return runner.run(ready, events::add, events::add);
    }

    private static String text(List<AgentOutput> chunks, OutputStream stream) {
        return chunks.stream().filter(c -> c.getStream() == stream).map(AgentOutput::getText).collect(Collectors.joining());
    }

    @Test
    void stdoutAndStderrArePublishedApartWithSecretsRedactedAndALastChunk() throws Exception {
        var result = run("echo \"using key $OPENAI_API_KEY\"; echo 'warning: slow' >&2; echo done", 1 << 20, chunks::add);
        assertThat(result.getSuccess()).isTrue();
        assertThat(text(chunks, OutputStream.STDOUT)).isEqualTo("using key [OPENAI_API_KEY redacted]\ndone\n");
        assertThat(text(chunks, OutputStream.STDERR)).isEqualTo("warning: slow\n");
        assertThat(chunks).allSatisfy(c -> assertThat(c.getText()).doesNotContain("sk-test"));
        assertThat(chunks.get(chunks.size() - 1).getLast()).isTrue();
        assertThat(chunks).extracting(AgentOutput::getSeq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void aFiftyMegabyteFloodWithoutLineBreaksIsCutAtTheCapInFewChunksAndTheAgentEndsUnhindered() throws Exception {
        long cap = 256 * 1024;
        long start = System.nanoTime();
        var result = run("head -c 52428800 /dev/zero | tr '\\000' 'x'; echo; echo the-end", cap, chunks::add);
        assertThat(result.getSuccess()).as(result.getError()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        List<AgentOutput> text = chunks.stream().filter(c -> !c.getCut() && !c.getLast()).toList();
        assertThat(text.stream().mapToLong(c -> c.getText().length()).sum()).isEqualTo(cap);
        assertThat(text).hasSize((int) (cap / OutputChunker.FLUSH_BYTES));
        assertThat(chunks).filteredOn(AgentOutput::getCut).singleElement().extracting(AgentOutput::getText)
                .isEqualTo("[output cut after 262144 bytes]\n");
        assertThat(chunks).noneMatch(c -> c.getText().contains("the-end"));
        assertThat(Files.size(Path.of(result.getWorkspaceDir()).resolve("agent.log"))).as("agent.log keeps its own cap")
                .isLessThanOrEqualTo((1 << 20) + 100);
    }

    @Test
    void bytesThatAreNotUtf8AndControlCharactersArriveAsReplacementCharacters() throws Exception {
        var result = run("printf 'ok \\377\\376 bin \\033[31mred\\n'", 1 << 20, chunks::add);
        assertThat(result.getSuccess()).isTrue();
        assertThat(text(chunks, OutputStream.STDOUT)).isEqualTo("ok \uFFFD\uFFFD bin \uFFFD[31mred\n");
    }

    @Test
    void aSinkWithoutRoomNeverHoldsTheAgentBack() throws Exception {
        long start = System.nanoTime();
        var result = run("i=0; while [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i+1)); done", 1 << 20, chunk -> false);
        assertThat(result.getSuccess()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(Files.readString(Path.of(result.getWorkspaceDir()).resolve("agent.log"))).contains("line 1999");
    }
}
