package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The plan-loader and the monitor as one local server, for a command's tests: every POST is a command, recorded and
 * accepted (202, as {@code command}); every GET answers the execution's {@code state}. Start one per test, close it after.
 */
final class FakeEngineApi implements AutoCloseable {
    private final HttpServer server;
    private final List<JsonNode> sent = new CopyOnWriteArrayList<>();

    FakeEngineApi(String command, String state) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean post = exchange.getRequestMethod().equals("POST");
            if (post) {
                sent.add(Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            }
            byte[] body = (post ? "{\"command_id\": \"c1\", \"execution_id\": \"e1\", \"command\": \"" + command
                    + "\", \"at\": \"2026-12-01T00:00:00Z\"}" : state).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(post ? 202 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The address to give as both {@code --plan-loader-url} and {@code --monitor-url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The commands received, in order. */
    List<JsonNode> sent() {
        return sent;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
