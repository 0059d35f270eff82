package io.oe.planloader;

import io.oe.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The publishing seam without Kafka: keeps what was published, and hands each event to the execution directory as
 * its consumer of plan-loaded would, so that a command after a submission finds the execution.
 */
class RecordingPublisher implements EventPublisher {
    record Published(String topic, String key, SpecificRecord event) {
    }

    final List<Published> published = new ArrayList<>();
    private final ExecutionDirectory directory;

    RecordingPublisher(ExecutionDirectory directory) {
        this.directory = directory;
    }

    @Override
    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event) {
        published.add(new Published(topic.name(), key, event));
        directory.apply(event);
    }
}
