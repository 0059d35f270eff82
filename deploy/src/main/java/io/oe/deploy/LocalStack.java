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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local stack: a real Kafka broker ({@link KafkaBroker}, or an external one) plus the six services, each a
 * separate {@code java -jar <module>/target/quarkus-app/quarkus-run.jar} process. Records what it started in
 * {@code <stack dir>/stack.json}; {@link #stop()} (or {@link #stop(StackInfo, Duration)} from another JVM) stops
 * exactly those processes and their children.
 */
public final class LocalStack implements AutoCloseable {

    /** The services in start order, with their fixed default ports. */
    public static final Map<String, Integer> SERVICES;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("plan-loader", 18081);
        m.put("phase-scheduler", 18082);
        m.put("agent-gateway", 18083);
        m.put("handoff-service", 18084);
        m.put("state-projector", 18085);
        m.put("monitor-service", 18086);
        SERVICES = java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Six JVMs and a broker share the machine: the client JIT alone (C1) starts each service faster and spends no
     * core on C2 compiles, and a small code cache and thread stacks keep the footprint down. Measured with bench/run
     * on 2 cores: ready 34.0 → 25.7 s, RSS 1,968 → 1,746 MiB, chain-100 p50 163 → 121 ms (docs/performance.md).
     */
    public static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=48m", "-Xss512k");

    private final Options options;
    private final StackInfo info;
    private final Map<String, ProcessHandle> handles = new LinkedHashMap<>();
    /** Extra instances ({@link #startInstance}) by process name -> the service whose jar they run. */
    private final Map<String, String> jarOf = new LinkedHashMap<>();
    private KafkaBroker broker;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How to start a stack. */
    public static final class Options {
        Path home;
        Path stackDir;
        Path projectRoot;
        Path runnersFile;
        boolean freePorts;
        int brokerPort = KafkaBroker.DEFAULT_PORT;
        int controllerPort = KafkaBroker.DEFAULT_CONTROLLER_PORT;
        Map<String, Integer> ports = new LinkedHashMap<>(SERVICES);
        String externalBootstrap;
        boolean detached;
        Duration readyTimeout = Duration.ofSeconds(180);
        Map<String, String> extraEnv = new LinkedHashMap<>();
        List<String> services = new ArrayList<>(SERVICES.keySet());

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

        /** OE_RUNNERS_FILE for the agent-gateway (default {@code <home>/deploy/runners/default.json}). */
        public Options runnersFile(Path file) {
            this.runnersFile = file;
            return this;
        }

        /** Free ports for everything (tests) instead of the fixed defaults 19092/19093/18081..18086. */
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

        /** Start only these services (default all six). */
        public Options services(List<String> names) {
            this.services = new ArrayList<>(names);
            return this;
        }
    }

    public static Options options() {
        return new Options();
    }

    private LocalStack(Options o, StackInfo info) {
        this.options = o;
        this.info = info;
    }

    /** Starts broker and services, waits until every service is ready, writes stack.json. */
    public static LocalStack start(Options o) {
        Path home = (o.home != null ? o.home : OeHome.resolve()).toAbsolutePath().normalize();
        o.home = home;
        o.stackDir = (o.stackDir != null ? o.stackDir : home.resolve(".oe/stack")).toAbsolutePath().normalize();
        o.projectRoot = (o.projectRoot != null ? o.projectRoot : home).toAbsolutePath().normalize();
        o.runnersFile = (o.runnersFile != null ? o.runnersFile : home.resolve("deploy/runners/default.json"))
                .toAbsolutePath().normalize();
        if (o.freePorts) {
            int[] free = Ports.free(2 + o.services.size());
            o.brokerPort = free[0];
            o.controllerPort = free[1];
            for (int i = 0; i < o.services.size(); i++) {
                o.ports.put(o.services.get(i), free[2 + i]);
            }
        }
        for (String s : o.services) {
            if (!SERVICES.containsKey(s)) {
                throw new IllegalArgumentException("unknown service " + s + "; known: " + SERVICES.keySet());
            }
            Path jar = serviceJar(home, s);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(s + ": " + jar + " is missing; build with `./mvnw -DskipTests install`");
            }
            if (!o.freePorts && Ports.inUse(o.ports.get(s))) {
                throw new IllegalStateException(s + ": port " + o.ports.get(s)
                        + " is already in use (another stack running? try `./oe down`)");
            }
        }

        StackInfo info = new StackInfo();
        info.home = home.toString();
        info.root = o.projectRoot.toString();
        info.stackDir = o.stackDir.toString();
        info.startedAt = System.currentTimeMillis();
        LocalStack stack = new LocalStack(o, info);
        try {
            Files.createDirectories(o.stackDir.resolve("logs"));
            Processes.deleteTree(o.stackDir.resolve("state")); // state stores belong to the broker they came from
            Files.createDirectories(o.stackDir.resolve("state"));
            info.apiTokenFile = writeApiToken(o.stackDir).toString();
            stack.startBroker();
            info.write(o.stackDir);
            for (String s : o.services) {
                stack.launch(s, true);
            }
            info.write(o.stackDir);
            stack.awaitReady(o.services);
            info.write(o.stackDir);
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.stop();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * A fresh API token for the write endpoints, readable by this user only. The services read it from the file (it
     * never travels on a command line or in the environment of another user's process list); the CLI sends it.
     */
    private static Path writeApiToken(Path stackDir) throws IOException {
        Path file = stackDir.resolve(API_TOKEN_FILE);
        Path tmp = Files.createTempFile(stackDir, ".api-token-", ".tmp",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        Files.writeString(tmp, java.util.HexFormat.of().formatHex(random) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    public static final String API_TOKEN_FILE = "api-token";

    public static Path serviceJar(Path home, String service) {
        return home.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void startBroker() {
        if (options.externalBootstrap != null) {
            info.bootstrapServers = options.externalBootstrap;
        } else {
            Path dir = options.stackDir.resolve("kafka");
            Processes.deleteTree(dir); // a fresh stack starts from an empty broker
            broker = KafkaBroker.builder().home(options.home).dir(dir)
                    .port(options.brokerPort).controllerPort(options.controllerPort)
                    .detached(options.detached).build();
            broker.start();
            StackInfo.Proc p = new StackInfo.Proc();
            p.pid = broker.pid();
            p.startMillis = Processes.startMillis(broker.process());
            p.port = broker.port();
            p.controllerPort = broker.controllerPort();
            p.log = broker.logFile().toString();
            info.broker = p;
            info.bootstrapServers = broker.bootstrapServers();
        }
        // the services inherit this process's environment plus the extra one: the admin client connects as they will
        Map<String, String> kafkaEnv = new LinkedHashMap<>(System.getenv());
        kafkaEnv.putAll(options.extraEnv);
        TopicAdmin.createAll(info.bootstrapServers, KafkaClientSecurity.fromEnv(kafkaEnv));
    }

    private void launch(String name, boolean freshLog) {
        launch(name, jarOf.getOrDefault(name, name), freshLog);
    }

    /** Launches {@code service}'s jar as the process {@code name} (the service itself, or another instance of it). */
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
        List<String> cmd = new ArrayList<>(options.detached ? Processes.detachPrefix() : List.of());
        cmd.add(OeHome.javaBinary());
        cmd.addAll(SERVICE_JVM_OPTIONS);
        cmd.add("-jar");
        cmd.add(serviceJar(options.home, service).toString());
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
        if (info.apiTokenFile != null) {
            env.put("OE_API_TOKEN_FILE", info.apiTokenFile);
        }
        if (service.equals("agent-gateway")) {
            env.put("OE_RUNNERS_FILE", options.runnersFile.toString());
        }
        // the dashboard (monitor) posts interventions to the plan-loader, which admits the monitor's origin
        Integer planLoader = options.ports.get("plan-loader");
        Integer monitor = options.ports.get("monitor-service");
        if (service.equals("monitor-service") && planLoader != null) {
            env.put("OE_PLAN_LOADER_URL", "http://localhost:" + planLoader);
        }
        if (service.equals("monitor-service")) {
            env.put("OE_DASHBOARD_URL", "http://localhost:" + port); // links in alert webhooks
        }
        if (service.equals("plan-loader") && monitor != null) {
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
        p.url = "http://localhost:" + port;
        p.log = log.toString();
        info.services.put(name, p);
    }

    private void awaitReady(List<String> services) {
        long deadline = System.nanoTime() + options.readyTimeout.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, services.size()));
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (String s : services) {
                waits.add(pool.submit(() -> awaitReady(s, deadline)));
            }
            for (Future<?> f : waits) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
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
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(service + " was not ready (GET " + p.url + "/q/health/ready != 200) after "
                + options.readyTimeout.toSeconds() + " s (log " + p.log + "):\n" + Processes.tail(Path.of(p.log), 40));
    }

    public StackInfo info() {
        return info;
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

    public Optional<ProcessHandle> process(String service) {
        ProcessHandle h = handles.get(service);
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
            root.get().onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
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

    /** Stops a service (SIGTERM, SIGKILL after 20 s) and starts it again with the same port and state dir. */
    public void restart(String service) {
        process(service).ifPresent(h -> Processes.stopTree(h, Duration.ofSeconds(20)));
        launch(service, false);
        info.write(options.stackDir);
        awaitReady(List.of(service));
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

    /** Stops exactly the processes this stack started (services first, then the broker); removes stack.json. */
    public void stop() {
        List<ProcessHandle> services = new ArrayList<>(handles.values());
        stopAll(services, Duration.ofSeconds(20));
        handles.clear();
        if (broker != null) {
            broker.stop();
        }
        try {
            Files.deleteIfExists(options.stackDir.resolve(StackInfo.FILE));
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops a stack recorded in stack.json by another JVM ({@code oe down}); only processes whose pid and start
     *  time still match are touched. Returns the names of what was stopped. */
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
        if (info.stackDir != null) {
            try {
                Files.deleteIfExists(Path.of(info.stackDir, StackInfo.FILE));
            } catch (IOException ignored) {
                // best effort
            }
        }
        return stopped;
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
}
