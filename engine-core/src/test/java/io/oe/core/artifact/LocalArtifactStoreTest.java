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

    private Path tree(String name) throws Exception {
        Path dir = Files.createDirectories(project.resolve("ws/outputs/" + name + "/src/lib"));
        Files.writeString(dir.resolve("a.ts"), "export const a = 1;\n");
        Files.writeString(dir.getParent().resolve("index.ts"), "import {a} from './lib/a';\n");
        Files.writeString(dir.getParent().getParent().resolve("package.json"), "{\"name\": \"app\"}");
        return dir.getParent().getParent();
    }

    @Test
    void aDirectoryIsStoredAsAManifestOfBlobsAndHandedOverVerified() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        Path src = tree("app");
        StoredArtifact a = store.putDirectory("app", src, 100);
        assertThat(a.location()).isEqualTo("tee-output/artifacts/trees/" + a.sha256() + ".json");
        assertThat(LocalArtifactStore.isDirectory(a.location())).isTrue();
        assertThat(a.size()).isEqualTo(Files.size(src.resolve("package.json")) + Files.size(src.resolve("src/index.ts"))
                + Files.size(src.resolve("src/lib/a.ts")));
        var manifest = DirectoryManifest.parse(Files.readAllBytes(project.resolve(a.location())));
        assertThat(manifest.files()).extracting(DirectoryManifest.Entry::path)
                .containsExactly("package.json", "src/index.ts", "src/lib/a.ts");
        assertThat(project.resolve("tee-output/artifacts/app/src/lib/a.ts")).hasContent("export const a = 1;");
        assertThat(store.putDirectory("app", src, 100)).isEqualTo(a); // same tree, same checksum

        Path target = project.resolve("ws2/inputs/app");
        store.copyVerified(a.location(), a.sha256(), target);
        assertThat(target.resolve("src/index.ts")).hasSameTextualContentAs(src.resolve("src/index.ts"));
        assertThat(target.resolve("package.json")).hasContent("{\"name\": \"app\"}");
    }

    @Test
    void aDirectoryAlteredInTheStoreIsDetectedAndNothingIsHandedOver() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact a = store.putDirectory("app", tree("app"), 100);
        var entry = DirectoryManifest.parse(Files.readAllBytes(project.resolve(a.location()))).files().get(0);
        Files.writeString(project.resolve("tee-output/artifacts/sha256/" + entry.sha256()), "{\"name\": \"evil\"}");
        Path target = project.resolve("ws2/inputs/app");
        assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), target))
                .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch")
                .hasMessageContaining("(package.json)");
        assertThat(target).doesNotExist();
        try (var left = Files.list(target.getParent())) {
            assertThat(left).isEmpty(); // no half-built directory
        }
        // and a manifest that was itself altered
        Files.writeString(project.resolve(a.location()), "{\"type\": \"directory\", \"files\": []}");
        assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), target))
                .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch for " + a.location());
    }

    @Test
    void aDirectoryWithALinkOrOverItsLimitsIsRefusedBeforeAnythingIsStored() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        Path src = tree("app");
        assertThatThrownBy(() -> store.putDirectory("app", src, 2)).isInstanceOf(ArtifactLimitException.class)
                .hasMessage("directory app holds more than 2 files");
        assertThatThrownBy(() -> new LocalArtifactStore(project, 30).putDirectory("app", src, 100))
                .isInstanceOf(ArtifactLimitException.class).hasMessage("directory app holds more than 30 bytes");
        Files.createSymbolicLink(src.resolve("src/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> store.putDirectory("app", src, 100)).isInstanceOf(ArtifactPathException.class)
                .hasMessage("app/src/passwd is a symbolic link (to /etc/passwd); a directory artifact may hold only regular files");
        assertThat(project.resolve("tee-output/artifacts/sha256")).doesNotExist();
    }

    @Test
    void aManifestCannotLeadOutOfItsDirectory() {
        assertThatThrownBy(() -> DirectoryManifest.parse(
                "{\"type\": \"directory\", \"files\": [{\"path\": \"../../x\", \"sha256\": \"00\", \"size\": 1}]}".getBytes()))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("leads outside");
    }
}
