package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The REST calls the CLI makes (plan-loader writes, monitor-service reads). */
public final class Api {
    private final String planLoaderUrl;
    private final String monitorUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String token;

    public Api(String planLoaderUrl, String monitorUrl) {
        this(planLoaderUrl, monitorUrl, null);
    }

    /** @param token the bearer token of the write endpoints (sent on every request), or null */
    public Api(String planLoaderUrl, String monitorUrl, String token) {
        this.planLoaderUrl = strip(planLoaderUrl);
        this.monitorUrl = strip(monitorUrl);
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    /** The same endpoints with another token (or none): for tests of the token check. */
    public Api withToken(String other) {
        return new Api(planLoaderUrl, monitorUrl, other);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** An HTTP answer: status and body text (and the body as JSON when it is JSON). */
    public record Response(int status, String body) {
        public JsonNode json() {
            return Json.parse(body);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Response createExecution(JsonNode bundle) {
        return send("plan-loader", HttpRequest.newBuilder(URI.create(planLoaderUrl + "/api/v1/executions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.pretty(bundle))));
    }

    /** POSTs a raw body (tests use it for malformed JSON). */
    public Response createExecutionRaw(String body) {
        return send("plan-loader", HttpRequest.newBuilder(URI.create(planLoaderUrl + "/api/v1/executions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response command(String executionId, JsonNode command) {
        return send("plan-loader", HttpRequest.newBuilder(
                        URI.create(planLoaderUrl + "/api/v1/executions/" + enc(executionId) + "/commands"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.pretty(command))));
    }

    public Response state(String executionId) {
        return send("monitor-service", HttpRequest.newBuilder(
                URI.create(monitorUrl + "/api/v1/executions/" + enc(executionId))).GET());
    }

    public Response report(String executionId, String format) {
        return send("monitor-service", HttpRequest.newBuilder(URI.create(monitorUrl + "/api/v1/executions/"
                + enc(executionId) + "/report?format=" + enc(format))).GET());
    }

    public Response log(String executionId) {
        return send("monitor-service", HttpRequest.newBuilder(URI.create(monitorUrl + "/api/v1/executions/"
                + enc(executionId) + "/log?limit=10000")).GET());
    }

    private Response send(String service, HttpRequest.Builder b) {
        b.timeout(Duration.ofSeconds(30)).header("Accept", "application/json, text/markdown, */*");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest req = b.build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body());
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + service + " at " + req.uri().getScheme() + "://"
                    + req.uri().getAuthority() + " (is the stack up? `./oe up`)");
        } catch (IOException e) {
            throw new CliException(service + " " + req.method() + " " + req.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The error text of a non-2xx answer, in one line. */
    public static String errorOf(String what, Response r) {
        JsonNode j = r.json();
        String msg = j != null && j.hasNonNull("error") ? j.get("error").asText()
                : j != null && j.hasNonNull("message") ? j.get("message").asText()
                : r.body() == null || r.body().isBlank() ? "(no body)" : r.body().strip().lines().findFirst().orElse("");
        return what + ": HTTP " + r.status() + ": " + msg;
    }
}
