package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** oe logs against a tiny monitor: pages read to the end, streams apart, refusals named with exit code 2. */
class LogsCommandTest {
    private HttpServer server;
    private final List<String> asked = new ArrayList<>();

    private String serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String q = exchange.getRequestURI().getRawQuery();
            asked.add(exchange.getRequestURI().getPath() + "?" + q);
            int status = 200;
            String body;
            if (exchange.getRequestURI().getPath().contains("/phases/9/")) {
                status = 404;
                body = "{\"error\": \"execution e1 has no phase 9\"}";
            } else if (q.startsWith("from=0")) {
                body = """
                        {"execution_id": "e1", "phase_id": 2, "attempt": 3, "attempt_ended": true, "next": 2, "complete": false,
                         "chunks": [{"seq": 0, "stream": "stdout", "text": "building\\n", "cut": false, "dropped_bytes": 0, "last": false},
                                    {"seq": 1, "stream": "stderr", "text": "warn \\u001b[31m\\n", "cut": false, "dropped_bytes": 0, "last": false}]}""";
            } else {
                body = """
                        {"execution_id": "e1", "phase_id": 2, "attempt": 3, "attempt_ended": true, "next": 4, "complete": true,
                         "chunks": [{"seq": 2, "stream": "stdout", "text": "done\\n", "cut": false, "dropped_bytes": 12, "last": false},
                                    {"seq": 3, "stream": "unknown", "text": "", "cut": false, "dropped_bytes": 0, "last": true}]}""";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void pagesAreReadToTheLastChunkOfTheSameAttemptStdoutToStdoutAndStderrToStderrMadeSafe() throws Exception {
        String base = serve();
        Console.Run run = Console.oe("logs", "--execution-id", "e1", "--phase", "2", "--monitor-url", base);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("building\ndone\n");
        assertThat(run.err()).isEqualTo("warn \uFFFD[31m\n[12 bytes of output dropped here: the gateway could not publish them fast enough]\n");
        assertThat(asked).containsExactly("/api/v1/executions/e1/phases/2/output?from=0", "/api/v1/executions/e1/phases/2/output?from=2&attempt=3");
    }

    @Test
    void aPhaseThatDoesNotExistIsNamedWithExitCode2() throws Exception {
        String base = serve();
        Console.Run run = Console.oe("logs", "--execution-id", "e1", "--phase", "9", "--monitor-url", base);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("HTTP 404: execution e1 has no phase 9");
        assertThat(run.out()).isEmpty();
        assertThat(Console.oe("logs", "--execution-id", "e1", "--phase", "0", "--monitor-url", base).code()).isEqualTo(2);
    }
}
