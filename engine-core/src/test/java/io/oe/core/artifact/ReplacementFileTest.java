package io.oe.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A person's replacement file is read only from inside the project, never through a link. */
class ReplacementFileTest {
    @TempDir
    Path root;
    Path project;

    @BeforeEach
    void project() throws Exception {
        project = Files.createDirectories(root.resolve("projects/app"));
        Files.createDirectories(project.resolve("edits"));
        Files.writeString(project.resolve("edits/design.json"), "{\"ok\": true}");
    }

    private byte[] read(String relative) throws Exception {
        try (ReplacementFile f = ReplacementFile.open(root, project, relative)) {
            return f.read(1024);
        }
    }

    @Test
    void aFileInsideTheProjectIsRead() throws Exception {
        assertThat(new String(read("edits/design.json"), StandardCharsets.UTF_8)).isEqualTo("{\"ok\": true}");
        assertThat(new String(read("./edits/design.json"), StandardCharsets.UTF_8)).isEqualTo("{\"ok\": true}");
    }

    @Test
    void aPathThatLeavesTheProjectIsRefused() {
        assertThatThrownBy(() -> read("../other/design.json")).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("leads outside the project directory");
        assertThatThrownBy(() -> read(project.resolve("edits/design.json").toString()))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("must be a relative path inside");
    }

    @Test
    void aSymbolicLinkIntoTheHostIsRefusedAsTheFileAndOnTheWay() throws Exception {
        Path secret = Files.writeString(root.resolve("secret.json"), "{\"password\": 1}");
        Files.createSymbolicLink(project.resolve("edits/link.json"), secret);
        Files.createSymbolicLink(project.resolve("host"), root);
        assertThatThrownBy(() -> read("edits/link.json")).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> read("host/secret.json")).isInstanceOf(ArtifactPathException.class);
    }

    @Test
    void aMissingFileADirectoryAndAFileOverTheLimitAreRefusedNamingThem() throws Exception {
        assertThatThrownBy(() -> read("edits/nothing.json")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("edits/nothing.json does not exist");
        assertThatThrownBy(() -> read("edits")).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("edits is not a regular file (directory)");
        Files.writeString(project.resolve("edits/big.json"), "x".repeat(2000));
        assertThatThrownBy(() -> read("edits/big.json")).isInstanceOf(ArtifactLimitException.class)
                .hasMessageContaining("big.json is 2000 bytes, over the limit of 1024");
    }
}
