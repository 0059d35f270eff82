package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.PhaseReady;
import io.oe.schemas.serde.EventCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** The build's schema evolution gate: every change kept as a version, and every version compatible both ways. */
class SchemaHistoryTest {

    @Test
    void everyEventSchemaIsItsLatestKeptVersion() {
        var versions = SchemaHistory.versions();
        List<String> problems = new ArrayList<>();
        for (Topic<?> t : Topics.ALL) {
            Schema current = SpecificData.get().getSchema(t.valueType());
            List<Schema> kept = versions.get(current.getName());
            if (kept == null) {
                problems.add(current.getName() + " has no kept version: add avro-history/" + current.getName() + "/v1.avsc");
            } else if (!kept.get(kept.size() - 1).equals(current)) {
                problems.add(current.getName() + " changed since v" + kept.size() + ": add it as avro-history/"
                        + current.getName() + "/v" + (kept.size() + 1) + ".avsc (and to index.txt)");
            }
        }
        assertThat(problems).as("schema history").isEmpty();
    }

    @Test
    void everyVersionIsBackwardAndForwardCompatibleWithEveryOther() {
        List<String> problems = new ArrayList<>();
        SchemaHistory.versions().forEach((name, list) -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    int older = i + 1;
                    int newer = j + 1;
                    SchemaHistory.compatibilityProblems(list.get(i), list.get(j))
                            .forEach(p -> problems.add(name + " v" + older + " -> v" + newer + ": " + p));
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckerFailsADeliberatelyBrokenCopy() {
        Schema current = SpecificData.get().getSchema(PhaseReady.class);
        String json = current.toString();
        // a new field without a default: old events lack it, so the new version cannot read them
        Schema noDefault = new Schema.Parser().parse(json.replace("{\"name\":\"attempt\",",
                "{\"name\":\"priority\",\"type\":\"int\"},{\"name\":\"attempt\","));
        assertThat(SchemaHistory.compatibilityProblems(current, noDefault))
                .singleElement().satisfies(p -> assertThat(p).startsWith("not backward compatible").contains("priority"));
        // a field whose type changed: neither side reads the other
        Schema retyped = new Schema.Parser().parse(json.replace("{\"name\":\"attempt\",\"type\":\"int\"",
                "{\"name\":\"attempt\",\"type\":\"string\""));
        assertThat(SchemaHistory.compatibilityProblems(current, retyped)).hasSize(2);
    }

    @Test
    void anEventWrittenWithThePreviousVersionStillDecodes() throws Exception {
        Schema v1 = SchemaHistory.versions().get("PhaseReady").get(0);
        assertThat(v1.getField("input_contracts")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        for (Schema.Field f : v1.getFields()) {
            if (f.hasDefaultValue()) {
                old.put(f.name(), GenericData.get().getDefaultValue(f));
            }
        }
        old.put("execution_id", "e1");
        old.put("phase_id", 3);
        old.put("phase_name", "Docs");
        old.put("agent", "@doc");
        old.put("attempt", 1);
        old.put("project_dir", "/p");
        old.put("ready_at", 1_700_000_000_000L);
        old.put("timeout_ms", 60_000L);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);

        PhaseReady decoded = EventCodec.of(PhaseReady.class).decode(b);
        assertThat(decoded.getPhaseName()).isEqualTo("Docs");
        assertThat(decoded.getInputContracts()).isEmpty(); // the field v2 added takes its default
    }
}
