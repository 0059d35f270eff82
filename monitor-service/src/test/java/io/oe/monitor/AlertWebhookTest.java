package io.oe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.oe.events.Alert;
import io.oe.events.Severity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The webhook's payload and delivery, against a real local HTTP server (no Kafka). */
class AlertWebhookTest {
    private final Alert alert = new Alert("a1", "exec_1", 2, Severity.CRITICAL, "retries_exhausted",
            "phase 2 @doc failed 2 time(s) and waits for intervention", Instant.parse("2026-01-13T12:00:00Z"));

    @Test
    void thePayloadIsTheAlertWithALinkAndAText() {
        JsonNode p = AlertWebhook.payload(alert, "http://localhost:18086/");
        assertThat(p.path("kind").asText()).isEqualTo("retries_exhausted");
        assertThat(p.path("phase_id").asInt()).isEqualTo(2);
        assertThat(p.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(p.path("dashboard").asText()).isEqualTo("http://localhost:18086/#exec_1");
        assertThat(p.path("text").asText()).isEqualTo("[CRITICAL] exec_1: phase 2 @doc failed 2 time(s) and waits for intervention"
                + " http://localhost:18086/#exec_1");
        assertThat(AlertWebhook.payload(alert, null).has("dashboard")).isFalse();
    }

    @Test
    void aWebhookThatIsNotAnHttpUrlStopsTheStart() {
        assertThatThrownBy(() -> AlertWebhook.target("ftp://host/x")).hasMessage(
                "OE_ALERT_WEBHOOK_URL must be an absolute http:// or https:// URL");
        assertThatThrownBy(() -> AlertWebhook.target("hooks/x")).hasMessageContaining("absolute http");
        assertThat(AlertWebhook.target(" https://hooks.example/T/B/secret ").getHost()).isEqualTo("hooks.example");
    }

    @Test
    void aFailingWebhookIsTriedAgainWithTheTokenUntilItAnswers2xx() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 204, -1);
            ex.close();
        });
        server.start();
        try {
            AlertWebhook hook = new AlertWebhook();
            hook.token = Optional.of("s3cret");
            hook.dashboard = Optional.empty();
            hook.deliver(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), alert, () -> true);
            assertThat(calls.get()).isEqualTo(2); // 503, then 204 a second later
            assertThat(auth).containsOnly("Bearer s3cret");
            assertThat(StateJson.MAPPER.readTree(bodies.get(1)).path("alert_id").asText()).isEqualTo("a1");
        } finally {
            server.stop(0);
        }
    }
}
