package io.oe.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the repository (OE_HOME) is: the directory holding the service modules' fast-jars, the broker's
 * classpath file and {@code deploy/runners/}. Resolved from the system property {@code oe.home}, the
 * environment variable {@code OE_HOME}, or by walking up from the working directory.
 */
public final class OeHome {
    private OeHome() {
    }

    public static final String BROKER_CLASSPATH = "deploy/kafka-broker/target/classpath.txt";

    public static Path resolve() {
        return find().orElseThrow(() -> new IllegalStateException(
                "cannot find the Orchestration Engine home: set OE_HOME (or -Doe.home) to the repository root"));
    }

    public static Optional<Path> find() {
        String prop = System.getProperty("oe.home");
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        String env = System.getenv("OE_HOME");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (looksLikeHome(dir)) {
                return Optional.of(dir);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    public static boolean looksLikeHome(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy/kafka-broker"));
    }

    /** The file listing the broker's classpath, written by the deploy/kafka-broker build. */
    public static Path brokerClasspathFile(Path home) {
        String prop = System.getProperty("oe.kafka.classpath.file");
        return prop != null && !prop.isBlank() ? Path.of(prop) : home.resolve(BROKER_CLASSPATH);
    }

    /** The java launcher of the running JVM. */
    public static String javaBinary() {
        Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(bin) ? bin.toString() : "java";
    }
}
