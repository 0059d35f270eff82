package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.StatusChanged;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.EventSerializer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
}
