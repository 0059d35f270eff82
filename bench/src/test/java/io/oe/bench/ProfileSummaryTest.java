package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.bench.ProfileSummary.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording becomes top frames by CPU, wall clock and allocation, per process and per service. */
class ProfileSummaryTest {
    private static final Frame PARK = new Frame("jdk.internal.misc.Unsafe.park", true);
    private static final Frame FUTEX = new Frame("libc.so.6.__futex_abstimed_wait_common", false);
    private static final Frame POLL = new Frame("org.apache.kafka.clients.consumer.KafkaConsumer.poll", true);
    private static final Frame APPLY = new Frame("io.oe.core.scheduler.Scheduler.apply", true);
    private static final Frame PROCESS = new Frame("io.oe.scheduler.SchedulerProcessor.process", true);

    @Test
    void cpuCountsTheLeafAsSelfAndEachEngineFrameOncePerSample() {
        ProfileSummary.Section s = new ProfileSummary.Section("phase-scheduler");
        s.cpu("oe-phase-scheduler-1-StreamThread-1", List.of(APPLY, PROCESS, APPLY), 1); // recursion counts once
        s.cpu("oe-phase-scheduler-1-StreamThread-2", List.of(new Frame("java.util.HashMap.get", true), PROCESS), 2);
        assertThat(s.cpuSamples).isEqualTo(3);
        assertThat(s.cpuSelf).containsEntry(APPLY.name(), 1L).containsEntry("java.util.HashMap.get", 2L);
        assertThat(s.cpuEngine).containsEntry(APPLY.name(), 1L).containsEntry(PROCESS.name(), 3L);
        assertThat(s.cpuByThread).containsEntry("oe-phase-scheduler-#-StreamThread-#", 3L);
    }

    @Test
    void wallShowsWhereAThreadWaitsOutsideTheJdk() {
        ProfileSummary.Section s = new ProfileSummary.Section("agent-gateway");
        s.wall("phase-ready-consumer", List.of(FUTEX, PARK, POLL), 5);
        s.wall("heartbeats", List.of(FUTEX, PARK), 1);
        assertThat(s.wallSelf).containsEntry(POLL.name(), 5L).containsEntry(PARK.name(), 1L);
        assertThat(ProfileSummary.where(List.of(FUTEX))).isEqualTo(FUTEX.name());
        assertThat(ProfileSummary.where(List.of())).isEqualTo("(no stack)");
    }

    @Test
    void allocationsAddUpBySiteAndPerStep() {
        ProfileSummary.Section s = new ProfileSummary.Section("process");
        s.alloc("byte[]", List.of(FUTEX, APPLY), 512 * 1024);
        s.alloc("byte[]", List.of(APPLY), 512 * 1024);
        assertThat(s.allocBytes).isEqualTo(1 << 20);
        assertThat(s.allocBySite).containsOnlyKeys("byte[] in " + APPLY.name());
        String md = ProfileSummary.markdown("p", s, s, 10, 4, Profiler.Kind.ASYNC_PROFILER);
        assertThat(md).contains("allocated: about 256 KiB per step", "| 256 KiB | 100.0 | `byte[] in io.oe.core.scheduler.Scheduler.apply` |");
    }

    @Test
    void generatedClassNamesFoldSoThatTheSameCodeAddsUp() {
        assertThat(ProfileSummary.fold("io.oe.monitor.ProjectFiles$$Lambda$1341.0x00007f352a70e450.run"))
                .isEqualTo("io.oe.monitor.ProjectFiles$$Lambda.run");
        assertThat(ProfileSummary.fold("java.lang.invoke.LambdaForm$DMH.0x00007f352aab8c00.newInvokeSpecial"))
                .isEqualTo("java.lang.invoke.LambdaForm$DMH.newInvokeSpecial");
    }

    @Test
    void asyncProfilersFrameTypesTellJavaFromNative() {
        assertThat(ProfileSummary.isJava("JIT compiled", "io.oe.X")).isTrue();
        assertThat(ProfileSummary.isJava("Native", "sun.nio.ch.EPoll")).isTrue();
        assertThat(ProfileSummary.isJava("Native", "libc.so.6")).isFalse();
        assertThat(ProfileSummary.isJava("Kernel", "")).isFalse();
        assertThat(ProfileSummary.isJava("C++", "libjvm.so")).isFalse();
    }

    /** A real recording of this JVM by the JDK's recorder: a busy thread named as a Streams thread is the scheduler's. */
    @Test
    void aRecordingIsSplitByServiceFromThreadNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            r.start();
            Thread busy = new Thread(ProfileSummaryTest::burn, "oe-phase-scheduler-0a1b-StreamThread-1");
            busy.start();
            busy.join();
            r.stop();
            r.dump(file);
        }
        ProfileSummary.Recording read = ProfileSummary.read(file, Profiler.Kind.JFR, true);
        ProfileSummary.Section scheduler = read.byOwner().get("phase-scheduler");
        assertThat(scheduler).isNotNull();
        assertThat(scheduler.cpuSamples).isPositive();
        assertThat(scheduler.cpuEngine).containsKey("io.oe.bench.ProfileSummaryTest.burn");
        assertThat(scheduler.allocBytes).isPositive();
        assertThat(read.process().cpuSamples).isGreaterThanOrEqualTo(scheduler.cpuSamples);
    }

    private static void burn() {
        long end = System.nanoTime() + 1_000_000_000L;
        List<String> keep = new ArrayList<>();
        while (System.nanoTime() < end) {
            keep.add(Long.toString(System.nanoTime()));
            if (keep.size() > 10_000) {
                keep.clear();
            }
        }
    }
}
