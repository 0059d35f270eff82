package io.oe.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oe.events.Alert;
import io.oe.events.DeadLetter;
import io.oe.events.DeadLetterStage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    record Published(String topic, String key, SpecificRecord event) {
    }

    final List<Published> published = new ArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DeadLetters deadLetters = new DeadLetters(registry, (topic, key, event) -> published.add(new Published(topic, key, event)));

    @Test
    void aRecordSetAsideKeepsItsCoordinatesAndReasonItsValueCutAndRaisesAnAlertForItsExecution() {
        byte[] value = new byte[DeadLetters.KEPT_VALUE_BYTES + 10];
        deadLetters.setAside(new DeadLetters.Source("phase-scheduler", DeadLetterStage.DECODING, "agent-result", 2, 17, null,
                "exec_1".getBytes(StandardCharsets.UTF_8), value), new IllegalArgumentException("not an event"));

        assertThat(published).extracting(Published::topic).containsExactly("dead-letters", "alerts");
        DeadLetter letter = (DeadLetter) published.get(0).event();
        assertThat(published.get(0).key()).isEqualTo("agent-result");
        assertThat(letter.getService()).isEqualTo("phase-scheduler");
        assertThat(letter.getSourcePartition()).isEqualTo(2);
        assertThat(letter.getSourceOffset()).isEqualTo(17);
        assertThat(letter.getReason()).isEqualTo("not an event");
        assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.KEPT_VALUE_BYTES);
        assertThat(letter.getValueSize()).isEqualTo(value.length);
        Alert alert = (Alert) published.get(1).event();
        assertThat(published.get(1).key()).isEqualTo("exec_1");
        assertThat(alert.getKind()).isEqualTo("dead_letter");
        assertThat(alert.getAlertId()).isEqualTo("dl_phase-scheduler_agent-result_2_17");
        assertThat(alert.getMessage()).contains("agent-result[2]@17", "not an event", "dead-letters");
        assertThat(registry.get("oe.dead.letters").tag("service", "phase-scheduler").tag("topic", "agent-result")
                .tag("stage", "decoding").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theAlertNamesTheExecutionOnlyWhenTheKeyIsOneOfATopicKeyedByExecution() {
        assertThat(DeadLetters.executionOf("phase-ready", "exec_9/3".getBytes(StandardCharsets.UTF_8))).isEqualTo("exec_9");
        assertThat(DeadLetters.executionOf("agent-result", new byte[] {(byte) 0xff, 0x01})).isEmpty();
        assertThat(DeadLetters.executionOf("agent-result", "a key\nwith a newline".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(DeadLetters.executionOf("plan-submissions", "release-42".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(DeadLetters.executionOf("no-such-topic", "exec_1".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(DeadLetters.executionOf("agent-result", null)).isEmpty();
    }

    @Test
    void theReasonSaysEachCauseOnceOnOneLine() {
        var cause = new IllegalStateException("Unrecognized header bytes: 0x73 0x69");
        var e = new RuntimeException("AgentResult: not an event (Unrecognized header bytes: 0x73 0x69)\nsecond line", cause);
        assertThat(DeadLetters.reason(e)).isEqualTo("AgentResult: not an event (Unrecognized header bytes: 0x73 0x69) second line");
        assertThat(DeadLetters.reason(new RuntimeException("outer", new IllegalArgumentException("inner"))))
                .isEqualTo("outer <- inner");
    }

    @Test
    void aDeadLetterThatCannotBePublishedIsLoggedAndNeverThrows() {
        DeadLetters failing = new DeadLetters(registry, (topic, key, event) -> {
            throw new IllegalStateException("broker gone");
        });
        failing.setAside(new DeadLetters.Source("monitor-service", DeadLetterStage.DECODING, "engine-state", 0, 1, null, null, null),
                new IllegalArgumentException("bad"));
        assertThat(registry.get("oe.dead.letters").tag("service", "monitor-service").counter().count()).isEqualTo(1.0);
    }
}
