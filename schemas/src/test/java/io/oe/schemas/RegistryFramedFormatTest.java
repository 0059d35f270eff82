package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.events.StatusChanged;
import io.oe.schemas.serde.EventDecodingException;
import io.oe.schemas.serde.EventDeserializer;
import io.oe.schemas.serde.EventSerializer;
import io.oe.schemas.serde.RegistryFramedFormat;
import io.oe.schemas.serde.SchemaRegistry;
import io.oe.schemas.serde.SingleObjectFormat;
import io.oe.schemas.serde.WireFormats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serde seam with a registry test double: switching the wire format to the Confluent framing changes the bytes on
 * the topic and nothing else — the same Topic serdes and class-name serializers every service uses still round-trip.
 */
class RegistryFramedFormatTest {

    /** What a Confluent or Apicurio registry does for the format: ids by subject and schema, schemas by id. */
    static final class InMemoryRegistry implements SchemaRegistry {
        final List<Schema> schemas = new ArrayList<>();
        final Map<String, List<Integer>> subjects = new LinkedHashMap<>();

        @Override
        public synchronized int register(String subject, Schema schema) {
            int id = schemas.indexOf(schema);
            if (id < 0) {
                schemas.add(schema);
                id = schemas.size() - 1;
            }
            subjects.computeIfAbsent(subject, k -> new ArrayList<>()).add(id + 1);
            return id + 1;
        }

        @Override
        public synchronized Schema byId(int id) {
            if (id < 1 || id > schemas.size()) {
                throw new IllegalArgumentException("no schema " + id);
            }
            return schemas.get(id - 1);
        }
    }

    @AfterEach
    void restore() {
        WireFormats.use(new SingleObjectFormat());
    }

    private static StatusChanged event() {
        return StatusChanged.newBuilder().setExecutionId("e1").setPhaseId(2).setFromStatus("ready").setToStatus("in_progress")
                .setAttempt(1).setExecutionStatus("in_progress").setAt(Instant.parse("2026-11-24T10:00:00Z")).build();
    }

    @Test
    void eventsTravelInTheRegistryFramingThroughTheUnchangedSerdes() {
        InMemoryRegistry registry = new InMemoryRegistry();
        WireFormats.use(new RegistryFramedFormat(registry));

        byte[] bytes = Topics.EXECUTION_STATUS.valueSerde().serializer().serialize("execution-status", event());
        assertThat(bytes[0]).isZero();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(1);
        assertThat(registry.subjects).containsOnlyKeys("execution-status-value");
        assertThat(Topics.EXECUTION_STATUS.valueSerde().deserializer().deserialize("execution-status", bytes)).isEqualTo(event());
        // the class-name serializers that plain clients configure go the same way
        byte[] viaClient = new EventSerializer().serialize("execution-status", event());
        assertThat(viaClient).isEqualTo(bytes);
        assertThat(new EventDeserializer().deserialize("execution-status", viaClient)).isEqualTo(event());
    }

    @Test
    void bytesInTheOtherFormatOrWithAnUnknownIdAreRefusedClearly() {
        byte[] singleObject = new EventSerializer().serialize("execution-status", event());
        WireFormats.use(new RegistryFramedFormat(new InMemoryRegistry()));
        assertThatThrownBy(() -> new EventDeserializer().deserialize("execution-status", singleObject))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("no magic byte");
        assertThatThrownBy(() -> new EventDeserializer().deserialize("execution-status", new byte[] {0, 0, 0, 0, 9, 1}))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("schema id 9 unknown to the registry");
    }
}
