package io.oe.handoff;

import io.oe.schemas.Topics;
import io.oe.service.StreamsApps;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** agent-result → (validate, checksum, store) → handoff-validated. Re-processing gives the same handoff. */
@ApplicationScoped
public class HandoffTopology {
    private static final Logger LOG = Logger.getLogger(HandoffTopology.class);
    static final String SERVICE = "handoff-service";
    static final String APPLICATION_ID = "oe-handoff-service";

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

    void start(@Observes StartupEvent event) {
        apps.start(SERVICE, APPLICATION_ID, build(new HandoffProcessor(Path.of(projectRoot), maxArtifactBytes, maxArtifacts,
                maxDirectoryFiles, Clock.systemUTC())), Map.of());
    }

    static Topology build(HandoffProcessor processor) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.AGENT_RESULT.name(), Consumed.with(Topics.AGENT_RESULT.keySerde(), Topics.AGENT_RESULT.valueSerde()))
                .filter((key, result) -> result != null)
                .mapValues(result -> {
                    var handoff = processor.process(result);
                    LOG.infof("%s %s: %s", handoff.getHandoffId(), handoff.getStatus(),
                            handoff.getError() == null ? handoff.getArtifacts().size() + " artifact(s) validated and stored"
                                    : handoff.getError().lines().findFirst().orElse(""));
                    return handoff;
                })
                .to(Topics.HANDOFF_VALIDATED.name(), Produced.with(Topics.HANDOFF_VALIDATED.keySerde(),
                        Topics.HANDOFF_VALIDATED.valueSerde()));
        return builder.build();
    }
}
