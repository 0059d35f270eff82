package io.oe.handoff;

import io.oe.events.AgentResult;
import io.oe.events.HandoffStatus;
import io.oe.events.HandoffValidated;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.service.StreamsApps;
import io.oe.service.traces.TraceHeaders;
import io.oe.service.traces.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** agent-result → (validate, checksum, store) → handoff-validated. Re-processing gives the same handoff. */
@ApplicationScoped
public class HandoffTopology {
    private static final Logger LOG = Logger.getLogger(HandoffTopology.class);
    static final String SERVICE = "handoff-service";
    static final String APPLICATION_ID = KafkaAccess.HANDOFF_APPLICATION;

    @ConfigProperty(name = "oe.project-root")
    String projectRoot;
    @ConfigProperty(name = "oe.handoff.max-artifact-bytes")
    long maxArtifactBytes;
    @ConfigProperty(name = "oe.handoff.max-artifacts")
    int maxArtifacts;
    @ConfigProperty(name = "oe.handoff.max-directory-files")
    int maxDirectoryFiles;

    @Inject
    StreamsApps apps;
    @Inject
    Tracing tracing;

    void start(@Observes StartupEvent event) {
        apps.start(SERVICE, APPLICATION_ID, build(new HandoffProcessor(Path.of(projectRoot), maxArtifactBytes, maxArtifacts,
                maxDirectoryFiles, Clock.systemUTC()), tracing), Map.of());
    }

    /** The handoff keeps the result's headers: its trace context is the attempt's span, which it belongs to. */
    static Topology build(HandoffProcessor processor, Tracing tracing) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.AGENT_RESULT.name(), Consumed.with(Topics.AGENT_RESULT.keySerde(), Topics.AGENT_RESULT.valueSerde()))
                .filter((key, result) -> result != null)
                .processValues(() -> new FixedKeyProcessor<String, AgentResult, HandoffValidated>() {
                    private FixedKeyProcessorContext<String, HandoffValidated> context;

                    @Override
                    public void init(FixedKeyProcessorContext<String, HandoffValidated> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(FixedKeyRecord<String, AgentResult> record) {
                        context.forward(record.withValue(validate(processor, tracing, record, context.recordMetadata()
                                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("agent-result"))));
                    }
                })
                .to(Topics.HANDOFF_VALIDATED.name(), Produced.with(Topics.HANDOFF_VALIDATED.keySerde(),
                        Topics.HANDOFF_VALIDATED.valueSerde()));
        return builder.build();
    }

    /** One result's handoff, in a "handoff validation" span under the attempt's (its record's traceparent). */
    private static HandoffValidated validate(HandoffProcessor processor, Tracing tracing,
            FixedKeyRecord<String, AgentResult> record, String where) {
        AgentResult result = record.value();
        Span span = !tracing.enabled() ? null : tracing.start("handoff validation",
                TraceHeaders.read(record.headers(), where).orElse(null), Attributes.builder()
                        .put(AttributeKey.stringKey("oe.execution_id"), result.getExecutionId())
                        .put(AttributeKey.longKey("oe.phase_id"), (long) result.getPhaseId())
                        .put(AttributeKey.longKey("oe.attempt"), (long) result.getAttempt()).build());
        try {
            var handoff = processor.process(result);
            LOG.infof("%s %s: %s", handoff.getHandoffId(), handoff.getStatus(),
                    handoff.getError() == null ? handoff.getArtifacts().size() + " artifact(s) validated and stored"
                            : handoff.getError().lines().findFirst().orElse(""));
            if (span != null) {
                span.setAttribute("oe.handoff_status", handoff.getStatus().name());
                if (handoff.getStatus() != HandoffStatus.SUCCESS) {
                    span.setStatus(StatusCode.ERROR, handoff.getError() == null ? "" : handoff.getError().lines().findFirst().orElse(""));
                }
            }
            return handoff;
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }
}
