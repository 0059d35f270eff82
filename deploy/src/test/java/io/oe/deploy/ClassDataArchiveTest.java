package io.oe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    @TempDir
    Path tmp;

    private Path jar() throws Exception {
        Path jar = tmp.resolve("app/quarkus-app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "a jar");
        return jar;
    }

    private static void writeComplete(Path file) throws Exception {
        byte[] head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(ClassDataArchive.DYNAMIC_MAGIC).array();
        Files.write(file, head);
    }

    @Test
    void theFirstRunOfAJarRecordsItsArchive() throws Exception {
        ClassDataArchive a = ClassDataArchive.of(tmp.resolve("cds"), "plan-loader", jar(), List.of("-Xmx256m"));
        assertThat(a.start()).isEqualTo(new ClassDataArchive.Start(List.of("-XX:ArchiveClassesAtExit=" + a.file()), true));
        assertThat(a.file().getFileName().toString()).startsWith("plan-loader-").endsWith(".jsa");
    }

    @Test
    void aRunAfterARecordedOneMapsTheArchive() throws Exception {
        ClassDataArchive a = ClassDataArchive.of(tmp.resolve("cds"), "plan-loader", jar(), List.of());
        writeComplete(a.file());
        assertThat(a.start()).isEqualTo(new ClassDataArchive.Start(List.of("-XX:SharedArchiveFile=" + a.file()), false));
    }

    @Test
    void aHalfWrittenArchiveIsThrownAwayAndRecordedAgain() throws Exception {
        ClassDataArchive a = ClassDataArchive.of(tmp.resolve("cds"), "plan-loader", jar(), List.of());
        Files.write(a.file(), new byte[] {0, 0, 0, 0, 1, 2, 3}); // the JVM writes the header last: a kill leaves none
        assertThat(a.start()).isEqualTo(new ClassDataArchive.Start(List.of("-XX:ArchiveClassesAtExit=" + a.file()), true));
        assertThat(a.file()).doesNotExist();
    }

    @Test
    void aRebuiltJarOrOtherJvmOptionsGetAnotherArchiveAndTheOldOneIsDeleted() throws Exception {
        Path jar = jar();
        Path dir = tmp.resolve("cds");
        ClassDataArchive before = ClassDataArchive.of(dir, "plan-loader", jar, List.of());
        writeComplete(before.file());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        ClassDataArchive rebuilt = ClassDataArchive.of(dir, "plan-loader", jar, List.of());
        assertThat(rebuilt.file()).isNotEqualTo(before.file());
        assertThat(before.file()).doesNotExist();
        assertThat(ClassDataArchive.of(dir, "plan-loader", jar, List.of("-XX:TieredStopAtLevel=1")).file())
                .isNotEqualTo(rebuilt.file());
    }

    @Test
    void anotherApplicationsArchiveIsLeftAlone() throws Exception {
        Path dir = tmp.resolve("cds");
        ClassDataArchive broker = ClassDataArchive.of(dir, "kafka-broker", jar(), List.of());
        writeComplete(broker.file());
        ClassDataArchive.of(dir, "plan-loader", jar(), List.of());
        assertThat(broker.file()).exists();
    }
}
