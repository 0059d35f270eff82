package io.oe.e2e;

import io.oe.cli.Api;
import io.oe.deploy.BrokerProvider;
import io.oe.deploy.BrokerProviders;
import io.oe.deploy.LocalStack;
import io.oe.deploy.OeHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One stack per test class: the broker named by {@code oe.test.broker} plus the services as real processes on free
 * ports, with a fresh project root under {@code e2e-tests/target/e2e/} (kept afterwards for post-mortems).
 */
final class E2eStack implements AutoCloseable {
    final Path home;
    final Path dir;
    final Path root;
    final BrokerProvider broker;
    final LocalStack stack;

    private E2eStack(Path home, Path dir, Path root, BrokerProvider broker, LocalStack stack) {
        this.home = home;
        this.dir = dir;
        this.root = root;
        this.broker = broker;
        this.stack = stack;
    }

    static E2eStack start(String name, List<String> services) {
        return start(name, services, (root, options) -> { });
    }

    /** With {@code customize} given the project root (already created) to add a runner file, environment, .... */
    static E2eStack start(String name, List<String> services,
            BiConsumer<Path, LocalStack.Options> customize) {
        return start(name, services, customize, BrokerProviders::fromSystemProperty);
    }

    /**
     * The standalone stack: the broker and the six services in one process (the local stack's default), its broker
     * the one inside that process.
     */
    static E2eStack standalone(String name, BiConsumer<Path, LocalStack.Options> customize) {
        Path home = OeHome.resolve();
        Path dir = dirFor(home, name);
        Path root = dir.resolve("root");
        long t0 = System.nanoTime();
        LocalStack.Options options = LocalStack.options().home(home).stackDir(dir.resolve("stack")).projectRoot(root)
                .mode(LocalStack.Mode.STANDALONE).freePorts(true).readyTimeout(Duration.ofSeconds(240));
        customize.accept(root, options);
        LocalStack stack = LocalStack.start(options);
        System.out.printf("[e2e] %s: standalone stack (broker %s) ready in %.1f s; dir %s%n", name, stack.bootstrapServers(),
                (System.nanoTime() - t0) / 1e9, dir);
        BrokerProvider inProcess = new BrokerProvider() {
            @Override
            public String bootstrapServers() {
                return stack.bootstrapServers();
            }

            @Override
            public void close() {
                // the broker stops with the stack's process
            }
        };
        E2eStack s = new E2eStack(home, dir, root, inProcess, stack);
        Runtime.getRuntime().addShutdownHook(new Thread(s::closeQuietly));
        return s;
    }

    /** A fresh directory for one test class's stack, its project root created. */
    private static Path dirFor(Path home, String name) {
        Path base = Path.of(System.getProperty("oe.e2e.dir", home.resolve("e2e-tests/target/e2e").toString()));
        Path dir = base.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(dir.resolve("root"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** With a broker of the test's own making (e.g. one that requires SASL). */
    static E2eStack start(String name, List<String> services, BiConsumer<Path, LocalStack.Options> customize,
            Supplier<BrokerProvider> brokers) {
        Path home = OeHome.resolve();
        Path dir = dirFor(home, name);
        Path root = dir.resolve("root");
        long t0 = System.nanoTime();
        BrokerProvider broker = brokers.get();
        long t1 = System.nanoTime();
        LocalStack stack;
        try {
            LocalStack.Options options = LocalStack.options().home(home).stackDir(dir.resolve("stack")).projectRoot(root)
                    .externalBootstrap(broker.bootstrapServers()).freePorts(true).services(services)
                    .readyTimeout(Duration.ofSeconds(240));
            customize.accept(root, options);
            stack = LocalStack.start(options);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        System.out.printf("[e2e] %s: broker %s ready in %.1f s, %d services ready in %.1f s; dir %s%n", name,
                broker.bootstrapServers(), (t1 - t0) / 1e9, services.size(), (System.nanoTime() - t1) / 1e9, dir);
        E2eStack s = new E2eStack(home, dir, root, broker, stack);
        Runtime.getRuntime().addShutdownHook(new Thread(s::closeQuietly));
        return s;
    }

    Api api() {
        String pl = stack.info().url("plan-loader");
        String mon = stack.info().url("monitor-service");
        return new Api(pl != null ? pl : "http://localhost:1", mon != null ? mon : "http://localhost:1", token());
    }

    /** The stack's API token (the services require it on writes). */
    String token() {
        try {
            return Files.readString(Path.of(stack.info().apiTokenFile)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code oe ARGS} did against this stack: its exit code and what it printed on stdout. */
    record OeRun(int code, String out) {
        /** The first execution id it printed (oe init, oe execute). */
        String executionId() {
            return out.lines().filter(l -> l.startsWith("exec_")).findFirst()
                    .orElseThrow(() -> new AssertionError("no execution id printed: " + out));
        }
    }

    /** Runs {@code oe ARGS --data <this stack>} in this JVM, its stdout captured (and still printed). */
    OeRun oe(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", dir.resolve("stack").toString())).toArray(String[]::new);
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = io.oe.cli.OeCli.run(all);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        out.print(printed);
        return new OeRun(code, printed);
    }

    /** Every event of one execution on a topic keyed by execution id, in order. */
    <V extends org.apache.avro.specific.SpecificRecord> List<V> events(io.oe.schemas.Topic<V> topic, String executionId) {
        return Events.readAll(broker.bootstrapServers(), topic, Duration.ofSeconds(1), Duration.ofSeconds(20)).stream()
                .map(r -> r.value())
                .filter(v -> executionId.equals(String.valueOf(v.get(v.getSchema().getField("execution_id").pos()))))
                .toList();
    }

    /** Copies a project (e.g. examples/myapp) into the stack's project root. */
    Path copyProject(Path from, String name) {
        Path to = root.resolve(name);
        try (var walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("tee-output/workspaces")) {
                    continue;
                }
                Path t = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    private synchronized void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // shutting down
        }
    }

    @Override
    public synchronized void close() {
        try {
            stack.stop();
        } finally {
            broker.close();
        }
    }
}
