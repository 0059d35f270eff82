package io.oe.deploy;

import io.oe.schemas.KafkaAccess;
import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) in its own JVM, started from the
 * Maven Central jars whose classpath {@code deploy/kafka-broker} writes at build time. No Docker.
 *
 * <pre>
 * try (KafkaBroker broker = KafkaBroker.builder().dir(tmp).build().start()) {
 *     broker.createEngineTopics();
 *     String bootstrap = broker.bootstrapServers();
 * }
 * </pre>
 */
public final class KafkaBroker implements AutoCloseable {
    public static final int DEFAULT_PORT = 19092;
    public static final int DEFAULT_CONTROLLER_PORT = 19093;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path classpathFile;
    private final boolean detached;
    private final Duration readyTimeout;
    private final List<String> jvmOptions;
    private final Path classDataDir;
    private boolean recordsClassData;
    private ProcessHandle process;
    private final String saslUser;
    private final String saslPassword;
    private final Map<String, String> identities;

    private KafkaBroker(Builder b) {
        this.dir = b.dir.toAbsolutePath().normalize();
        int[] free = (b.port <= 0 || b.controllerPort <= 0) ? Ports.free(2) : null;
        this.port = b.port > 0 ? b.port : free[0];
        this.controllerPort = b.controllerPort > 0 ? b.controllerPort : free[1];
        this.classpathFile = b.classpathFile != null ? b.classpathFile
                : OeHome.brokerClasspathFile(b.home != null ? b.home : OeHome.resolve());
        this.detached = b.detached;
        this.readyTimeout = b.readyTimeout;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.classDataDir = b.classDataDir;
        this.saslUser = b.saslUser;
        this.saslPassword = b.saslPassword;
        this.identities = Map.copyOf(b.identities);
        if (!identities.isEmpty() && saslUser == null) {
            throw new IllegalArgumentException("KafkaBroker: identities with ACLs need saslPlain(user, password) for the admin");
        }
        identities.keySet().forEach(KafkaAccess::of); // an unknown identity is refused before anything starts
    }

    /**
     * What a client authenticated as one identity of {@link KafkaAccess} needs to connect (only with
     * {@link Builder#identities}): it may do on this broker what the table grants, no more.
     */
    public Map<String, Object> clientSecurity(String identity) {
        String password = identities.get(identity);
        if (password == null) {
            throw new IllegalArgumentException("this broker has no identity '" + identity + "' (it has " + identities.keySet() + ")");
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                KafkaClientSecurity.jaas("PLAIN", KafkaAccess.of(identity).user(), password));
    }

    /** What a client needs to connect: empty for a plain broker, SASL/PLAIN settings for {@code saslPlain}. */
    public Map<String, Object> clientSecurity() {
        if (saslUser == null) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                KafkaClientSecurity.jaas("PLAIN", saslUser, saslPassword));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path dir;
        private Path home;
        private int port;
        private int controllerPort;
        private Path classpathFile;
        private boolean detached;
        private Duration readyTimeout = Duration.ofSeconds(90);
        private List<String> jvmOptions = List.of("-Xmx512m", "-XX:+UseSerialGC");
        private Path classDataDir;
        private String saslUser;
        private String saslPassword;
        private Map<String, String> identities = Map.of();

        /** Working directory: server.properties, data/, broker.log. Required. */
        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        /** The repository root, to find the classpath file (default: {@link OeHome#resolve()}). */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Client port; 0 = pick a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Controller port; 0 = pick a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        public Builder classpathFile(Path file) {
            this.classpathFile = file;
            return this;
        }

        /** Run in its own session (setsid) so that it outlives the launching terminal ({@code oe up}). */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Clients must authenticate with SASL/PLAIN as {@code user} (over SASL_PLAINTEXT; the controller listener stays
         * local and plain). {@link #clientSecurity()} gives the settings a client needs.
         */
        public Builder saslPlain(String user, String password) {
            this.saslUser = user;
            this.saslPassword = password;
            return this;
        }

        /**
         * Authorization on: the StandardAuthorizer, the {@link #saslPlain} user a super user (the stack's admin: topics,
         * ACLs), and one PLAIN user per identity of {@link KafkaAccess} named here (identity name to its password) with
         * exactly the table's ACLs, created at start. Everyone else may do nothing.
         */
        public Builder identities(Map<String, String> passwords) {
            this.identities = Map.copyOf(passwords);
            return this;
        }

        /** Where to keep the broker's class-data archive ({@link ClassDataArchive}); none: start without one. */
        public Builder classDataDir(Path dir) {
            this.classDataDir = dir;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = options;
            return this;
        }

        public KafkaBroker build() {
            if (dir == null) {
                throw new IllegalArgumentException("KafkaBroker needs a working directory");
            }
            return new KafkaBroker(this);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    public Path propertiesFile() {
        return dir.resolve("server.properties");
    }

    public ProcessHandle process() {
        return process;
    }

    /** True when this broker was launched without its class-data archive ({@link ClassDataArchive}): it records it. */
    public boolean recordsClassData() {
        return recordsClassData;
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Writes server.properties, formats the storage, launches the broker and waits until it answers. */
    public KafkaBroker start() {
        launch();
        awaitReady();
        if (!identities.isEmpty()) {
            createAcls();
        }
        return this;
    }

    /**
     * Writes server.properties, formats the storage and launches the broker, without waiting for it: a stack starts
     * its services' JVMs meanwhile (they boot for seconds before they need a broker). Then {@link #awaitReady()}.
     */
    public KafkaBroker launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already started");
        }
        String classpath = readClasspath();
        try {
            Files.createDirectories(dir);
            Files.writeString(propertiesFile(), serverProperties(), StandardCharsets.UTF_8);
            if (saslUser != null) { // it holds the password: owner only
                Files.setPosixFilePermissions(propertiesFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker dir " + dir, e);
        }
        if (Ports.inUse(port) || Ports.inUse(controllerPort)) {
            throw new IllegalStateException("cannot start the Kafka broker: port " + port + " or " + controllerPort
                    + " is already in use (another stack running? try `./oe down`)");
        }
        format(classpath);

        List<String> cmd = new ArrayList<>(detached ? Processes.detachPrefix() : List.of());
        cmd.add(OeHome.javaBinary());
        cmd.addAll(jvmOptions);
        if (classDataDir != null) {
            ClassDataArchive.Start archive = ClassDataArchive.of(classDataDir, "kafka-broker", classpathFile, jvmOptions).start();
            recordsClassData = archive.records();
            cmd.addAll(archive.jvmOptions());
        }
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config=warn");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("kafka.Kafka");
        cmd.add(propertiesFile().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            process = pb.start().toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the Kafka broker", e);
        }
        return this;
    }

    /** Creates every topic of {@link Topics#ALL}. */
    public KafkaBroker createEngineTopics() {
        TopicAdmin.createAll(bootstrapServers(), clientSecurity());
        return this;
    }

    /** The table's ACLs of every identity this broker has (creating one that exists already changes nothing). */
    private void createAcls() {
        List<AclBinding> acls = identities.keySet().stream().flatMap(i -> KafkaAccess.acls(KafkaAccess.of(i)).stream()).toList();
        try (Admin admin = TopicAdmin.admin(bootstrapServers(), clientSecurity())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the ACLs on the Kafka broker: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until the launched broker answers; stops it and says why when it does not within the ready timeout. */
    public void awaitReady() {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        Admin admin = null; // one client for the whole wait, from when the port opens (before, it would only complain)
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited during start-up (log " + logFile() + "):\n"
                            + Processes.tail(logFile(), 30));
                }
                if (admin == null && listening(port)) {
                    admin = TopicAdmin.admin(bootstrapServers(), clientSecurity());
                }
                if (admin != null && TopicAdmin.ready(admin, Duration.ofSeconds(2))) {
                    return;
                }
                sleep(100);
            }
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
        stop();
        throw new IllegalStateException("the Kafka broker was not ready after " + readyTimeout.toSeconds()
                + " s (log " + logFile() + "):\n" + Processes.tail(logFile(), 30));
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void format(String classpath) {
        if (BrokerSettings.formatted(dir.resolve("data"))) {
            return; // formatted before (a restart of the same stack keeps its data)
        }
        List<String> cmd = new ArrayList<>(List.of(OeHome.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                "kafka.tools.StorageTool"));
        cmd.addAll(BrokerSettings.formatArguments(propertiesFile()));
        Path formatLog = dir.resolve("format.log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(formatLog.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("kafka storage format timed out (log " + formatLog + ")");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kafka storage format failed (exit " + p.exitValue() + "):\n"
                        + Processes.tail(formatLog, 20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kafka storage format", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * SASL/PLAIN on the client listener: the broker's own login and the users it accepts (PLAIN keeps users in the JAAS
     * line); with identities, the authorizer, whose super users are the admin and the controller listener's
     * unauthenticated principal (the broker's own connection to its controller, on the local-only CONTROLLER port).
     */
    private List<String> saslProperties() {
        String user = KafkaClientSecurity.jaasQuote(saslUser);
        String password = KafkaClientSecurity.jaasQuote(saslPassword);
        StringBuilder users = new StringBuilder(" user_" + saslUser + "=\"" + password + "\"");
        identities.forEach((identity, pw) -> users.append(" user_").append(KafkaAccess.of(identity).user())
                .append("=\"").append(KafkaClientSecurity.jaasQuote(pw)).append('"'));
        List<String> lines = new ArrayList<>(List.of("sasl.enabled.mechanisms=PLAIN", "sasl.mechanism.inter.broker.protocol=PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"" + user + "\" password=\"" + password + "\"" + users + ";"));
        if (!identities.isEmpty()) {
            lines.add("authorizer.class.name=" + STANDARD_AUTHORIZER);
            lines.add("super.users=User:" + saslUser + ";User:ANONYMOUS");
        }
        return lines;
    }

    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    String serverProperties() {
        return BrokerSettings.serverProperties(dir.resolve("data"), port, controllerPort,
                saslUser == null ? "PLAINTEXT" : "SASL_PLAINTEXT", saslUser == null ? List.of() : saslProperties());
    }

    private String readClasspath() {
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException("the broker classpath file " + classpathFile + " is missing: build it with "
                    + "`./mvnw -q -pl deploy/kafka-broker install` (or `./mvnw -DskipTests install`)");
        }
        try {
            String cp = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
            if (cp.isEmpty()) {
                throw new IllegalStateException("the broker classpath file " + classpathFile + " is empty");
            }
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL after 20 s; idempotent. */
    public void stop() {
        if (process != null && process.isAlive()) {
            Processes.stopTree(process, Duration.ofSeconds(20));
        }
    }

    /**
     * An outage: stops the broker (SIGTERM, as an operator's restart does), waits {@code down}, and starts it again on
     * the same ports with the same data, so clients reconnect to the cluster they knew.
     */
    public KafkaBroker restart(Duration down) {
        stop();
        sleep(down.toMillis());
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
