package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.events.AgentOutput;
import io.oe.events.OutputStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OutputPublisherTest {
    static AgentOutput chunk(long seq, boolean last) {
        return AgentOutput.newBuilder().setExecutionId("e1").setPhaseId(1).setAttempt(1).setStream(OutputStream.STDOUT)
                .setSeq(seq).setText("x").setAt(Instant.now()).setLast(last).build();
    }

    @Test
    void whenTheProducerIsStuckChunksBeyondTheQueueAreRefusedAtOnceAndCounted() throws Exception {
        var stuck = new CountDownLatch(1);
        var sending = new CountDownLatch(1);
        try (var publisher = new OutputPublisher(4, c -> {
            sending.countDown();
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            assertThat(publisher.offer(chunk(0, false))).isTrue();
            assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue(); // the drain thread holds chunk 0
            for (int i = 1; i <= 4; i++) {
                assertThat(publisher.offer(chunk(i, false))).isTrue();
            }
            long start = System.nanoTime();
            for (int i = 5; i < 1_000; i++) {
                assertThat(publisher.offer(chunk(i, false))).isFalse();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            assertThat(publisher.refused()).isEqualTo(995);
            stuck.countDown();
        }
    }
}
