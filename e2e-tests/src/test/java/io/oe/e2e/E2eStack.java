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
