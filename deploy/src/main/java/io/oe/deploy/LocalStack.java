package io.oe.deploy;

import io.oe.schemas.KafkaClientSecurity;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The local stack: a real Kafka broker and the six services, either in one process ({@link Mode#STANDALONE}, the
 * {@code standalone} module: the broker and every service as components of one JVM) or as seven processes
 * ({@link Mode#SEPARATE}: a broker process, {@link KafkaBroker}, and {@code java -jar <module>/target/quarkus-app/quarkus-run.jar}
 * per service). Records what it started in {@code <stack dir>/stack.json}, so that another JVM ({@code oe up},
 * {@code oe down}, {@code oe ps}) finds it again.
 *
 * <p>Its data lasts: the broker's log ({@code kafka/}) and the services' state ({@code state/}) stay under the stack
 * dir across stops, restarts and configuration changes; only {@link #reset} deletes them. {@link #up} starts what is
 * missing and leaves what runs alone, restarting only what a changed project root or runner configuration concerns.
 */
public final class LocalStack implements AutoCloseable {

    /** How the services run. */
    public enum Mode {
        /** The broker and the six services in one JVM: the local default (light, quick to start). */
        STANDALONE,
        /** A broker process and one process per service, as deployed: services can be killed one by one. */
        SEPARATE;

        public String label() {
            return name().toLowerCase();
        }

        public static Mode parse(String label) {
            for (Mode m : values()) {
                if (m.label().equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown mode '" + label + "': standalone or separate");
        }
    }

    /** The services in start order, with their fixed default ports (separate mode). */
    public static final Map<String, Integer> SERVICES;
    /** The process name of the standalone stack, and its port: one address for the writes, the reads and the dashboard. */
    public static final String STANDALONE = "standalone";
    public static final int STANDALONE_PORT = 18080;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("plan-loader", 18081);
        m.put("phase-scheduler", 18082);
        m.put("agent-gateway", 18083);
        m.put("handoff-service", 18084);
        m.put("state-projector", 18085);
        m.put("monitor-service", 18086);
        SERVICES = Collections.unmodifiableMap(m);
    }

    /** The services that read the project root, or the runner configuration: a change of it restarts them. */
    static final Set<String> READ_THE_ROOT = Set.of("plan-loader", "agent-gateway", "handoff-service", "monitor-service");
    static final Set<String> READ_THE_RUNNERS = Set.of("agent-gateway", "plan-loader", "phase-scheduler"); // the scheduler: its limits

    /**
     * Six JVMs and a broker share the machine: the client JIT alone (C1) starts each service faster and spends no
     * core on C2 compiles, and a small code cache and thread stacks keep the footprint down. Measured with bench/run
     * on 2 cores: ready 34.0 → 25.7 s, RSS 1,968 → 1,746 MiB, chain-100 p50 163 → 121 ms (docs/performance.md).
     */
    public static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:MaxNewSize=32m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=48m", "-Xss512k");
    /**
     * The separate stack's broker: C1 only too, since it boots side by side with six services on a small machine (its
     * start took 11 s of CPU before the services were ready, 7 s with C1).
     */
    public static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:MaxNewSize=64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /**
     * One JVM for everything: full tiered compilation (C2) since one process can afford it, one heap for the broker
     * and the six services, Serial collector. G1 (20 ms pause goal) halved the young pauses in GC logs, but on this
     * 2-core machine it grew the resident set past the 1 GiB budget (1,036 MiB after the default benchmark, 868 against
     * Serial's 729 in a short run side by side) and made no step measurably faster (docs/performance.md, "The
     * standalone heap"); Serial stays until a run shows a collector that keeps the memory and wins the steps.
     */
    public static final List<String> STANDALONE_JVM_OPTIONS = List.of("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC",
            "-XX:ReservedCodeCacheSize=96m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError");

    public static final String API_TOKEN_FILE = "api-token";

    private final Options options;
    private final StackInfo info;
    private final Map<String, ProcessHandle> handles = new LinkedHashMap<>();
    /** Extra instances ({@link #startInstance}) by process name -> the service whose jar they run. */
    private final Map<String, String> jarOf = new LinkedHashMap<>();
    private KafkaBroker broker;
    /** The processes this object started without a class-data archive of their build: they record it as they stop. */
    private final Set<String> classDataRecorded = new TreeSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How to start a stack. */
    public static final class Options {
        Path home;
        Path stackDir;
        Path projectRoot;
        Path runnersFile;
        Mode mode = Mode.SEPARATE;
        boolean freePorts;
        int brokerPort = KafkaBroker.DEFAULT_PORT;
        int controllerPort = KafkaBroker.DEFAULT_CONTROLLER_PORT;
        Map<String, Integer> ports = new LinkedHashMap<>(SERVICES);
        String externalBootstrap;
        boolean detached;
        Duration readyTimeout = Duration.ofSeconds(180);
        Map<String, String> extraEnv = new LinkedHashMap<>();
        List<String> services = new ArrayList<>(SERVICES.keySet());
        List<String> extraJvmOptions = new ArrayList<>();

        {
            ports.put(STANDALONE, STANDALONE_PORT);
        }

        /** Repository root (default {@link OeHome#resolve()}). */
        public Options home(Path home) {
            this.home = home;
            return this;
        }

        /** Where stack.json, logs/, state/ and kafka/ live (default {@code <home>/.oe/stack}). */
        public Options stackDir(Path dir) {
            this.stackDir = dir;
            return this;
        }

        /** OE_PROJECT_ROOT: the services only touch project dirs under it (default: home). */
        public Options projectRoot(Path root) {
            this.projectRoot = root;
            return this;
        }

        /**
         * OE_RUNNERS_FILE for the agent-gateway, the plan-loader and the phase-scheduler (its limits across executions);
         * default {@code <home>/deploy/runners/default.json}.
         */
        public Options runnersFile(Path file) {
            this.runnersFile = file;
            return this;
        }

        /** One process, or one per service (default: separate, as the fault tests need). */
        public Options mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Free ports for everything (tests) instead of the fixed defaults 19092/19093/18080..18086. */
        public Options freePorts(boolean free) {
            this.freePorts = free;
            return this;
        }

        /** Use this broker instead of starting one (e.g. from {@link BrokerProviders}); topics are still created. */
        public Options externalBootstrap(String bootstrap) {
            this.externalBootstrap = bootstrap;
            return this;
        }

        /** Start the processes in their own sessions so that they outlive the launcher ({@code oe up}). */
        public Options detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        public Options readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Extra environment for every service (e.g. a test's OE_* override). */
        public Options env(String name, String value) {
            this.extraEnv.put(name, value);
            return this;
        }

        /** Start only these services (separate mode; default all six). */
        public Options services(List<String> names) {
            this.services = new ArrayList<>(names);
            return this;
        }

        /** More JVM options for every service process (e.g. a profiler's agent; bench/run --profile). */
        public Options jvmOptions(List<String> extra) {
            this.extraJvmOptions = new ArrayList<>(extra);
            return this;
        }
    }

    public static Options options() {
        return new Options();
    }

    /** What {@link #up} did: started, kept running, or restarted (with why). */
    public record Up(LocalStack stack, List<String> started, List<String> kept, Map<String, String> restarted) {
    }

    private LocalStack(Options o, StackInfo info) {
        this.options = o;
        this.info = info;
    }

    /** Starts the stack the options describe (the broker and every service) and waits until each is ready. */
    public static LocalStack start(Options o) {
        return up(o).stack();
    }

    /**
     * Brings the stack recorded under the stack dir to what {@code o} asks for, touching nothing that already runs as
     * asked: a missing process is started (on its recorded port, with its data), a running one is kept, and one whose
     * project root or runner configuration changed is restarted; a stack of the other mode is stopped (its data kept)
     * and started in this one. Waits until everything started is ready.
     */
    public static Up up(Options o) {
        normalise(o);
        Optional<StackInfo> recorded = StackInfo.read(o.stackDir);
        List<String> started = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Map<String, String> restarted = new LinkedHashMap<>();
        StackInfo info = recorded.orElseGet(StackInfo::new);
        if (recorded.isPresent() && !o.mode.label().equals(modeOf(recorded.get()))) {
            stop(recorded.get(), Duration.ofSeconds(30)); // the data stays: the other mode starts on it
            info = new StackInfo();
            info.env = recorded.get().env; // how it was configured stays; its processes and ports go
            recorded = Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>(info.env);
        env.putAll(o.extraEnv); // what is asked now wins over what the stack was started with
        o.extraEnv = env;
        info.env = env;
        LocalStack stack = new LocalStack(o, info);
        try {
            stack.prepare(recorded.isPresent());
            if (o.mode == Mode.STANDALONE) {
                stack.upStandalone(started, kept, restarted);
            } else {
                stack.upSeparate(started, kept, restarted);
            }
            info.root = o.projectRoot.toString();
            info.runnersFile = o.runnersFile.toString();
            info.write(o.stackDir);
            List<String> waitFor = new ArrayList<>(started);
            waitFor.addAll(restarted.keySet());
            stack.awaitReady(waitFor);
            info.write(o.stackDir);
            return new Up(stack, started, kept, restarted);
        } catch (RuntimeException | IOException e) {
            stack.stopStarted(started, restarted.keySet());
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static String modeOf(StackInfo s) {
        return s.mode != null ? s.mode : s.standalone() ? Mode.STANDALONE.label() : Mode.SEPARATE.label();
    }

    private static void normalise(Options o) {
        Path home = (o.home != null ? o.home : OeHome.resolve()).toAbsolutePath().normalize();
        o.home = home;
        o.stackDir = (o.stackDir != null ? o.stackDir : home.resolve(".oe/stack")).toAbsolutePath().normalize();
        o.projectRoot = (o.projectRoot != null ? o.projectRoot : home).toAbsolutePath().normalize();
        o.runnersFile = (o.runnersFile != null ? o.runnersFile : home.resolve("deploy/runners/default.json"))
                .toAbsolutePath().normalize();
        List<String> names = o.mode == Mode.STANDALONE ? List.of(STANDALONE) : o.services;
        for (String s : names) {
            if (!s.equals(STANDALONE) && !SERVICES.containsKey(s)) {
                throw new IllegalArgumentException("unknown service " + s + "; known: " + SERVICES.keySet());
            }
            Path jar = serviceJar(home, s);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(s + ": " + jar + " is missing; build with `./mvnw -DskipTests install`");
            }
        }
    }

    /** The stack dir, the token (kept if there is one: the CLI and running services hold it), ports. */
    private void prepare(boolean recorded) throws IOException {
        Files.createDirectories(options.stackDir.resolve("logs"));
        Files.createDirectories(options.stackDir.resolve("state"));
        info.mode = options.mode.label();
        info.home = options.home.toString();
        info.stackDir = options.stackDir.toString();
        if (info.startedAt == 0) {
            info.startedAt = System.currentTimeMillis();
        }
        info.apiTokenFile = apiToken(options.stackDir).toString();
        if (recorded) {
            // the recorded ports: a kept process listens there, and a restarted one must be found at the same address
            if (info.broker != null) {
                options.brokerPort = info.broker.port;
                options.controllerPort = info.broker.controllerPort != null ? info.broker.controllerPort : options.controllerPort;
            }
            info.services.forEach((name, p) -> options.ports.put(name, p.port));
        } else if (options.freePorts) {
            List<String> names = options.mode == Mode.STANDALONE ? List.of(STANDALONE) : options.services;
            int[] free = Ports.free(2 + names.size());
            options.brokerPort = free[0];
            options.controllerPort = free[1];
            for (int i = 0; i < names.size(); i++) {
                options.ports.put(names.get(i), free[2 + i]);
            }
        }
    }

    private void upSeparate(List<String> started, List<String> kept, Map<String, String> restarted) {
        if (options.externalBootstrap != null) {
            info.broker = null;
            info.bootstrapServers = options.externalBootstrap;
        } else if (info.broker != null && info.broker.alive()) {
            kept.add("kafka-broker");
        } else {
            launchBroker();
            started.add("kafka-broker");
        }
        launchSeparate(started, kept, restarted);
        if (broker != null) {
            broker.awaitReady(); // the services' JVMs boot meanwhile: they wait for the broker and their topics
        }
        createTopics();
    }

    private void launchSeparate(List<String> started, List<String> kept, Map<String, String> restarted) {
        for (String s : options.services) {
            StackInfo.Proc p = info.services.get(s);
            if (p == null || !p.alive()) {
                checkPortFree(s);
                launch(s, false);
                started.add(s);
                continue;
            }
            String why = changeThatConcerns(s);
            if (why == null) {
                handles.put(s, p.handle().orElseThrow());
                kept.add(s);
            } else {
                p.handle().ifPresent(h -> Processes.stopTree(h, Duration.ofSeconds(20)));
                launch(s, false);
                restarted.put(s, why);
            }
        }
    }

    private void upStandalone(List<String> started, List<String> kept, Map<String, String> restarted) {
        info.broker = null;
        info.bootstrapServers = options.externalBootstrap != null ? options.externalBootstrap : "localhost:" + options.brokerPort;
        info.services.keySet().retainAll(Set.of(STANDALONE));
        StackInfo.Proc p = info.services.get(STANDALONE);
        if (p == null || !p.alive()) {
            checkPortFree(STANDALONE);
            if (options.externalBootstrap == null && (Ports.inUse(options.brokerPort) || Ports.inUse(options.controllerPort))) {
                throw new IllegalStateException("cannot start the standalone stack: the broker's port " + options.brokerPort
                        + " or " + options.controllerPort + " is in use (another stack running? try `./oe down`)");
            }
            launch(STANDALONE, false);
            started.add(STANDALONE);
            return;
        }
        String why = changeThatConcerns(STANDALONE);
        if (why == null) {
            handles.put(STANDALONE, p.handle().orElseThrow());
            kept.add(STANDALONE);
        } else {
            p.handle().ifPresent(h -> Processes.stopTree(h, Duration.ofSeconds(30)));
            launch(STANDALONE, false);
            restarted.put(STANDALONE, why);
        }
    }

    /** Why a running process must start again for the options asked now (null: it runs as asked). */
    private String changeThatConcerns(String name) {
        boolean all = name.equals(STANDALONE);
        String service = jarOf.getOrDefault(name, name);
        if (info.root != null && !info.root.equals(options.projectRoot.toString()) && (all || READ_THE_ROOT.contains(service))) {
            return "project root " + info.root + " -> " + options.projectRoot;
        }
        if (info.runnersFile != null && !info.runnersFile.equals(options.runnersFile.toString())
                && (all || READ_THE_RUNNERS.contains(service))) {
            return "runner configuration " + info.runnersFile + " -> " + options.runnersFile;
        }
        return null;
    }

    private void checkPortFree(String name) {
        if (!options.freePorts && Ports.inUse(options.ports.get(name))) {
            throw new IllegalStateException(name + ": port " + options.ports.get(name)
                    + " is already in use (another stack running? try `./oe down`)");
        }
    }

    /**
     * A token for the write endpoints, readable by this user only, made once per stack: the running services and
     * the CLI read it from this file (it never travels on a command line or in another user's process list).
     */
    private static Path apiToken(Path stackDir) throws IOException {
        Path file = stackDir.resolve(API_TOKEN_FILE);
        if (Files.isRegularFile(file) && !Files.readString(file).isBlank()) {
            return file;
        }
        Path tmp = Files.createTempFile(stackDir, ".api-token-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** The runnable of a service or of the standalone stack. */
    public static Path serviceJar(Path home, String service) {
        return home.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The broker's directory: its server.properties, data/ (kept across restarts) and broker.log. */
    private Path kafkaDir() {
        return options.stackDir.resolve("kafka");
    }

    /** The class-data archives of the services' and the broker's builds ({@link ClassDataArchive}): not the stack's data. */
    private Path classDataDir() {
        return options.home.resolve(".oe/cds");
    }

    private void launchBroker() {
        broker = KafkaBroker.builder().home(options.home).dir(kafkaDir()).jvmOptions(BROKER_JVM_OPTIONS).classDataDir(classDataDir())
                .port(options.brokerPort).controllerPort(options.controllerPort)
                .detached(options.detached).build();
        broker.launch();
        StackInfo.Proc p = new StackInfo.Proc();
        p.pid = broker.pid();
        p.startMillis = Processes.startMillis(broker.process());
        p.port = broker.port();
        p.controllerPort = broker.controllerPort();
        p.log = broker.logFile().toString();
        info.broker = p;
        info.bootstrapServers = broker.bootstrapServers();
    }

    /** The services' clients connect with this process's environment plus the extra one: so does the admin client. */
    private void createTopics() {
        Map<String, String> kafkaEnv = new LinkedHashMap<>(System.getenv());
        kafkaEnv.putAll(options.extraEnv);
        TopicAdmin.createAll(info.bootstrapServers, KafkaClientSecurity.fromEnv(kafkaEnv));
    }

    private void launch(String name, boolean freshLog) {
        launch(name, jarOf.getOrDefault(name, name), freshLog);
    }

    /**
     * Launches {@code service}'s jar (a service, or the standalone stack) as the process {@code name} (the service
     * itself, or another instance of it).
     */
    private void launch(String name, String service, boolean freshLog) {
        int port = options.ports.get(name);
        Path stateDir = options.stackDir.resolve("state").resolve(name);
        Path log = options.stackDir.resolve("logs").resolve(name + ".log");
        try {
            Files.createDirectories(stateDir);
            if (freshLog) {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean standalone = service.equals(STANDALONE);
        List<String> cmd = new ArrayList<>(options.detached ? Processes.detachPrefix() : List.of());
        cmd.add(OeHome.javaBinary());
        List<String> jvmOptions = new ArrayList<>(standalone ? STANDALONE_JVM_OPTIONS : SERVICE_JVM_OPTIONS);
        jvmOptions.addAll(options.extraJvmOptions);
        cmd.addAll(jvmOptions);
        Path jar = serviceJar(options.home, service);
        ClassDataArchive.Start archive = ClassDataArchive.of(classDataDir(), service, jar, jvmOptions).start();
        if (archive.records()) {
            classDataRecorded.add(name);
        }
        cmd.addAll(archive.jvmOptions());
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(stateDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP", info.bootstrapServers);
        env.put("OE_HTTP_PORT", String.valueOf(port));
        env.put("OE_STATE_DIR", stateDir.toString());
        env.put("OE_PROJECT_ROOT", options.projectRoot.toString());
        env.put("OE_HOME", options.home.toString());
        env.putIfAbsent("MALLOC_ARENA_MAX", "2"); // glibc's arena per thread is resident memory a JVM does not need
        env.put("OE_API_TOKEN_FILE", info.apiTokenFile);
        if (standalone || READ_THE_RUNNERS.contains(service)) { // the plan-loader checks agents against it
            env.put("OE_RUNNERS_FILE", options.runnersFile.toString());
        }
        if (standalone) {
            env.put("OE_EMBEDDED_BROKER", String.valueOf(options.externalBootstrap == null));
            env.put("OE_BROKER_DIR", kafkaDir().toString());
            env.put("OE_BROKER_PORT", String.valueOf(options.brokerPort));
            env.put("OE_BROKER_CONTROLLER_PORT", String.valueOf(options.controllerPort));
            // one origin: the dashboard posts its commands to the address it was loaded from
            env.put("OE_PLAN_LOADER_URL", "http://localhost:" + port);
            env.put("OE_DASHBOARD_URL", "http://localhost:" + port);
        }
        // the dashboard (monitor) posts interventions to the plan-loader, which admits the monitor's origin
        Integer planLoader = options.ports.get("plan-loader");
        Integer monitor = options.ports.get("monitor-service");
        if (service.equals("monitor-service")) {
            env.put("OE_PLAN_LOADER_URL", "http://localhost:" + planLoader);
            env.put("OE_DASHBOARD_URL", "http://localhost:" + port); // links in alert webhooks
        }
        if (service.equals("plan-loader")) {
            env.put("OE_DASHBOARD_ORIGINS", "http://localhost:" + monitor + ",http://127.0.0.1:" + monitor);
        }
        env.putAll(options.extraEnv);
        ProcessHandle h;
        try {
            h = pb.start().toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + name, e);
        }
        handles.put(name, h);
        StackInfo.Proc p = new StackInfo.Proc();
        p.pid = h.pid();
        p.startMillis = Processes.startMillis(h);
        p.port = port;
        if (standalone && options.externalBootstrap == null) {
            p.controllerPort = options.controllerPort;
        }
        p.url = "http://localhost:" + port;
        p.log = log.toString();
        info.services.put(name, p);
    }

    private void awaitReady(List<String> names) {
        List<String> services = names.stream().filter(info.services::containsKey).toList();
        if (services.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + options.readyTimeout.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (String s : services) {
                waits.add(pool.submit(() -> awaitReady(s, deadline)));
            }
            for (Future<?> f : waits) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitReady(String service, long deadline) {
        StackInfo.Proc p = info.services.get(service);
        ProcessHandle h = handles.get(service);
        HttpRequest req = HttpRequest.newBuilder(URI.create(p.url + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!h.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up (log " + p.log + "):\n"
                        + Processes.tail(Path.of(p.log), 40));
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            sleep(100);
        }
        throw new IllegalStateException(service + " was not ready (GET " + p.url + "/q/health/ready != 200) after "
                + options.readyTimeout.toSeconds() + " s (log " + p.log + "):\n" + Processes.tail(Path.of(p.log), 40));
    }

    /**
     * The processes started here that had no class-data archive of their build yet ({@link ClassDataArchive}): the
     * first start of a build, slower than the next ones. Empty: every start mapped its archive.
     */
    public Set<String> classDataRecorded() {
        Set<String> all = new TreeSet<>(classDataRecorded);
        if (broker != null && broker.recordsClassData()) {
            all.add("kafka-broker");
        }
        return all;
    }

    public StackInfo info() {
        return info;
    }

    public Mode mode() {
        return options.mode;
    }

    public String bootstrapServers() {
        return info.bootstrapServers;
    }

    public String url(String service) {
        return info.url(service);
    }

    public int port(String service) {
        return info.services.get(service).port;
    }

    public Path logFile(String service) {
        return Path.of(info.services.get(service).log);
    }

    public Path stackDir() {
        return options.stackDir;
    }

    public Path projectRoot() {
        return options.projectRoot;
    }

    public Path home() {
        return options.home;
    }

    /** The process running {@code service} (in standalone mode: the one process that runs them all). */
    public Optional<ProcessHandle> process(String service) {
        ProcessHandle h = handles.containsKey(service) ? handles.get(service) : handles.get(STANDALONE);
        return h != null && h.isAlive() ? Optional.of(h) : Optional.empty();
    }

    /** SIGKILL a service (and its children): a crash, for fault tests. */
    public void kill(String service) {
        process(service).ifPresent(Processes::killTree);
    }

    /**
     * SIGTERM to the service's own process only, as Kubernetes or systemd sends it, so that the service itself must
     * stop what it started. Waits up to {@code grace}; returns the processes of its tree still alive then (empty:
     * it shut down cleanly and left nothing behind). Whatever is left is killed, so the stack stays clean.
     */
    public List<ProcessHandle> terminate(String service, Duration grace) {
        Optional<ProcessHandle> root = process(service);
        if (root.isEmpty()) {
            return List.of();
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root.get());
        tree.addAll(root.get().descendants().toList());
        root.get().destroy();
        try {
            root.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            Thread.sleep(200); // children it stopped may need a moment to be reaped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still running after the grace period: reported below
        }
        List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(Processes::killTree);
        return left;
    }

    /** Stops a process of the stack (SIGTERM, SIGKILL after 30 s) and starts it again with the same port and data. */
    public void restart(String name) {
        if (!info.services.containsKey(name)) {
            throw new IllegalArgumentException(name + " is not a process of this stack; its processes: " + info.services.keySet()
                    + (options.mode == Mode.STANDALONE ? " (the standalone stack runs every service in one process)" : ""));
        }
        process(name).ifPresent(h -> Processes.stopTree(h, Duration.ofSeconds(30)));
        launch(name, false);
        info.write(options.stackDir);
        awaitReady(List.of(name));
    }

    /**
     * Starts one more instance of a service (scale-out: it joins the same consumer groups) as process {@code name},
     * on a free port with its own state dir and log; {@link #stop()} stops it with the rest.
     */
    public void startInstance(String service, String name) {
        if (!SERVICES.containsKey(service)) {
            throw new IllegalArgumentException("unknown service " + service + "; known: " + SERVICES.keySet());
        }
        if (info.services.containsKey(name)) {
            throw new IllegalArgumentException(name + " is already part of the stack");
        }
        options.ports.put(name, Ports.free(1)[0]);
        jarOf.put(name, service);
        launch(name, service, true);
        info.write(options.stackDir);
        awaitReady(List.of(name));
    }

    /** Starts a service that was killed or stopped, with the same port and state dir. */
    public void startAgain(String service) {
        if (process(service).isPresent()) {
            throw new IllegalStateException(service + " is still running");
        }
        launch(service, false);
        info.write(options.stackDir);
        awaitReady(List.of(service));
    }

    /**
     * Stops exactly the processes this stack started (services first, then the broker). The data stays, and so does
     * stack.json: {@link #up} starts the stack again on the same ports, root, runners and data.
     */
    public void stop() {
        stopAll(new ArrayList<>(handles.values()), Duration.ofSeconds(30));
        handles.clear();
        if (broker != null) {
            broker.stop();
        }
    }

    /** A failed {@link #up}: stop what it started or restarted, leave what it kept. */
    private void stopStarted(List<String> started, Set<String> restarted) {
        List<ProcessHandle> mine = new ArrayList<>();
        for (String s : started) {
            Optional.ofNullable(handles.get(s)).ifPresent(mine::add);
        }
        for (String s : restarted) {
            Optional.ofNullable(handles.get(s)).ifPresent(mine::add);
        }
        stopAll(mine, Duration.ofSeconds(20));
        if (broker != null && started.contains("kafka-broker")) {
            broker.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Stops a stack recorded in stack.json by another JVM ({@code oe down}); only processes whose pid and start
     * time still match are touched. The data and stack.json stay (see {@link #reset}). Returns what was stopped.
     */
    public static List<String> stop(StackInfo info, Duration grace) {
        List<String> stopped = new ArrayList<>();
        List<ProcessHandle> services = new ArrayList<>();
        for (Map.Entry<String, StackInfo.Proc> e : info.services.entrySet()) {
            e.getValue().handle().ifPresent(h -> {
                services.add(h);
                stopped.add(e.getKey());
            });
        }
        stopAll(services, grace);
        if (info.broker != null) {
            info.broker.handle().ifPresent(h -> {
                Processes.stopTree(h, grace);
                stopped.add("kafka-broker");
            });
        }
        return stopped;
    }

    /** What {@link #reset} deletes under a stack dir, each with what it holds, for the confirmation question. */
    public static Map<Path, String> dataOf(Path stackDir) {
        Map<Path, String> out = new LinkedHashMap<>();
        out.put(stackDir.resolve("kafka"), "the broker's log: every event of every execution, running or finished");
        out.put(stackDir.resolve("state"), "the services' stores (rebuilt from the log, so they go with it)");
        out.put(stackDir.resolve("logs"), "the processes' logs");
        out.put(stackDir.resolve(API_TOKEN_FILE), "the API token");
        out.put(stackDir.resolve(StackInfo.FILE), "what the stack is (mode, ports, project root, runners)");
        out.keySet().removeIf(p -> !Files.exists(p));
        return out;
    }

    /**
     * Deletes the stack's data ({@link #dataOf}): every execution it ran. Refused while any of its processes runs.
     * The projects' own files (tee-output/, project-plan.json) are not touched.
     */
    public static List<Path> reset(Path stackDir) {
        Optional<StackInfo> recorded = StackInfo.read(stackDir);
        if (recorded.isPresent() && recorded.get().anyAlive()) {
            throw new IllegalStateException("the stack in " + stackDir + " is running: stop it first (`oe down`)");
        }
        List<Path> deleted = new ArrayList<>(dataOf(stackDir).keySet());
        deleted.forEach(Processes::deleteTree);
        return deleted;
    }

    private static void stopAll(List<ProcessHandle> roots, Duration grace) {
        // In parallel: six JVMs shutting down one after another would take six times as long.
        List<Thread> threads = new ArrayList<>();
        for (ProcessHandle h : roots) {
            Thread t = new Thread(() -> Processes.stopTree(h, grace), "oe-stop-" + h.pid());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
