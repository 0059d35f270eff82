package io.oe.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    @TempDir
    Path project;
    @TempDir
    Path outside;

    private ConfinedDirectory workspaceDir(String relative) throws IOException {
        try (ConfinedDirectory root = ConfinedDirectory.openRoot(project)) {
            return root.openOrCreate(relative);
        }
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    @Test
    void storesByContentAndByNameAndCopiesBackVerified() throws Exception {
        Path src = Files.writeString(project.resolve("out.json"), "{\"ok\": true}");
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("out.json", src);
        assertThat(a.location()).isEqualTo("tee-output/artifacts/sha256/" + a.sha256());
        assertThat(project.resolve(a.location())).hasContent("{\"ok\": true}");
        assertThat(project.resolve("tee-output/artifacts/out.json")).hasContent("{\"ok\": true}");
        assertThat(store.put("out.json", src)).isEqualTo(a); // idempotent
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "out.json");
        }
        assertThat(project.resolve("ws/inputs/out.json")).hasContent("{\"ok\": true}");
        assertThat(filesIn(project.resolve("tee-output/artifacts"))).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(a.sha256(), "out.json"); // no temporary file left behind
    }

    @Test
    void anAlteredArtifactIsDetectedAndNothingIsWritten() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{}"));
        Files.writeString(project.resolve(a.location()), "{\"evil\": 1}");
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), 100, inputs, "x.json"))
                    .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch for " + a.location());
        }
        assertThat(filesIn(project.resolve("ws/inputs"))).isEmpty();
    }

    @Test
    void anArtifactIsServedOnlyAsItsRecordedBytes() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{\"a\": 1}"));
        var out = new java.io.ByteArrayOutputStream();
        store.verify(a.location(), a.sha256(), a.size());
        store.writeVerified(a.location(), a.sha256(), a.size(), out);
        assertThat(out.toString()).isEqualTo("{\"a\": 1}");

        Files.writeString(project.resolve(a.location()), "{\"a\": 2}"); // altered after its handoff, same size
        assertThatThrownBy(() -> store.verify(a.location(), a.sha256(), a.size()))
                .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch for " + a.location());
        assertThatThrownBy(() -> store.verify("../../etc/passwd", a.sha256(), a.size())).isInstanceOf(ArtifactPathException.class);
        assertThatThrownBy(() -> store.verify("tee-output/artifacts/sha256/" + "0".repeat(64), a.sha256(), a.size()))
                .hasMessageContaining("is missing from the store");
    }

    @Test
    void bytesBeyondTheRecordedSizeAreNotRead() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{}"));
        Files.writeString(project.resolve(a.location()), "{}" + " ".repeat(500));
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "x.json"))
                    .hasMessageContaining("stored bytes have more than the recorded 2 bytes");
        }
        assertThat(filesIn(project.resolve("ws/inputs"))).isEmpty();
    }

    @Test
    void locationsOutsideTheStoreAndNamesThatAreNotPlainAreRefused() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        Path source = Files.writeString(project.resolve("o.json"), "{}");
        assertThatThrownBy(() -> store.put("../../escape.json", source)).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("'../../escape.json' must be a plain file name");
        assertThatThrownBy(() -> store.put("sha256", source)).isInstanceOf(ArtifactPathException.class)
                .hasMessageContaining("reserved");
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            assertThatThrownBy(() -> store.copyVerified("../../etc/passwd", "x", 1, inputs, "t"))
                    .isInstanceOf(ArtifactPathException.class).hasMessageContaining("is not in the artifact store");
            assertThatThrownBy(() -> store.copyVerified("/etc/passwd", "x", 1, inputs, "t"))
                    .isInstanceOf(ArtifactPathException.class);
            assertThatThrownBy(() -> store.copyVerified("tee-output/artifacts/../../../etc/passwd", "x", 1, inputs, "t"))
                    .isInstanceOf(ArtifactPathException.class).hasMessageContaining("leads outside");
            assertThatThrownBy(() -> store.copyVerified("tee-output/artifacts/sha256/x", "x", 1, inputs, "../t"))
                    .isInstanceOf(ArtifactPathException.class).hasMessageContaining("plain file name");
        }
    }

    @Test
    void aBlobReplacedByALinkIsRefusedAndNothingOutsideIsRead() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{}"));
        Path secret = Files.writeString(outside.resolve("secret"), "{}"); // same bytes: only the link gives it away
        Path blob = project.resolve(a.location());
        Files.delete(blob);
        Files.createSymbolicLink(blob, secret);
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "x.json"))
                    .isInstanceOf(ArtifactPathException.class)
                    .hasMessage(blob + " is a symbolic link (to " + secret + "), not a regular file; nothing is read or "
                            + "written through a link");
        }
        assertThat(filesIn(project.resolve("ws/inputs"))).isEmpty();
    }

    @Test
    void aStoreReplacedByALinkIsNeitherWrittenNorRead() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        StoredArtifact a = store.put("x.json", Files.writeString(project.resolve("x.json"), "{}"));
        Files.move(project.resolve("tee-output/artifacts"), outside.resolve("artifacts"));
        Files.createSymbolicLink(project.resolve("tee-output/artifacts"), outside.resolve("artifacts"));
        List<Path> before = filesIn(outside);

        assertThatThrownBy(() -> store.put("y.json", Files.writeString(project.resolve("y.json"), "{\"y\": 1}")))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("tee-output/artifacts is a symbolic link");
        try (ConfinedDirectory inputs = workspaceDir("ws/inputs")) {
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "x.json"))
                    .isInstanceOf(ArtifactPathException.class).hasMessageContaining("tee-output/artifacts is a symbolic link");
        }
        assertThat(filesIn(outside)).isEqualTo(before);

        Files.delete(project.resolve("tee-output/artifacts"));
        Files.move(project.resolve("tee-output"), outside.resolve("tee-output"));
        Files.createSymbolicLink(project.resolve("tee-output"), Path.of("../" + outside.getFileName() + "/tee-output"));
        assertThatThrownBy(() -> store.put("y.json", project.resolve("y.json")))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("tee-output is a symbolic link");
        assertThat(filesIn(outside)).isEqualTo(before);
    }

    @Test
    void anOversizedArtifactIsRefusedWithoutBeingRead() throws Exception {
        var store = new LocalArtifactStore(project, 10);
        Path big = Files.writeString(project.resolve("big.json"), "x".repeat(11));
        assertThatThrownBy(() -> store.put("big.json", big)).hasMessage("is 11 bytes, over the limit of 10");
        assertThat(filesIn(project.resolve("tee-output"))).isEmpty();
    }

    @Test
    void aStagingAreaThatIsClosedWithoutACommitLeavesNothing() throws Exception {
        var store = new LocalArtifactStore(project, 1024);
        Files.writeString(project.resolve("a.json"), "{}");
        try (ConfinedDirectory dir = ConfinedDirectory.openRoot(project); var staging = store.stage()) {
            var staged = staging.add("a.json", dir, "a.json");
            try (var in = staged.content().open()) {
                assertThat(in.readAllBytes()).asString().isEqualTo("{}");
            }
        }
        assertThat(filesIn(project.resolve("tee-output"))).isEmpty();
    }

    @Test
    void bytesTheEngineMadeAreStoredBesideTheStagedOutputAndWithinTheLimit() throws Exception {
        var store = new LocalArtifactStore(project, 16);
        Files.writeString(project.resolve("a.yaml"), "a: 1\n");
        try (ConfinedDirectory dir = ConfinedDirectory.openRoot(project); var staging = store.stage()) {
            staging.add("a.yaml", dir, "a.yaml");
            var converted = staging.addBytes("a.json", "{\"a\": 1}".getBytes());
            try (var in = converted.content().open()) {
                assertThat(in.readAllBytes()).asString().isEqualTo("{\"a\": 1}");
            }
            assertThatThrownBy(() -> staging.addBytes("b.json", new byte[17])).hasMessage("is 17 bytes, over the limit of 16");
            assertThatThrownBy(() -> staging.addBytes("sha256", new byte[1])).isInstanceOf(ArtifactPathException.class);
            assertThat(staging.commit()).extracting(StoredArtifact::name, StoredArtifact::sha256)
                    .containsExactly(Tuple.tuple("a.yaml", HashingCopy.sha256("a: 1\n".getBytes())),
                            Tuple.tuple("a.json", converted.sha256()));
        }
        assertThat(project.resolve("tee-output/artifacts/a.json")).hasContent("{\"a\": 1}");
        assertThat(project.resolve("tee-output/artifacts/sha256/" + HashingCopy.sha256("{\"a\": 1}".getBytes()))).exists();
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
        StoredArtifact a = store.put("app", src);
        assertThat(a.location()).isEqualTo("tee-output/artifacts/trees/" + a.sha256() + ".json");
        assertThat(LocalArtifactStore.isDirectory(a.location())).isTrue();
        assertThat(a.size()).isEqualTo(Files.size(src.resolve("package.json")) + Files.size(src.resolve("src/index.ts"))
                + Files.size(src.resolve("src/lib/a.ts")));
        var manifest = DirectoryManifest.parse(Files.readAllBytes(project.resolve(a.location())));
        assertThat(manifest.files()).extracting(DirectoryManifest.Entry::path)
                .containsExactly("package.json", "src/index.ts", "src/lib/a.ts");
        assertThat(project.resolve("tee-output/artifacts/app/src/lib/a.ts")).hasContent("export const a = 1;");
        assertThat(store.put("app", src)).isEqualTo(a); // same tree, same checksum

        try (ConfinedDirectory inputs = workspaceDir("ws2/inputs")) {
            store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "app");
        }
        Path target = project.resolve("ws2/inputs/app");
        assertThat(target.resolve("src/index.ts")).hasSameTextualContentAs(src.resolve("src/index.ts"));
        assertThat(target.resolve("package.json")).hasContent("{\"name\": \"app\"}");
        assertThat(filesIn(project.resolve("tee-output/artifacts"))).noneMatch(p -> p.toString().contains(".incoming-"));
    }

    @Test
    void aDirectoryAlteredInTheStoreIsDetectedAndNothingIsHandedOver() throws Exception {
        var store = new LocalArtifactStore(project, 1 << 20);
        StoredArtifact a = store.put("app", tree("app"));
        var entry = DirectoryManifest.parse(Files.readAllBytes(project.resolve(a.location()))).files().get(0);
        Files.writeString(project.resolve("tee-output/artifacts/sha256/" + entry.sha256()), "{\"name\": \"evil\"}");
        try (ConfinedDirectory inputs = workspaceDir("ws2/inputs")) {
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "app"))
                    .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch")
                    .hasMessageContaining("(package.json)");
            assertThat(filesIn(project.resolve("ws2/inputs"))).isEmpty(); // no half-built directory
            // and a manifest that was itself altered
            Files.writeString(project.resolve(a.location()), "{\"type\": \"directory\", \"files\": []}");
            assertThatThrownBy(() -> store.copyVerified(a.location(), a.sha256(), a.size(), inputs, "app"))
                    .isInstanceOf(ArtifactIntegrityException.class).hasMessageContaining("checksum mismatch for " + a.location());
        }
    }

    @Test
    void aDirectoryWithALinkOrOverItsLimitsIsRefusedBeforeAnythingIsStored() throws Exception {
        Path src = tree("app");
        assertThatThrownBy(() -> new LocalArtifactStore(project, project, 1 << 20, 4).put("app", src))
                .isInstanceOf(ArtifactLimitException.class).hasMessage("directory app holds more than 4 files and directories");
        assertThatThrownBy(() -> new LocalArtifactStore(project, 30).put("app", src))
                .isInstanceOf(ArtifactLimitException.class).hasMessage("directory app holds more than 30 bytes");
        Files.createSymbolicLink(src.resolve("src/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> new LocalArtifactStore(project, 1 << 20).put("app", src))
                .isInstanceOf(ArtifactPathException.class)
                .hasMessage(src.resolve("src/passwd") + " is a symbolic link (to /etc/passwd), not a regular file; a "
                        + "directory artifact holds only regular files and directories; nothing is read or written through a link");
        assertThat(filesIn(project.resolve("tee-output"))).isEmpty();
    }

    @Test
    void aManifestCannotLeadOutOfItsDirectory() {
        assertThatThrownBy(() -> DirectoryManifest.parse(
                "{\"type\": \"directory\", \"files\": [{\"path\": \"../../x\", \"sha256\": \"00\", \"size\": 1}]}".getBytes()))
                .isInstanceOf(ArtifactPathException.class).hasMessageContaining("leads outside");
    }
}
