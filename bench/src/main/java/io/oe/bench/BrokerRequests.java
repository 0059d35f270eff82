package io.oe.bench;

import com.sun.tools.attach.VirtualMachine;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the broker was asked to do, from its own request metrics ({@code kafka.network:type=RequestMetrics}) read
 * over JMX from the broker's process (attached as {@code jcmd} does: nothing to configure in the stack). Per request
 * type: how many requests were handled ({@code RequestsPerSec}'s count) and how long its request handler threads
 * spent on them ({@code LocalTimeMs}: mean × count is the sum, exact for Kafka's histograms). Two snapshots around a
 * graph, divided by its steps, say what a step costs the broker in requests, the part of its CPU that records do not
 * explain (a fetch answered because one record arrived costs as much as one that carries a hundred). Counts, like
 * {@link BrokerWrites}: the same on a quiet machine and a busy one; handler times are not.
 */
final class BrokerRequests implements AutoCloseable {
    private static final String REQUEST_METRICS = "kafka.network:type=RequestMetrics,name=%s,*";
    /** Kafka also keeps a fetch's metrics under who fetched: counted once, as {@code Fetch}. */
    private static final Set<String> ALSO_COUNTED_AS_FETCH = Set.of("FetchConsumer", "FetchFollower");

    /** Requests handled and handler milliseconds by request type, at one moment. */
    record Snapshot(Map<String, Double> requests, Map<String, Double> handlerMs) {
    }

    /** Per step, by request type, busiest first: {@code requests} handled and {@code handlerMs} spent on them. */
    record PerStep(Map<String, Double> requests, Map<String, Double> handlerMs) {
        static final PerStep NONE = new PerStep(Map.of(), Map.of());

        double totalRequests() {
            return Stats.sum(requests);
        }

        double totalHandlerMs() {
            return Stats.sum(handlerMs);
        }
    }

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private BrokerRequests(JMXConnector connector) throws Exception {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
    }

    /** Attaches to the broker's JVM (the standalone process, or the separate stack's broker process). */
    static BrokerRequests attach(long brokerPid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(brokerPid));
        try {
            String address = vm.startLocalManagementAgent();
            return new BrokerRequests(JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } finally {
            vm.detach();
        }
    }

    Snapshot snapshot() throws Exception {
        Map<String, Double> requests = new HashMap<>();
        for (ObjectName name : mbeans.queryNames(new ObjectName(String.format(REQUEST_METRICS, "RequestsPerSec")), null)) {
            if (ALSO_COUNTED_AS_FETCH.contains(name.getKeyProperty("request"))) {
                continue;
            }
            // one MBean per request type and API version: summed by type
            requests.merge(name.getKeyProperty("request"), ((Number) mbeans.getAttribute(name, "Count")).doubleValue(), Double::sum);
        }
        Map<String, Double> handlerMs = new HashMap<>();
        for (ObjectName name : mbeans.queryNames(new ObjectName(String.format(REQUEST_METRICS, "LocalTimeMs")), null)) {
            if (ALSO_COUNTED_AS_FETCH.contains(name.getKeyProperty("request"))) {
                continue;
            }
            double count = ((Number) mbeans.getAttribute(name, "Count")).doubleValue();
            double mean = ((Number) mbeans.getAttribute(name, "Mean")).doubleValue();
            handlerMs.merge(name.getKeyProperty("request"), count * mean, Double::sum);
        }
        return new Snapshot(requests, handlerMs);
    }

    /** What happened between two snapshots, per step, by request type (types with none left out), busiest first. */
    static PerStep perStep(Snapshot before, Snapshot after, int steps) {
        return new PerStep(Stats.grownPerStep(before.requests(), after.requests(), steps),
                Stats.grownPerStep(before.handlerMs(), after.handlerMs(), steps));
    }

    @Override
    public void close() throws Exception {
        connector.close();
    }
}
