package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackInfoTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsAndStopsOnlyTheRecordedProcessTree() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        Process bystander = new ProcessBuilder("sleep", "60").start();
        try {
            StackInfo info = new StackInfo();
            info.stackDir = dir.toString();
            info.root = dir.toString();
            StackInfo.Proc p = new StackInfo.Proc();
            p.pid = child.pid();
            p.startMillis = Processes.startMillis(child.toHandle());
            p.port = 1234;
            p.url = "http://localhost:1234";
            info.services.put("plan-loader", p);
            StackInfo.Proc recycled = new StackInfo.Proc();
            recycled.pid = bystander.pid();
            recycled.startMillis = Processes.startMillis(bystander.toHandle()) - 3_600_000; // "an older process"
            info.services.put("monitor-service", recycled);
            info.write(dir);

            StackInfo read = StackInfo.read(dir).orElseThrow();
            assertThat(read.url("plan-loader")).isEqualTo("http://localhost:1234");
            assertThat(read.services.get("plan-loader").alive()).isTrue();
            assertThat(read.services.get("monitor-service").alive()).as("pid reused by another process").isFalse();

            List<String> stopped = LocalStack.stop(read, Duration.ofSeconds(5));
            assertThat(stopped).containsExactly("plan-loader");
            assertThat(child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(bystander.isAlive()).as("a process we did not start is never touched").isTrue();
            assertThat(StackInfo.read(dir)).as("kept: `oe up` starts the same stack again").isPresent()
                    .hasValueSatisfying(again -> assertThat(again.anyAlive()).isFalse());
        } finally {
            child.destroyForcibly();
            bystander.destroyForcibly();
        }
    }

    @Test
    void resetDeletesTheStacksDataAndNothingElseAndIsRefusedWhileTheStackRuns() throws Exception {
        for (String d : List.of("kafka/data", "state/standalone", "logs")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("kafka/data/meta.properties"), "cluster.id=x");
        Files.writeString(dir.resolve("api-token"), "secret");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            StackInfo info = new StackInfo();
            StackInfo.Proc p = new StackInfo.Proc();
            p.pid = child.pid();
            p.startMillis = Processes.startMillis(child.toHandle());
            info.services.put(LocalStack.STANDALONE, p);
            info.write(dir);
            assertThat(LocalStack.dataOf(dir).keySet()).containsExactly(dir.resolve("kafka"), dir.resolve("state"),
                    dir.resolve("logs"), dir.resolve("api-token"), dir.resolve("stack.json"));
            assertThatThrownBy(() -> LocalStack.reset(dir)).hasMessageContaining("is running: stop it first");
            assertThat(dir.resolve("kafka/data/meta.properties")).exists();

            child.destroyForcibly().waitFor();
            assertThat(LocalStack.reset(dir)).hasSize(5);
            assertThat(dir.resolve("kafka")).doesNotExist();
            assertThat(dir.resolve("state")).doesNotExist();
            assertThat(dir.resolve("stack.json")).doesNotExist();
            assertThat(dir.resolve("notes.txt")).hasContent("the user's own file");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = Ports.free(8);
        assertThat(ports).doesNotHaveDuplicates().doesNotContain(0);
    }
}
