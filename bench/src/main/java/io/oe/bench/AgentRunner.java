package io.oe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How the benchmark's no-op steps run, as the gateway's runner configuration (the file {@code oe up --runners} takes).
 *
 * <ul>
 * <li>{@code process} (default): {@code /bin/true}, a real process per step, the same work make and Snakemake do.</li>
 * <li>{@code noop-in-process}: a profile of kind {@value #IN_PROCESS_KIND}, for measuring the engine alone (issue
 * #16): the gateway completes the attempt itself, without a process. Only a gateway that knows that kind can run it;
 * {@link #supportedBy} looks for it in the gateway's classes before a stack is started, since an older gateway would
 * refuse the profile (no argv) at start-up.</li>
 * </ul>
 */
enum AgentRunner {
    PROCESS("process", """
            {"runners": {"noop": {"description": "no-op agent: a real process per step", "argv": ["/bin/true"]}},
             "agents": {"*": "noop"}}
            """),
    NOOP_IN_PROCESS("noop-in-process", """
            {"runners": {"noop-in-process": {"description": "no-op agent completed by the gateway itself, no process",
                                             "kind": "%s"}},
             "agents": {"*": "noop-in-process"}}
            """.formatted(AgentRunner.IN_PROCESS_KIND));

    /** The runner profile kind the gateway must know (docs/performance.md, "How to measure"). */
    static final String IN_PROCESS_KIND = "in-process-noop";

    final String label;
    final String runnersJson;

    AgentRunner(String label, String runnersJson) {
        this.label = label;
        this.runnersJson = runnersJson;
    }

    static AgentRunner parse(String label) {
        for (AgentRunner r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown runner '" + label + "': process or noop-in-process");
    }

    boolean startsProcesses() {
        return this == PROCESS;
    }

    /** Writes the runner configuration into {@code dir}; returns the file. */
    Path write(Path dir) throws IOException {
        return Files.writeString(dir.resolve("runners-" + label + ".json"), runnersJson);
    }

    /**
     * Whether the gateway built under {@code home} can run this runner: the process runner always; the in-process
     * one only when the gateway's classes (its own jar, and its copy in the standalone application) name the kind.
     */
    boolean supportedBy(Path home) {
        if (this == PROCESS) {
            return true;
        }
        List<Path> jars = gatewayJars(home);
        return !jars.isEmpty() && jars.stream().allMatch(jar -> mentions(jar, IN_PROCESS_KIND));
    }

    static List<Path> gatewayJars(Path home) {
        return Stream.of("agent-gateway", "standalone").map(m -> home.resolve(m).resolve("target/quarkus-app"))
                .filter(Files::isDirectory).flatMap(AgentRunner::jarsUnder)
                .filter(p -> p.getFileName().toString().contains("agent-gateway")).toList();
    }

    private static Stream<Path> jarsUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a class of the gateway's package holds {@code text} (a string constant is stored as UTF-8 bytes). */
    static boolean mentions(Path jar, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : zip.stream().filter(e -> e.getName().startsWith("io/oe/gateway/") && e.getName().endsWith(".class")).toList()) {
                if (indexOf(zip.getInputStream(e).readAllBytes(), needle) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
