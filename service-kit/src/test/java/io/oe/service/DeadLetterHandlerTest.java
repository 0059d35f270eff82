package io.oe.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.oe.events.AgentResult;
import io.oe.events.DeadLetter;
import io.oe.events.DeadLetterStage;
import io.oe.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** A stream with the handlers {@link StreamsApp} installs: what it cannot take is set aside and the next record goes through. */
class DeadLetterHandlerTest {
    final List<SpecificRecord> deadLetters = new ArrayList<>();

    TopologyTestDriver driver() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(Topics.AGENT_RESULT.name(), Consumed.with(Topics.AGENT_RESULT.keySerde(), Topics.AGENT_RESULT.valueSerde()))
                .mapValues(r -> {
                    if (r.getAgent().equals("@poison")) {
                        throw new IllegalStateException("cannot handle " + r.getAgent());
                    }
                    return r;
                })
                .to("out", Produced.with(Topics.AGENT_RESULT.keySerde(), Topics.AGENT_RESULT.valueSerde()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-handler-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(DeadLetterHandler.DEAD_LETTERS_CONFIG, new DeadLetters(new SimpleMeterRegistry(), (topic, key, event) -> {
            if (topic.equals(Topics.DEAD_LETTERS.name())) {
                deadLetters.add(event);
            }
        }));
        p.put(DeadLetterHandler.SERVICE_CONFIG, "handoff-service");
        return new TopologyTestDriver(b.build(), p);
    }

    static AgentResult result(String agent) {
        Instant now = Instant.now();
        return AgentResult.newBuilder().setExecutionId("e1").setPhaseId(1).setAttempt(1).setAgent(agent).setProjectDir("/p")
                .setSuccess(true).setStartedAt(now).setEndedAt(now).setWorkspaceDir("/w").build();
    }

    @Test
    void aRecordThatIsNotAnEventIsSetAsideAndTheNextEventIsProcessed() {
        try (var driver = driver()) {
            var raw = driver.createInputTopic(Topics.AGENT_RESULT.name(), new StringSerializer(), new ByteArraySerializer());
            var out = driver.createOutputTopic("out", Topics.AGENT_RESULT.keySerde().deserializer(),
                    Topics.AGENT_RESULT.valueSerde().deserializer());
            raw.pipeInput("e1", "sixteen bytes!!!".getBytes());
            raw.pipeInput("e1", Topics.AGENT_RESULT.valueSerde().serializer().serialize("agent-result", result("@doc")));

            assertThat(out.readValuesToList()).extracting(AgentResult::getAgent).containsExactly("@doc");
            assertThat(deadLetters).singleElement().isInstanceOfSatisfying(DeadLetter.class, d -> {
                assertThat(d.getStage()).isEqualTo(DeadLetterStage.DECODING);
                assertThat(d.getService()).isEqualTo("handoff-service");
                assertThat(d.getSourceTopic()).isEqualTo("agent-result");
                assertThat(d.getSourceOffset()).isZero();
                assertThat(d.getReason()).contains("not an Avro single-object encoded event");
            });
        }
    }

    @Test
    void anEventWhoseProcessingFailsIsSetAsideWithItsBytesAndTheStreamGoesOn() {
        try (var driver = driver()) {
            var in = driver.createInputTopic(Topics.AGENT_RESULT.name(), Topics.AGENT_RESULT.keySerde().serializer(),
                    Topics.AGENT_RESULT.valueSerde().serializer());
            var out = driver.createOutputTopic("out", Topics.AGENT_RESULT.keySerde().deserializer(),
                    Topics.AGENT_RESULT.valueSerde().deserializer());
            in.pipeInput("e1", result("@poison"));
            in.pipeInput("e1", result("@doc"));

            assertThat(out.readValuesToList()).extracting(AgentResult::getAgent).containsExactly("@doc");
            assertThat(deadLetters).singleElement().isInstanceOfSatisfying(DeadLetter.class, d -> {
                assertThat(d.getStage()).isEqualTo(DeadLetterStage.PROCESSING);
                assertThat(d.getReason()).contains("cannot handle @poison");
                assertThat(d.getValueSize()).isPositive();
            });
        }
    }
}
