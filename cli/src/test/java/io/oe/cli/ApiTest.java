package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CLI waits through "not ready" answers and says what went wrong in words, against a tiny local server. */
class ApiTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** A server that gives these answers in turn (the last one again and again): status and Retry-After (or null). */
    private Api serve(List<Object[]> answers) throws IOException {
        Deque<Object[]> left = new ArrayDeque<>(answers);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Object[] a = left.size() > 1 ? left.poll() : left.peek();
            answer(exchange, (int) a[0], (String) a[1]);
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new Api(base, base);
    }

    private static void answer(HttpExchange exchange, int status, String retryAfter) throws IOException {
        byte[] body = (status == 503 ? "{\"error\": \"the monitor's views are not queryable yet\"}" : "{\"status\": \"completed\"}")
                .getBytes(StandardCharsets.UTF_8);
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aReadAnswered503IsAskedAgainAfterItsRetryAfterUntilItIsAnswered() throws Exception {
        Api api = serve(List.of(new Object[] {503, "1"}, new Object[] {503, null}, new Object[] {200, null}));
        long t0 = System.nanoTime();
        Api.Response r = api.state("exec_1");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("completed");
        assertThat(requests.get()).isEqualTo(3);
        assertThat(ms).as("waited 1 s (Retry-After) then 2 s (no Retry-After)").isBetween(2_900L, 10_000L);
    }

    @Test
    void aReadThatNeverBecomesReadyEndsWithAClearMessageAfterThePatience() throws Exception {
        Api api = serve(List.<Object[]>of(new Object[] {503, "1"})).withNotReadyPatience(Duration.ofMillis(2_500));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> api.report("exec_1", "md")).isInstanceOf(CliException.class)
                .hasMessageStartingWith("monitor-service is still not ready after 2 s")
                .hasMessageContaining("GET /api/v1/executions/exec_1/report: HTTP 503: the monitor's views are not queryable yet");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000L);
        assertThat(requests.get()).isBetween(2, 3);
    }

    @Test
    void aWriteAnswered503IsNotSentAgain() throws Exception {
        Api api = serve(List.<Object[]>of(new Object[] {503, "1"}));
        assertThat(api.command("exec_1", Json.MAPPER.createObjectNode().put("command", "START")).status()).isEqualTo(503);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsSaidInWordsNotAsABareIOException() throws Exception {
        try (ServerSocket closer = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                while (!closer.isClosed()) {
                    try (Socket s = closer.accept()) {
                        s.getInputStream().read(new byte[1024]); // read the start of the request, then hang up
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Api api = new Api("http://127.0.0.1:" + closer.getLocalPort(), "http://127.0.0.1:1");
            assertThatThrownBy(() -> api.createExecutionRaw("{}")).isInstanceOf(CliException.class)
                    .hasMessageStartingWith("plan-loader POST http://127.0.0.1:" + closer.getLocalPort()
                            + "/api/v1/executions failed: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("java.io.").doesNotEndWith("failed: "));
        }
        assertThat(Api.describe(new IOException())).isEqualTo("the connection closed before an answer came (the service"
                + " may have refused the request or stopped)");
    }

    @Test
    void aRefusalsMessageNamesEachViolationSoThePersonKnowsWhatToChange() {
        var refused = new Api.Response(422, """
                {"error": "BUDGET refused: above the runner configuration's budget_ceiling", "violations": [
                  {"where": "tokens", "message": "budget.execution.tokens is 20000, above the runner configuration's budget_ceiling.execution.tokens 10000"}]}
                """);
        assertThat(Api.errorOf("BUDGET e1", refused)).isEqualTo("BUDGET e1: HTTP 422: BUDGET refused: above the runner"
                + " configuration's budget_ceiling (tokens: budget.execution.tokens is 20000, above the runner"
                + " configuration's budget_ceiling.execution.tokens 10000)");
        assertThat(Api.errorOf("GET state", new Api.Response(404, "{\"error\": \"no execution e9\"}")))
                .isEqualTo("GET state: HTTP 404: no execution e9");
    }
}
