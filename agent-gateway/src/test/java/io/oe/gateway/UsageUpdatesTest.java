package io.oe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A running attempt's usage goes out at once, then at most once a second however many lines the agent prints. */
class UsageUpdatesTest {
    @Test
    void aFloodOfAcceptedReportsSendsAtMostOneEventASecondAndTheLastFigureAfterTheInterval() {
        AtomicInteger sent = new AtomicInteger();
        UsageUpdates updates = new UsageUpdates(sent::incrementAndGet);
        updates.accepted(10_000);
        assertThat(sent).as("the first at once").hasValue(1);
        for (int ms = 1; ms < 1000; ms++) {
            updates.accepted(10_000 + ms);
            updates.tick(10_000 + ms);
        }
        assertThat(sent).as("a thousand reports within the second").hasValue(1);
        updates.tick(11_000);
        assertThat(sent).as("what was held back, once the second passed").hasValue(2);
        updates.tick(12_500);
        assertThat(sent).as("nothing new, nothing sent").hasValue(2);
        updates.accepted(13_000);
        assertThat(sent).as("a report after a quiet spell goes at once").hasValue(3);
    }
}
