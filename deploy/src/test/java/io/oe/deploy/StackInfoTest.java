package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(StackInfo.read(dir)).isEmpty();
        } finally {
            child.destroyForcibly();
            bystander.destroyForcibly();
        }
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = Ports.free(8);
        assertThat(ports).doesNotHaveDuplicates().doesNotContain(0);
    }
}
