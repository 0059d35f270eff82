package io.oe.scheduler;

import io.oe.core.plan.PlanJson;
import io.oe.core.scheduler.ExecutionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The store's value format. The store and its changelog are this service's private memory, not a contract between
 * services, so they hold the domain state as JSON rather than as an Avro event (docs/architecture.md).
 */
final class ExecutionStateSerde {
    private ExecutionStateSerde() {
    }

    static Serde<ExecutionState> serde() {
        Serializer<ExecutionState> ser = (topic, state) -> {
            try {
                return state == null ? null : PlanJson.MAPPER.writeValueAsBytes(state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Deserializer<ExecutionState> de = (topic, bytes) -> {
            try {
                return bytes == null ? null : PlanJson.MAPPER.readValue(bytes, ExecutionState.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }
}
