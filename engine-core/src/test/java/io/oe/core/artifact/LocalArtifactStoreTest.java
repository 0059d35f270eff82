package io.oe.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    @TempDir
    Path project;

    @Test
    void storesByContentAndByNameAndCopiesBackVerified() throws Exception {
        Path src = Files.writeString(project.resolve("out.json"), "{\"ok\": true}");
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("out.json", src);
        assertThat(a.location()).isEqualTo("tee-output/artifacts/sha256/" + a.sha256());
        assertThat(project.resolve(a.location())).hasContent("{\"ok\": true}");
        assertThat(project.resolve("tee-output/artifacts/out.json")).hasContent("{\"ok\": true}");
        assertThat(store.put("out.json", src)).isEqualTo(a); // idempotent
        Path target = project.resolve("ws/inputs/out.json");
        store.copyVerified(a.location(), a.sha256(), target);
        assertThat(target).hasContent("{\"ok\": true}");
        try (var files = Files.list(project.resolve("tee-output/artifacts/sha256"))) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void anAlteredArtifactIsDetectedAndNothingIsWritten() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{}"));
        Files.writeString(project.resolve(a.location()), "{\"evil\": 1}");
        Path target = project.resolve("ws/inputs/x.json");
        assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), target))
                .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch for " + a.location());
        assertThat(target).doesNotExist();
        try (var files = Files.list(target.getParent())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void pathsThatLeaveTheStoreAreRefused() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        Path outside = Files.writeString(project.resolve("o.json"), "{}");
        assertThatThrownBy(() -> store.put("../../escape.json", outside)).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("../../escape.json");
        assertThatThrownBy(() -> store.copyVerified("../../etc/passwd", "x", project.resolve("t")))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("leads outside");
        assertThatThrownBy(() -> store.copyVerified("/etc/passwd", "x", project.resolve("t")))
                .isInstanceOf(ArtifactPathException.class);
        Files.createDirectories(project.resolve("tee-output/artifacts"));
        Path link = Files.createSymbolicLink(project.resolve("tee-output/artifacts/link"), Path.of("/etc"));
        assertThatThrownBy(() -> Paths2.confine(project, "tee-output/artifacts/link/passwd"))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.put("passwd", Files.createSymbolicLink(project.resolve("p"), Path.of("/etc/passwd"))))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("not a regular file");
        assertThat(link).isSymbolicLink();
    }

    @Test
    void anOversizedArtifactIsRefusedWithoutBeingRead() throws Exception {
        var store = new LocalArtifactStore(project, 10);
        Path big = Files.writeString(project.resolve("big.json"), "x".repeat(11));
        assertThatThrownBy(() -> store.put("big.json", big)).hasMessageContaining("11 bytes, over the limit of 10");
    }
}
