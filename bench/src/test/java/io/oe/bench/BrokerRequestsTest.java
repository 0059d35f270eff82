package io.oe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class BrokerRequestsTest {

    @Test
    void aStepCostsTheRequestsHandledBetweenTwoSnapshotsDividedByTheSteps() {
        var before = new BrokerRequests.Snapshot(Map.of("Fetch", 1000.0, "Produce", 200.0, "Metadata", 5.0),
                Map.of("FetchConsumer", 300.0, "Produce", 100.0));
        var after = new BrokerRequests.Snapshot(Map.of("Fetch", 3000.0, "Produce", 700.0, "Metadata", 5.0, "EndTxn", 300.0),
                Map.of("FetchConsumer", 700.0, "Produce", 350.0, "EndTxn", 60.0));

        BrokerRequests.PerStep perStep = BrokerRequests.perStep(before, after, 100);

        assertThat(perStep.requests()).containsExactly(Map.entry("Fetch", 20.0), Map.entry("Produce", 5.0), Map.entry("EndTxn", 3.0));
        assertThat(perStep.handlerMs()).containsExactly(Map.entry("FetchConsumer", 4.0), Map.entry("Produce", 2.5),
                Map.entry("EndTxn", 0.6));
        assertThat(perStep.totalRequests()).isEqualTo(28.0);
        assertThat(perStep.totalHandlerMs()).isCloseTo(7.1, within(1e-9));
    }

    @Test
    void typesThatDidNotGrowAreLeftOut() {
        var same = new BrokerRequests.Snapshot(Map.of("Heartbeat", 9.0), Map.of("Heartbeat", 1.0));

        assertThat(BrokerRequests.perStep(same, same, 10).requests()).isEmpty();
        assertThat(BrokerRequests.perStep(same, same, 10).handlerMs()).isEmpty();
    }

    /** What Kafka's Yammer metrics show over JMX: a meter's count, a histogram's count and mean. */
    public interface MetricMBean {
        long getCount();

        double getMean();
    }

    public record Metric(long count, double mean) implements MetricMBean {
        @Override
        public long getCount() {
            return count;
        }

        @Override
        public double getMean() {
            return mean;
        }
    }

    @Test
    void theProbeSumsEachRequestTypeOverItsApiVersionsCountsAFetchOnceAndTakesHandlerTimeAsMeanTimesCount() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        String prefix = "kafka.network:type=RequestMetrics,name=";
        server.registerMBean(new Metric(30, 0), new ObjectName(prefix + "RequestsPerSec,request=Fetch,version=16"));
        server.registerMBean(new Metric(12, 0), new ObjectName(prefix + "RequestsPerSec,request=Fetch,version=17"));
        server.registerMBean(new Metric(5, 0), new ObjectName(prefix + "RequestsPerSec,request=EndTxn,version=4"));
        server.registerMBean(new Metric(42, 0), new ObjectName(prefix + "RequestsPerSec,request=FetchConsumer,version=17"));
        server.registerMBean(new Metric(42, 0.5), new ObjectName(prefix + "LocalTimeMs,request=Fetch"));
        server.registerMBean(new Metric(42, 0.5), new ObjectName(prefix + "LocalTimeMs,request=FetchConsumer"));

        // attached as the benchmark attaches to the broker's process (this JVM allows it: see the pom)
        try (BrokerRequests probe = BrokerRequests.attach(ProcessHandle.current().pid())) {
            BrokerRequests.Snapshot s = probe.snapshot();

            assertThat(s.requests()).containsOnly(Map.entry("Fetch", 42.0), Map.entry("EndTxn", 5.0));
            // a fetch is also kept under who fetched (FetchConsumer): counted once
            assertThat(s.handlerMs()).containsOnly(Map.entry("Fetch", 21.0));
        }
    }
}
