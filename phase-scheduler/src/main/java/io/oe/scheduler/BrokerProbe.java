package io.oe.scheduler;

import io.oe.core.scheduler.BrokerContact;
import io.oe.service.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jboss.logging.Logger;

/**
 * Asks the broker once a second whether it is there, for {@link BrokerContact}: the scheduler's timers stand still
 * while it is cut off (a broker restart, a network split), instead of declaring healthy agents lost.
 */
@ApplicationScoped
public class BrokerProbe {
    private static final Logger LOG = Logger.getLogger(BrokerProbe.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final BrokerContact contact = new BrokerContact();
    private Admin admin;
    private ScheduledExecutorService timer;

    @Inject
    KafkaSettings kafka;

    BrokerContact contact() {
        return contact;
    }

    synchronized void start() {
        if (timer != null) {
            return;
        }
        Map<String, Object> c = kafka.admin("oe-phase-scheduler-probe");
        // an answer later than this is no contact: the probe asks again within the second
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500);
        // it asks once a second anyway: reconnecting faster would only log more while the broker is away
        c.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        admin = Admin.create(c);
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "oe-broker-probe"));
        timer.scheduleWithFixedDelay(this::probe, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        boolean wasCutOff = contact.cutOff();
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(1500)).clusterId().get(2, TimeUnit.SECONDS);
            contact.reached(System.currentTimeMillis());
            if (wasCutOff) {
                LOG.infof("broker reachable again: heartbeat timers resume (the outage is excused while the backlog is read)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            contact.missed(System.currentTimeMillis());
            if (!wasCutOff && contact.cutOff()) {
                LOG.warnf("broker not reachable (%s): heartbeat timers stand still until it is", e.getClass().getSimpleName());
            }
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
            admin.close(Duration.ofSeconds(1));
        }
    }
}
