package io.oe.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConfinedDirectoryTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static String read(ConfinedDirectory dir, String name) throws IOException {
        try (var ch = dir.openFile(name)) {
            ByteBuffer b = ByteBuffer.allocate(1024);
            ch.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWalkOpensDirectoriesAndReadsFilesByName() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f.txt"), "hello");
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root); ConfinedDirectory b = top.open("a/b")) {
            assertThat(b.path()).isEqualTo(root.resolve("a/b"));
            assertThat(read(b, "f.txt")).isEqualTo("hello");
            assertThat(b.names(10)).containsExactly("f.txt");
            assertThat(b.entry("f.txt").kind()).isEqualTo(ConfinedDirectory.Kind.FILE);
            assertThat(b.entry("missing").kind()).isEqualTo(ConfinedDirectory.Kind.MISSING);
            assertThatThrownBy(() -> b.openFile("missing")).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void aCopyTakesARegularFileWithinItsLimitAndLeavesNothingWhenItRefuses() throws Exception {
        Files.writeString(root.resolve("spec.md"), "# Spec");
        Files.writeString(outside.resolve("secret"), "CANARY");
        Files.createSymbolicLink(root.resolve("link.md"), outside.resolve("secret"));
        Files.createDirectories(root.resolve("to"));
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root); ConfinedDirectory to = top.open("to")) {
            assertThat(ConfinedCopy.copy(top, "spec.md", to, "copy.md", 100)).isEqualTo(HashingCopy.sha256("# Spec".getBytes()));
            assertThat(root.resolve("to/copy.md")).hasContent("# Spec");
            assertThatThrownBy(() -> ConfinedCopy.copy(top, "spec.md", to, "small.md", 3))
                    .isInstanceOf(ArtifactLimitException.class).hasMessage(root.resolve("spec.md") + " is over the limit of 3 bytes");
            assertThatThrownBy(() -> ConfinedCopy.copy(top, "link.md", to, "leak.md", 100))
                    .isInstanceOf(ArtifactPathException.class).hasMessageContaining("link.md");
            assertThat(to.names(10)).containsExactly("copy.md");
        }
    }

    @Test
    void aLinkAnywhereOnTheWayIsRefusedNamingItAndWhereItLeads() throws Exception {
        Files.writeString(outside.resolve("secret"), "CANARY");
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/abs"), outside);
        Files.createSymbolicLink(root.resolve("a/rel"), Path.of("../../" + outside.getFileName()));
        Files.createSymbolicLink(root.resolve("a/file"), outside.resolve("secret"));
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root)) {
            assertThatThrownBy(() -> top.open("a/abs")).isInstanceOf(ArtifactPathException.class)
                    .hasMessage(root.resolve("a/abs") + " is a symbolic link (to " + outside + "), not a directory; nothing "
                            + "is read or written through a link");
            assertThatThrownBy(() -> top.openOrCreate("a/rel/new")).isInstanceOf(ArtifactPathException.class)
                    .hasMessageContaining("a/rel is a symbolic link (to ../../" + outside.getFileName() + ")");
            try (ConfinedDirectory a = top.open("a")) {
                assertThatThrownBy(() -> a.openFile("file")).isInstanceOf(ArtifactPathException.class)
                        .hasMessageContaining("a/file is a symbolic link (to " + outside.resolve("secret") + "), not a regular file");
                assertThatThrownBy(() -> a.createFile("file")).isInstanceOf(IOException.class); // never opens what is there
            }
        }
        assertThat(outside.resolve("new")).doesNotExist();
        assertThat(outside.resolve("secret")).hasContent("CANARY");
    }

    @Test
    void fifosSocketsDevicesAndHardLinksAreRefusedWithoutBlocking() throws Exception {
        run("mkfifo", root.resolve("fifo").toString());
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
            Files.writeString(outside.resolve("secret"), "CANARY");
            Files.createLink(root.resolve("hard"), outside.resolve("secret"));
            try (ConfinedDirectory top = ConfinedDirectory.openRoot(root)) {
                assertThatThrownBy(() -> top.openFile("fifo")).hasMessage(root.resolve("fifo")
                        + " is a FIFO (named pipe), not a regular file; only regular files and directories are read");
                assertThatThrownBy(() -> top.openFile("socket")).hasMessageContaining("socket is a socket, not a regular file");
                assertThatThrownBy(() -> top.openDirectory("fifo")).hasMessageContaining("is a FIFO (named pipe), not a directory");
                assertThatThrownBy(() -> top.openFile("hard")).hasMessage(root.resolve("hard") + " is a hard link (one of 2 "
                        + "names of one file), not a regular file; another of its names may be outside, so only files with a "
                        + "single name are read");
            }
        }
    }

    @Test
    void aDeviceFileIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root");
        run("mknod", root.resolve("zero").toString(), "c", "1", "5");
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root)) {
            assertThatThrownBy(() -> top.openFile("zero")).hasMessageContaining("zero is a character device, not a regular file");
        }
    }

    @Test
    void namesThatAreNotPlainAreRefused() throws Exception {
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root)) {
            for (String bad : new String[] {"..", ".", "", "a/b", "/etc", "nul\0"}) {
                assertThatThrownBy(() -> top.entry(bad)).as(bad).isInstanceOf(ArtifactPathException.class)
                        .hasMessageContaining("must be a single path component");
            }
            assertThatThrownBy(() -> Paths2.checkName("a\nb")).hasMessageContaining("'a?b' must be a plain file name");
            assertThatThrownBy(() -> top.open("a/../../etc")).hasMessageContaining("leads outside");
            assertThatThrownBy(() -> top.open("/etc")).hasMessageContaining("must be a relative path");
        }
    }

    @Test
    void writesGoThroughATemporaryFileAndDeleteNeverFollowsALink() throws Exception {
        Files.writeString(outside.resolve("keep.txt"), "CANARY");
        try (ConfinedDirectory top = ConfinedDirectory.openRoot(root); ConfinedDirectory d = top.openOrCreate("x/y")) {
            d.writeFile("f.txt", "one".getBytes());
            d.writeFile("f.txt", "two".getBytes());
            assertThat(root.resolve("x/y/f.txt")).hasContent("two");
            Files.createSymbolicLink(root.resolve("x/y/out"), outside);
            Files.createDirectories(root.resolve("x/y/sub"));
            Files.createSymbolicLink(root.resolve("x/y/sub/out"), outside.resolve("keep.txt"));
            top.delete("x");
        }
        assertThat(root.resolve("x")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("CANARY");
    }

    @Test
    @Timeout(30)
    void anOpenThatWaitsForeverIsGivenUpAtItsDeadline() throws Exception {
        Path fifo = root.resolve("fifo");
        run("mkfifo", fifo.toString());
        AtomicBoolean gaveUp = new AtomicBoolean();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ConfinedDirectory.withinDeadline(fifo, Duration.ofMillis(300),
                () -> FileChannel.open(fifo, StandardOpenOption.READ), () -> gaveUp.set(true)))
                .isInstanceOf(IOException.class).hasMessageContaining(fifo + " did not open within");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(gaveUp).isTrue();
        // a writer lets the blocked open finish; what it opened is closed by the helper, not leaked
        FileChannel.open(fifo, StandardOpenOption.WRITE).close();
    }
}
