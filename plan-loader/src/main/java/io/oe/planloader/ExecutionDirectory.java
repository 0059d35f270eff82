package io.oe.planloader;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.ExecutionStatus;
import io.oe.core.scheduler.PhaseStatus;
import io.oe.events.PlanLoaded;
import io.oe.events.StatusChanged;
import io.oe.schemas.KafkaClientSecurity;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventDeserializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * What the plan-loader knows of executions: which exist, and the status of each and of its phases, read from
 * plan-loaded and execution-status (the scheduler's transitions). It lets the intake refuse a command on an unknown
 * execution or phase, or one that makes no sense in the current state, before anything is published. The scheduler
 * checks again with its own state, so a command that races a transition is still refused there.
 */
@ApplicationScoped
public class ExecutionDirectory {
    private static final Logger LOG = Logger.getLogger(ExecutionDirectory.class);

    public record Known(ExecutionStatus status, Map<Integer, PhaseStatus> phases) {
    }

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private final Map<String, Known> executions = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread reader;

    void start(@Observes StartupEvent ev) {
        reader = new Thread(this::read, "execution-directory");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
    }

    /** The execution, waiting up to {@code patience} for its plan-loaded to arrive (it may have just been created). */
    public Optional<Known> find(String executionId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Known k = executions.get(executionId);
            if (k != null || System.nanoTime() > deadline) {
                return Optional.ofNullable(k);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private void read() {
        Map<String, Object> c = new HashMap<>();
        c.putAll(KafkaClientSecurity.connectionOf(kafkaConfig));
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        while (running) {
            try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                    new EventDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : List.of(Topics.PLAN_LOADED.name(), Topics.EXECUTION_STATUS.name())) {
                    consumer.partitionsFor(topic, Duration.ofSeconds(30))
                            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> apply(r.value()));
                }
            } catch (Exception e) {
                LOG.warnf("execution directory reader restarting: %s", e.getMessage());
                sleep();
            }
        }
    }

    void apply(SpecificRecord event) {
        if (event instanceof PlanLoaded p) {
            Map<Integer, PhaseStatus> phases = new ConcurrentHashMap<>();
            for (JsonNode ph : PlanJson.parse(p.getPlanJson()).path("phases")) {
                phases.put(ph.path("id").asInt(), "completed".equals(ph.path("status").asText())
                        ? PhaseStatus.COMPLETED : PhaseStatus.PENDING);
            }
            executions.putIfAbsent(p.getExecutionId(), new Known(ExecutionStatus.INITIALIZED, phases));
        } else if (event instanceof StatusChanged s) {
            executions.computeIfPresent(s.getExecutionId(), (id, k) -> {
                if (s.getPhaseId() != null) {
                    k.phases().put(s.getPhaseId(), PhaseStatus.parse(s.getToStatus()));
                }
                return new Known(ExecutionStatus.parse(s.getExecutionStatus()), k.phases());
            });
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
