package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.events.StatusChanged;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventSerializer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TailCommandTest {
    @Test
    void aRecordIsOneReadableLineAndABadOneSaysWhy() {
        StatusChanged s = StatusChanged.newBuilder().setExecutionId("e1").setPhaseId(2).setFromStatus("ready")
                .setToStatus("in_progress").setAttempt(1).setExecutionStatus("in_progress").setAt(Instant.EPOCH).build();
        byte[] bytes = new EventSerializer().serialize("execution-status", s);
        String line = TailCommand.line(Topics.EXECUTION_STATUS, new ConsumerRecord<>("execution-status", 3, 42L, "e1", bytes));
        assertThat(line).contains("execution-status[3]@42 e1 ").contains("\"to_status\": \"in_progress\"");
        String bad = TailCommand.line(Topics.EXECUTION_STATUS, new ConsumerRecord<>("execution-status", 0, 7L, "e1", new byte[] {1, 2}));
        assertThat(bad).contains("(undecodable: StatusChanged");
        assertThat(TailCommand.matches("e1/12", "e1")).isTrue();
        assertThat(TailCommand.matches("e12", "e1")).isFalse();
    }

    @Test
    void withJsonEachRecordIsOneJsonObjectWithItsCoordinatesAndTheEvent() throws Exception {
        StatusChanged s = StatusChanged.newBuilder().setExecutionId("e1").setPhaseId(2).setFromStatus("ready")
                .setToStatus("in_progress").setAttempt(1).setExecutionStatus("in_progress")
                .setAt(Instant.parse("2026-01-13T12:00:00Z")).build();
        byte[] bytes = new EventSerializer().serialize("execution-status", s);
        var record = new ConsumerRecord<>("execution-status", 3, 42L, 1_768_305_600_000L, TimestampType.CREATE_TIME, 0, 0, "e1",
                bytes, new RecordHeaders(), Optional.<Integer>empty());

        String line = TailCommand.jsonLine(Topics.EXECUTION_STATUS, record);
        assertThat(line).doesNotContain("\n");
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("topic").asText()).isEqualTo("execution-status");
        assertThat(json.path("partition").asInt()).isEqualTo(3);
        assertThat(json.path("offset").asLong()).isEqualTo(42);
        assertThat(json.path("key").asText()).isEqualTo("e1");
        assertThat(json.path("timestamp").asText()).isEqualTo("2026-01-13T12:00:00Z");
        assertThat(json.path("type").asText()).isEqualTo("StatusChanged");
        JsonNode event = json.path("event");
        assertThat(event.path("phase_id").asInt()).isEqualTo(2);
        assertThat(event.path("to_status").asText()).isEqualTo("in_progress");
        assertThat(event.path("at").asText()).isEqualTo("2026-01-13T12:00:00Z");
        assertThat(event.path("reason").isNull()).isTrue();

        JsonNode bad = Json.MAPPER.readTree(TailCommand.jsonLine(Topics.EXECUTION_STATUS,
                new ConsumerRecord<>("execution-status", 0, 7L, "e1", new byte[] {1, 2})));
        assertThat(bad.path("event").isNull()).isTrue();
        assertThat(bad.path("error").asText()).contains("StatusChanged");
        JsonNode tombstone = Json.MAPPER.readTree(TailCommand.jsonLine(Topics.ENGINE_STATE,
                new ConsumerRecord<>("engine-state", 0, 8L, "e1", null)));
        assertThat(tombstone.path("event").isNull()).isTrue();
        assertThat(tombstone.has("error")).isFalse();
    }
}
