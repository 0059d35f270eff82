package io.oe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oe.events.EngineState;
import io.oe.events.PhaseState;
import io.oe.events.StatusChanged;
import io.oe.events.TransitionCause;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.schemas.serde.EventDecodingException;
import io.oe.schemas.serde.EventDeserializer;
import io.oe.schemas.serde.EventSerializer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventSerdeTest {
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void everyTopicRoundTripsItsEventIncludingOptionalTimestamps() {
        EngineState state = EngineState.newBuilder().setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x")
                .setStatus("in_progress").setUpdatedAt(now).setStartTime(now)
                .setPhases(Map.of("1", new PhaseState(1, "Plan", "@plan", "t", "completed", 1, now, now, null, null, List.of(), List.of(), null, List.of(), TransitionCause.UNKNOWN, null)))
                .build();
        var serde = Topics.ENGINE_STATE.valueSerde();
        assertThat(serde.deserializer().deserialize("engine-state", serde.serializer().serialize("engine-state", state))).isEqualTo(state);
        StatusChanged changed = new StatusChanged("e1", 3, "ready", "in_progress", 1, null, "in_progress", now, null, null, null, null, TransitionCause.UNKNOWN, null);
        byte[] bytes = new EventSerializer().serialize("execution-status", changed);
        assertThat(new EventDeserializer().deserialize("execution-status", bytes)).isEqualTo(changed);
    }

    @Test
    void garbageAndEventsOfAnotherTypeAreRefusedWithAClearMessage() {
        var deserializer = new EventDeserializer();
        assertThatThrownBy(() -> deserializer.deserialize("execution-status", "{\"json\": true}".getBytes()))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("StatusChanged: not an Avro single-object");
        byte[] state = Topics.ENGINE_STATE.valueSerde().serializer().serialize("engine-state", EngineState.newBuilder()
                .setExecutionId("e1").setOrchestrationPlanId("p").setProjectName("x").setStatus("s").setUpdatedAt(now).build());
        assertThatThrownBy(() -> deserializer.deserialize("execution-status", state))
                .isInstanceOf(EventDecodingException.class).hasMessageContaining("StatusChanged");
        assertThatThrownBy(() -> deserializer.deserialize("no-such-topic", state)).hasMessageContaining("not an engine topic");
    }

    @Test
    void aRecordThatIsNotAnEventIsReadAsAValueThatSaysWhyInsteadOfAnException() {
        var decoding = new DecodingDeserializer();
        StatusChanged changed = new StatusChanged("e1", 3, "ready", "in_progress", 1, null, "in_progress", now, null, null, null, null, TransitionCause.UNKNOWN, null);
        byte[] good = new EventSerializer().serialize("execution-status", changed);
        assertThat(decoding.deserialize("execution-status", good)).isInstanceOfSatisfying(Decoded.Event.class,
                e -> assertThat(e.event()).isEqualTo(changed));

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        byte[] unknownFingerprint = good.clone();
        unknownFingerprint[5] ^= 0x5a; // bytes 2..9 are the schema's fingerprint
        byte[] garbage = "sixteen bytes!!!".getBytes();
        assertThat(decoding.deserialize("execution-status", garbage)).isInstanceOfSatisfying(Decoded.Undecodable.class,
                u -> assertThat(u.reason()).contains("not an Avro single-object encoded event"));
        assertThat(decoding.deserialize("execution-status", truncated)).isInstanceOfSatisfying(Decoded.Undecodable.class,
                u -> assertThat(u.reason()).contains("malformed event body"));
        assertThat(decoding.deserialize("execution-status", unknownFingerprint)).isInstanceOfSatisfying(Decoded.Undecodable.class,
                u -> assertThat(u.reason()).contains("schema this service does not know"));
        assertThat(decoding.deserialize("no-such-topic", good)).isInstanceOfSatisfying(Decoded.Undecodable.class,
                u -> assertThat(u.bytes()).isEqualTo(good));
        assertThat(decoding.deserialize("execution-status", null)).isNull();
    }

    @Test
    void phaseReadyIsKeyedPerPhaseSubmissionsPerSubmissionSeatRequestsPerLimitAndEveryOtherTopicPerExecution() {
        assertThat(Topics.phaseKey("e1", 12)).isEqualTo("e1/12");
        assertThat(Topics.ALL).filteredOn(t -> !t.keyedBy().equals("execution_id"))
                .containsExactly(Topics.PLAN_SUBMISSIONS, Topics.PLAN_REJECTED, Topics.PHASE_READY, Topics.DEAD_LETTERS,
                        Topics.SEAT_REQUESTS);
        // one record per execution, tombstoned when it is pruned
        assertThat(Topics.ALL).filteredOn(Topic::compacted)
                .containsExactly(Topics.PLAN_LOADED, Topics.ENGINE_STATE, Topics.EXECUTION_DIRECTORY);
    }
}
