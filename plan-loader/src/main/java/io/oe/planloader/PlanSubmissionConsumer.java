package io.oe.planloader;

import io.oe.core.api.TooLarge;
import io.oe.core.plan.Violation;
import io.oe.events.PlanRejected;
import io.oe.events.PlanSubmission;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.oe.events.DeadLetterStage;
import io.oe.events.PlanViolation;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.oe.schemas.serde.EventDecodingException;
import io.oe.schemas.serde.WireFormats;
import io.oe.service.ConsumerLoops;
import io.oe.service.DeadLetters;
import io.oe.service.KafkaSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Plan intake by event: each plan-submissions record goes through {@link PlanIntake} exactly as a REST submission
 * does, and ends as plan-loaded or plan-rejected. Records are read as bytes and decoded here, so a malformed body, an
 * unknown schema or an oversized one becomes a rejection instead of stopping the consumer. The offset is committed
 * after the answer is durable; a submission redelivered after a crash names the same execution (its id derives from
 * the submission id), which is registered once.
 */
@ApplicationScoped
public class PlanSubmissionConsumer {
    private static final Logger LOG = Logger.getLogger(PlanSubmissionConsumer.class);
    static final String GROUP = KafkaAccess.PLAN_LOADER_GROUP;

    @Inject
    MeterRegistry registry;
    @Inject
    KafkaSettings kafka;
    @Inject
    ConsumerLoops loops;
    @Inject
    DeadLetters deadLetters;
    @Inject
    PlanIntake plans;
    @Inject
    EventPublisher publisher;
    @Inject
    Tracing tracing;
    @ConfigProperty(name = "oe.intake.max-submission-bytes")
    int maxBytes;

    void start(@Observes StartupEvent ev) {
        loops.start(PlanIntake.SERVICE, "plan-submissions", this::run);
    }

    private void run(ConsumerLoops.Loop loop) {
        Map<String, Object> c = kafka.consumer(GROUP);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(maxBytes + 4096, 1 << 20));
        // the record is committed once answered: after a failure it is taken again (and answered once)
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
                var consumerMetrics = new KafkaClientMetrics(consumer)) {
            consumerMetrics.bindTo(registry); // plan-submissions lag
            consumer.subscribe(List.of(Topics.PLAN_SUBMISSIONS.name()));
            while (loop.running()) {
                var records = consumer.poll(ConsumerLoops.POLL);
                loop.polled();
                for (ConsumerRecord<String, byte[]> rec : records) {
                    handle(rec);
                    consumer.commitSync(Map.of(new TopicPartition(rec.topic(), rec.partition()),
                            new OffsetAndMetadata(rec.offset() + 1)));
                }
            }
        }
    }

    void handle(ConsumerRecord<String, byte[]> rec) {
        String source = rec.topic() + "@" + rec.partition() + ":" + rec.offset();
        String key = rec.key() == null ? "(no key)" : rec.key();
        if (rec.value() == null || rec.value().length == 0) {
            reject(key, source, "empty submission record", List.of());
            return;
        }
        if (rec.value().length > maxBytes) {
            reject(key, source, TooLarge.sentence("the plan-submissions record", rec.value().length, maxBytes),
                    List.of(new Violation("event", "make the bundle smaller, or raise oe.intake.max-submission-bytes")));
            return;
        }
        PlanSubmission s;
        try {
            s = WireFormats.current().decode(rec.topic(), PlanSubmission.class, rec.value());
        } catch (EventDecodingException e) {
            reject(key, source, "submission cannot be decoded", List.of(new Violation("event", e.getMessage())));
            deadLetters.setAside(new DeadLetters.Source(PlanIntake.SERVICE, DeadLetterStage.DECODING, rec.topic(),
                    rec.partition(), rec.offset(), null, rec.key() == null ? null : rec.key().getBytes(StandardCharsets.UTF_8),
                    rec.value()), e);
            return;
        }
        if (rec.key() != null && !rec.key().equals(s.getSubmissionId())) {
            reject(s.getSubmissionId(), source, "the record key must be the submission id", List.of(new Violation("key",
                    "key '" + rec.key() + "' but submission_id '" + s.getSubmissionId() + "'")));
            return;
        }
        PlanIntake.Outcome outcome;
        // the submitter's trace context, if its record has one, is the parent of the "plan submitted" span
        SpanContext caller = tracing.enabled() ? TraceHeaders.read(rec.headers(), source).orElse(null) : null;
        try (Scope scope = caller == null ? Scope.noop() : Context.root().with(Span.wrap(caller)).makeCurrent()) {
            outcome = plans.submit(s.getBundleJson(), s.getSubmissionId(), s.getSubmittedBy());
        }
        if (outcome instanceof PlanIntake.Outcome.Rejected r) {
            reject(s.getSubmissionId(), source, r.error(), r.violations());
        } else if (outcome instanceof PlanIntake.Outcome.Accepted a) {
            LOG.infof("submission %s (%s) -> execution %s%s", s.getSubmissionId(), source, a.event().getExecutionId(),
                    a.duplicate() ? " (duplicate: already started)" : "");
        }
    }

    private void reject(String submissionId, String source, String error, List<Violation> violations) {
        LOG.infof("submission %s (%s) rejected: %s", submissionId, source, error);
        publisher.publish(Topics.PLAN_REJECTED, submissionId, PlanRejected.newBuilder()
                .setSubmissionId(submissionId)
                .setError(error)
                .setViolations(violations.stream().map(v -> new PlanViolation(v.where(), v.message())).toList())
                .setSource(source)
                .setRejectedAt(Instant.now())
                .build());
    }
}
