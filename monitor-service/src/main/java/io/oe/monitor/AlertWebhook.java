package io.oe.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.events.Alert;
import io.oe.schemas.KafkaAccess;
import io.oe.schemas.Topics;
import io.oe.schemas.serde.Decoded;
import io.oe.schemas.serde.DecodingDeserializer;
import io.oe.service.ConsumerLoops;
import io.oe.service.DeadLetters;
import io.oe.service.KafkaSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every alert on the {@code alerts} topic POSTed as JSON to {@code OE_ALERT_WEBHOOK_URL} (Slack-style incoming
 * webhooks, a pager, a chat bot), when one is configured. At least once: the offset is committed after the POST was
 * answered 2xx or given up (five tries over about 15 s, then logged), so an alert is never dropped by a restart. The
 * URL often holds a secret: only its host is ever logged.
 */
@ApplicationScoped
public class AlertWebhook {
    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);
    static final String GROUP = KafkaAccess.ALERT_WEBHOOK_GROUP;
    static final int TRIES = 5;

    @ConfigProperty(name = "oe.alerts.webhook-url")
    Optional<String> url;
    @ConfigProperty(name = "oe.alerts.webhook-token")
    Optional<String> token;
    @ConfigProperty(name = "oe.dashboard.public-url")
    Optional<String> dashboard;
    @Inject
    KafkaSettings kafka;
    @Inject
    ConsumerLoops loops;
    @Inject
    DeadLetters deadLetters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    void start(@Observes StartupEvent ev) {
        if (url.isEmpty() || url.get().isBlank()) {
            return;
        }
        URI target = target(url.get());
        loops.start(MonitorTopology.SERVICE, "alert-webhook", loop -> run(target, loop));
        LOG.infof("alerts are posted to the webhook at %s", target.getHost());
    }

    /** The webhook's address, refused at start-up (the service does not start) unless it is an absolute http(s) URL. */
    static URI target(String text) {
        URI u;
        try {
            u = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("OE_ALERT_WEBHOOK_URL is not a URL");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalStateException("OE_ALERT_WEBHOOK_URL must be an absolute http:// or https:// URL");
        }
        return u;
    }

    private void run(URI target, ConsumerLoops.Loop loop) {
        Map<String, Object> c = kafka.offPathConsumer(GROUP);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // alerts from before the webhook existed are history
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        try (KafkaConsumer<String, Decoded> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new DecodingDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            while (loop.running()) {
                var records = consumer.poll(ConsumerLoops.POLL);
                loop.polled();
                for (ConsumerRecord<String, Decoded> r : records) {
                    if (r.value() instanceof Decoded.Event e && e.event() instanceof Alert a) {
                        deliver(target, a, loop::running);
                    } else if (r.value() instanceof Decoded.Undecodable u) {
                        deadLetters.setAside(MonitorTopology.SERVICE, r, u);
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }

    /** Posts the alert, up to {@link #TRIES} times while {@code going} holds. */
    void deliver(URI target, Alert a, BooleanSupplier going) {
        String body = payload(a, dashboard.orElse(null)).toString();
        for (int attempt = 1; attempt <= TRIES && going.getAsBoolean(); attempt++) {
            try {
                HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                token.filter(t -> !t.isBlank()).ifPresent(t -> req.header("Authorization", "Bearer " + t));
                int status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                LOG.warnf("alert %s: webhook at %s answered %d (try %d of %d)", a.getAlertId(), target.getHost(), status,
                        attempt, TRIES);
            } catch (IOException e) {
                LOG.warnf("alert %s: webhook at %s not reached: %s (try %d of %d)", a.getAlertId(), target.getHost(),
                        e.getClass().getSimpleName(), attempt, TRIES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(1000L << (attempt - 1)); // 1, 2, 4, 8 s
        }
        LOG.errorf("alert %s (%s, execution %s) NOT delivered to the webhook at %s after %d tries; it stays on the alerts"
                + " topic, in the engine state and the dashboard", a.getAlertId(), a.getKind(), a.getExecutionId(),
                target.getHost(), TRIES);
    }

    /** The JSON sent: the alert as users read it, and a text line for chat webhooks that show only "text". */
    static ObjectNode payload(Alert a, String dashboardUrl) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        o.put("alert_id", a.getAlertId());
        o.put("execution_id", a.getExecutionId());
        if (a.getPhaseId() == null) {
            o.putNull("phase_id");
        } else {
            o.put("phase_id", a.getPhaseId());
        }
        o.put("severity", a.getSeverity().name());
        o.put("kind", a.getKind());
        o.put("message", a.getMessage());
        o.put("at", a.getAt().toString());
        String link = dashboardUrl == null || dashboardUrl.isBlank() ? null
                : dashboardUrl.replaceAll("/+$", "") + "/#" + a.getExecutionId();
        if (link != null) {
            o.put("dashboard", link);
        }
        o.put("text", "[" + a.getSeverity() + "] " + a.getExecutionId() + ": " + a.getMessage() + (link == null ? "" : " " + link));
        return o;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
