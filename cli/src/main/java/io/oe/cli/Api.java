package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The REST calls the CLI makes (plan-loader writes, monitor-service reads). A read answered 503 (the monitor starts,
 * rebalances or restores its views) is asked again as its Retry-After says, for up to a total patience; then the CLI
 * says the service is still not ready.
 */
public final class Api {
    /** How long a read waits through 503 answers in all before giving up. */
    public static final Duration NOT_READY_PATIENCE = Duration.ofSeconds(120);

    private final String planLoaderUrl;
    private final String monitorUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String token;
    private final Duration notReadyPatience;

    public Api(String planLoaderUrl, String monitorUrl) {
        this(planLoaderUrl, monitorUrl, null);
    }

    /** @param token the bearer token of the write endpoints (sent on every request), or null */
    public Api(String planLoaderUrl, String monitorUrl, String token) {
        this(planLoaderUrl, monitorUrl, token, NOT_READY_PATIENCE);
    }

    private Api(String planLoaderUrl, String monitorUrl, String token, Duration notReadyPatience) {
        this.planLoaderUrl = strip(planLoaderUrl);
        this.monitorUrl = strip(monitorUrl);
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.notReadyPatience = notReadyPatience;
    }

    /** The same endpoints with another token (or none): for tests of the token check. */
    public Api withToken(String other) {
        return new Api(planLoaderUrl, monitorUrl, other, notReadyPatience);
    }

    /** The same endpoints, waiting through 503 answers for this long in all. */
    public Api withNotReadyPatience(Duration patience) {
        return new Api(planLoaderUrl, monitorUrl, token, patience);
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

    /** POSTs the bundle as compact JSON: the bytes {@link BundlePacker} counted against the plan-loader's limit. */
    public Response createExecution(JsonNode bundle) {
        return send("plan-loader", HttpRequest.newBuilder(URI.create(planLoaderUrl + "/api/v1/executions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.compact(bundle))));
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

    /** The log's first page: its first 10,000 entries (the whole log of all but very long executions). */
    public Response log(String executionId) {
        return log(executionId, 1, 10_000);
    }

    /** A page of the log: at most {@code limit} entries from seq {@code from}; {@code next_from} says where the next starts. */
    public Response log(String executionId, long from, int limit) {
        return send("monitor-service", HttpRequest.newBuilder(URI.create(monitorUrl + "/api/v1/executions/"
                + enc(executionId) + "/log?from=" + from + "&limit=" + limit)).GET());
    }

    /** A page of a phase attempt's output (the latest attempt when {@code attempt} is null), from {@code from}. */
    public Response output(String executionId, int phase, Integer attempt, long from) {
        return send("monitor-service", HttpRequest.newBuilder(URI.create(outputUrl(executionId, phase, attempt, from, false))).GET());
    }

    /**
     * Follows a phase attempt's output over Server-Sent Events: each event's data to {@code data}, until the monitor
     * ends the stream (the attempt ended). An answer other than 200 is returned as it is, with nothing followed.
     */
    public Response followOutput(String executionId, int phase, Integer attempt, long from,
            java.util.function.Consumer<String> data) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(outputUrl(executionId, phase, attempt, from, true)))
                .header("Accept", "text/event-stream").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<java.util.stream.Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            if (r.statusCode() != 200) {
                return new Response(r.statusCode(), r.body().collect(java.util.stream.Collectors.joining("\n")));
            }
            r.body().forEach(line -> {
                if (line.startsWith("data:")) {
                    data.accept(line.substring(5).strip());
                }
            });
            return new Response(200, "");
        } catch (ConnectException e) {
            throw new CliException("cannot reach monitor-service at " + monitorUrl + " (is the stack up? `./oe up`)");
        } catch (IOException e) {
            throw new CliException("monitor-service GET " + b.build().uri().getPath() + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private String outputUrl(String executionId, int phase, Integer attempt, long from, boolean stream) {
        return monitorUrl + "/api/v1/executions/" + enc(executionId) + "/phases/" + phase + "/output" + (stream ? "/stream" : "")
                + "?from=" + from + (attempt == null ? "" : "&attempt=" + attempt);
    }

    private Response send(String service, HttpRequest.Builder b) {
        b.timeout(Duration.ofSeconds(30)).header("Accept", "application/json, text/markdown, */*");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest req = b.build();
        long deadline = System.nanoTime() + notReadyPatience.toNanos();
        boolean told = false;
        while (true) {
            HttpResponse<String> r = exchange(service, req);
            Response answer = new Response(r.statusCode(), r.body());
            if (answer.status() != 503 || !"GET".equals(req.method())) { // a write is never sent twice
                return answer;
            }
            Duration wait = RetryAfter.of(r.headers().firstValue("Retry-After"), Instant.now());
            if (System.nanoTime() + wait.toNanos() > deadline) {
                throw new CliException(service + " is still not ready after " + notReadyPatience.toSeconds() + " s ("
                        + errorOf(req.method() + " " + req.uri().getPath(), answer) + "); it may be restoring a large"
                        + " state: see its log, and try again");
            }
            if (!told) {
                System.err.println(service + " is not ready yet (HTTP 503: " + messageOf(answer) + "); waiting up to "
                        + notReadyPatience.toSeconds() + " s");
                told = true;
            }
            pause(wait);
        }
    }

    private HttpResponse<String> exchange(String service, HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + service + " at " + req.uri().getScheme() + "://"
                    + req.uri().getAuthority() + " (is the stack up? `./oe up`)");
        } catch (HttpTimeoutException e) {
            throw new CliException(service + " " + req.method() + " " + req.uri() + " failed: no answer within "
                    + req.timeout().map(Duration::toSeconds).orElse(0L) + " s");
        } catch (IOException e) {
            throw new CliException(service + " " + req.method() + " " + req.uri() + " failed: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /**
     * An I/O failure in words: its message, else what it means. The JDK's client often throws a bare IOException
     * when the server closes the connection, e.g. after refusing a body it will not read.
     */
    static String describe(IOException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : null
                : e.getMessage();
        return message != null ? message
                : "the connection closed before an answer came (the service may have refused the request or stopped)";
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The error text of a non-2xx answer, in one line: its error and each violation it names (where, what), so that a
     * refusal says what to change (a BUDGET above the ceiling names the field, its value and the ceiling's).
     */
    public static String errorOf(String what, Response r) {
        JsonNode j = r.json();
        List<String> violations = new ArrayList<>();
        if (j != null) {
            j.path("violations").forEach(v -> violations.add(v.path("where").asText() + ": " + v.path("message").asText()));
        }
        return what + ": HTTP " + r.status() + ": " + messageOf(r) + (violations.isEmpty() ? "" : " (" + String.join("; ", violations) + ")");
    }

    private static String messageOf(Response r) {
        JsonNode j = r.json();
        return j != null && j.hasNonNull("error") ? j.get("error").asText()
                : j != null && j.hasNonNull("message") ? j.get("message").asText()
                : r.body() == null || r.body().isBlank() ? "(no body)" : r.body().strip().lines().findFirst().orElse("");
    }
}
