package io.oe.bench;

import io.oe.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Measures the {@link Floor} on a live broker from the bench's JVM: round trips through bare Kafka clients and bare
 * Kafka Streams applications built with the engine's settings ({@link EngineSettings}), and process starts the way
 * the gateway starts an agent. One round trip at a time, each after a random pause shorter than the commit interval,
 * so that records arrive at any point of the stream threads' commit cycle, as the engine's do.
 */
final class FloorProbe {
    /** Round trips before the measured ones: the clients' first fetches, the stream tasks' first transactions. */
    private static final int WARM_UP = 15;
    private static final Duration ROUND_TRIP_TIMEOUT = Duration.ofSeconds(30);

    private final EngineSettings settings;
    private final Path work;
    private final int samples;
    private final String run = "oe-bench-floor-" + Long.toString(System.currentTimeMillis(), 36);
    private final Random random = new Random(17);

    FloorProbe(EngineSettings settings, Path work, int samples) {
        this.settings = settings;
        this.work = work;
        this.samples = samples;
    }

    Floor measure(boolean withProcess) throws Exception {
        createTopics(List.of(topic("plain"), topic("in"), topic("mid"), topic("out")));
        double[] plain = plainHops();
        double[][] eos = exactlyOnceHops();
        double[] starts = withProcess ? processStarts() : new double[0];
        return new Floor(plain, eos[0], eos[1], starts, withProcess, settings.describeStreams());
    }

    /** Plain producer (acks=all, idempotent, linger 0) → read_committed consumer polling as the gateway does. */
    private double[] plainHops() throws Exception {
        try (Receiver receiver = new Receiver(List.of(topic("plain")))) {
            return receiver.roundTrips(topic("plain"), topic("plain"), null)[0];
        }
    }

    /**
     * in → EOS app → mid → EOS app → out, with one read_committed consumer on mid and out: mid's arrival is one
     * exactly-once hop (issue #16's "bare exactly-once Kafka Streams hop"), out's is the path of a chain step.
     */
    private double[][] exactlyOnceHops() throws Exception {
        List<KafkaStreams> apps = List.of(relay("a", topic("in"), topic("mid")), relay("b", topic("mid"), topic("out")));
        try (Receiver receiver = new Receiver(List.of(topic("mid"), topic("out")))) {
            apps.forEach(KafkaStreams::start);
            awaitRunning(apps);
            return receiver.roundTrips(topic("in"), topic("out"), topic("mid"));
        } finally {
            // together: each commits and leaves its group, which takes a moment
            List<Thread> closing = apps.stream().map(a -> new Thread(() -> a.close(Duration.ofSeconds(10)))).toList();
            closing.forEach(Thread::start);
            for (Thread t : closing) {
                t.join();
            }
        }
    }

    /** A one-processor topology, read → write, with the services' Kafka Streams settings. */
    private KafkaStreams relay(String name, String from, String to) throws IOException {
        Properties p = settings.streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, run + "-" + name);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(work.resolve("floor-streams")).toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(from, Consumed.with(Serdes.String(), Serdes.String())).mapValues(v -> v)
                .to(to, Produced.with(Serdes.String(), Serdes.String()));
        return new KafkaStreams(builder.build(), p);
    }

    private static void awaitRunning(List<KafkaStreams> apps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (apps.stream().anyMatch(a -> a.state() != KafkaStreams.State.RUNNING)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the floor's Kafka Streams applications did not reach RUNNING in 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** {@code /bin/true} started, its output drained and its exit awaited, as AgentProcess runs an agent. */
    private double[] processStarts() throws Exception {
        Path dir = Files.createDirectories(work.resolve("floor-process"));
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < WARM_UP + samples; i++) {
            double ms = processStart(dir);
            if (i >= WARM_UP) {
                out.add(ms);
            }
        }
        return Stats.sorted(out);
    }

    static double processStart(Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/true")).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear(); // the gateway's way: a clean environment with a few variables of its own
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "OE_EXECUTION_ID", "exec_floor", "OE_PHASE_ID", "1",
                "OE_ATTEMPT", "1", "OE_WORKSPACE", dir.toString()));
        long t0 = System.nanoTime();
        Process process = pb.start();
        process.getOutputStream().close(); // agents get no stdin
        Thread reader = new Thread(() -> drain(process.getInputStream()), "agent-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("/bin/true did not exit in 30 s");
        }
        reader.join(5_000);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void drain(InputStream in) {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the process went away
        }
    }

    private String topic(String name) {
        return run + "-" + name;
    }

    private void createTopics(List<String> names) throws Exception {
        try (Admin admin = Admin.create(settings.connection())) {
            // as many partitions as the engine's topics: an exactly-once task per partition, as in the services
            admin.createTopics(names.stream().map(n -> new NewTopic(n, Topics.PARTITIONS, (short) 1)).toList()).all()
                    .get(30, TimeUnit.SECONDS);
            // a producer that comes before the partitions' leaders retries (and says so): wait for them instead
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the floor's topics have no leader after 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * A producer and a read_committed consumer polling in its own thread (as a service's consumer loop does) that
     * notes when each record arrives, by topic and key.
     */
    private final class Receiver implements AutoCloseable {
        private final KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer(),
                new StringSerializer(), new StringSerializer());
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread poller;

        Receiver(List<String> topics) {
            Map<String, Object> c = settings.consumer(run + "-receiver-" + topics.get(0));
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50); // the gateway's phase-ready consumer
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(topics);
            poller = new Thread(this::poll, "floor-receiver");
            poller.start();
        }

        private void poll() {
            while (running.get()) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> arrivals.put(r.topic() + "/" + r.key(), System.nanoTime()));
            }
            consumer.close(Duration.ofSeconds(5));
        }

        /**
         * Round trips, each a record produced to {@code to}: the times until {@code end} received it, or, with a
         * {@code middle} topic, [until middle received it, until end received it].
         */
        double[][] roundTrips(String to, String end, String middle) throws InterruptedException {
            long commitMs = settings.commitIntervalMs();
            List<Double> toEnd = new ArrayList<>();
            List<Double> toMiddle = new ArrayList<>();
            for (int i = 0; i < WARM_UP + samples; i++) {
                Thread.sleep(random.nextLong(Math.max(1, commitMs))); // land anywhere in the commit cycle
                String key = Integer.toString(i);
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(to, key, key));
                long endAt = await(end + "/" + key);
                if (i < WARM_UP) {
                    continue;
                }
                toEnd.add((endAt - t0) / 1e6);
                if (middle != null) {
                    toMiddle.add((await(middle + "/" + key) - t0) / 1e6);
                }
            }
            return middle == null ? new double[][] {Stats.sorted(toEnd)}
                    : new double[][] {Stats.sorted(toMiddle), Stats.sorted(toEnd)};
        }

        private long await(String what) throws InterruptedException {
            long deadline = System.nanoTime() + ROUND_TRIP_TIMEOUT.toNanos();
            Long at;
            while ((at = arrivals.get(what)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("floor: " + what + " did not arrive in " + ROUND_TRIP_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(1); // the poller stamps the arrival: this wait's granularity does not count
            }
            return at;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            poller.join(10_000);
            producer.close(Duration.ofSeconds(5));
        }
    }
}
