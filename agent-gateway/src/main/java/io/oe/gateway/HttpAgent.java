package io.oe.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.core.agent.RunnerConfig;
import io.oe.core.artifact.Paths2;
import io.oe.events.OutputSpec;
import io.oe.events.PhaseReady;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs an attempt through an agent API (the seed's "Agent APIs"): POST the phase, then either the answer comes back at
 * once (200) or the endpoint accepts the job (202 + {@code Location}) and the gateway polls that location until it
 * answers 200. The answer's outputs are written into the workspace's {@code outputs/}, so the handoff-service checks
 * them exactly as it checks a local agent's. Protocol in docs/agents.md.
 */
final class HttpAgent {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpClient client;
    private final UnaryOperator<String> environment;

    HttpAgent(HttpClient client, UnaryOperator<String> environment) {
        this.client = client;
        this.environment = environment;
    }

    /** Thrown inside a run to end it with this error. */
    private static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /**
     * @param stopper receives the action that cancels this run (a cancelled execution): it stops the wait at once and
     *                asks the endpoint to drop the job
     */
    AgentProcess.Outcome run(RunnerConfig.Http h, PhaseReady r, Workspace ws, Duration timeout, long logCap,
            AgentProcess.Listener listener, Consumer<Runnable> stopper) throws InterruptedException {
        return run(h, r, ws, timeout, logCap, listener, stopper, null);
    }

    /** {@code output}: where the log's new lines go live (agent-output), or null. */
    AgentProcess.Outcome run(RunnerConfig.Http h, PhaseReady r, Workspace ws, Duration timeout, long logCap,
            AgentProcess.Listener listener, Consumer<Runnable> stopper, OutputChunker output) throws InterruptedException {
        return run(h, r, ws, timeout, logCap, listener, stopper, output, Map.of());
    }

    /** {@code trace}: W3C trace context headers (traceparent, tracestate) sent with the job's requests; may be empty. */
    AgentProcess.Outcome run(RunnerConfig.Http h, PhaseReady r, Workspace ws, Duration timeout, long logCap,
            AgentProcess.Listener listener, Consumer<Runnable> stopper, OutputChunker output, Map<String, String> trace)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        var location = new java.util.concurrent.atomic.AtomicReference<URI>();
        stopper.accept(() -> {
            cancelled.complete(null);
            URI job = location.get();
            if (job != null) {
                client.sendAsync(request(h, job).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        });
        LogSink log = new LogSink(ws.log(), logCap, listener, output);
        try {
            URI url = URI.create(h.url());
            HttpResponse<InputStream> res = exchange(traced(request(h, url), trace).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(r, ws)))), h, deadline, cancelled);
            while (res.statusCode() == 202) {
                JsonNode pending = read(res, h);
                log.update(pending.path("log").asText(""));
                String where = res.headers().firstValue("Location").orElse(null);
                if (where == null && location.get() == null) {
                    throw new Failed("agent endpoint answered 202 without a Location to poll");
                }
                if (where != null) {
                    location.set(url.resolve(where));
                }
                sleep(h.pollIntervalMs(), deadline, cancelled);
                res = exchange(traced(request(h, location.get()), trace).GET(), h, deadline, cancelled);
            }
            if (res.statusCode() != 200) {
                throw new Failed("agent endpoint answered HTTP " + res.statusCode() + ": " + snippet(res, h));
            }
            JsonNode answer = read(res, h);
            log.update(answer.path("log").asText(""));
            usage(answer.path("usage")).forEach(u -> listener.progress(ProgressLine.ofUsage(u)));
            String status = answer.path("status").asText("");
            if (status.equals("failed")) {
                throw new Failed("agent endpoint reported failure: " + answer.path("error").asText("(no error given)"));
            }
            if (!status.equals("completed")) {
                throw new Failed("agent endpoint's answer has status '" + status + "'; expected completed or failed");
            }
            writeOutputs(answer.path("outputs"), r, ws);
            return new AgentProcess.Outcome(0, false, null, AgentProcess.tail(ws.log()));
        } catch (TimeoutException e) {
            stopRemote(h, location.get());
            return new AgentProcess.Outcome(null, true, "timed out after " + AgentProcess.duration(timeout)
                    + " waiting for the agent endpoint; job cancelled", AgentProcess.tail(ws.log()));
        } catch (Failed e) {
            return new AgentProcess.Outcome(null, false, e.getMessage(), AgentProcess.tail(ws.log()));
        } catch (IOException e) {
            return new AgentProcess.Outcome(null, false, "agent endpoint " + h.url() + " unreachable or unreadable: "
                    + e.getMessage(), AgentProcess.tail(ws.log()));
        }
    }

    private static HttpRequest.Builder traced(HttpRequest.Builder b, Map<String, String> trace) {
        trace.forEach(b::header);
        return b;
    }

    private HttpRequest.Builder request(RunnerConfig.Http h, URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        h.headersFromEnv().forEach((header, variable) -> {
            String value = environment.apply(variable);
            if (value != null) {
                b.header(header, value);
            }
        });
        return b;
    }

    /** Sends and waits for the answer, the deadline or a cancellation, whichever comes first. */
    private HttpResponse<InputStream> exchange(HttpRequest.Builder req, RunnerConfig.Http h, long deadline,
            CompletableFuture<Void> cancelled) throws InterruptedException, TimeoutException, IOException, Failed {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        HttpRequest request = req.timeout(Duration.ofNanos(left)).build();
        var future = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            CompletableFuture.anyOf(future, cancelled).get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                throw new TimeoutException();
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        if (cancelled.isDone()) {
            // A job the endpoint accepts after the cancellation must not run on unattended: drop it when it answers.
            future.thenAccept(late -> {
                try (InputStream ignored = late.body()) {
                    // closed: only the headers matter
                } catch (IOException ignored) {
                    // nothing to release
                }
                if (late.statusCode() == 202) {
                    late.headers().firstValue("Location").ifPresent(loc -> stopRemote(h, request.uri().resolve(loc)));
                }
            });
            throw new Failed("cancelled: the execution was cancelled");
        }
        return future.join();
    }

    private static void sleep(long ms, long deadline, CompletableFuture<Void> cancelled)
            throws InterruptedException, TimeoutException, Failed {
        long left = deadline - System.nanoTime();
        try {
            cancelled.get(Math.min(TimeUnit.MILLISECONDS.toNanos(ms), Math.max(0, left)), TimeUnit.NANOSECONDS);
            throw new Failed("cancelled: the execution was cancelled");
        } catch (TimeoutException e) {
            if (deadline - System.nanoTime() <= 0) {
                throw e;
            }
        } catch (ExecutionException e) {
            throw new Failed("cancelled: the execution was cancelled");
        }
    }

    private void stopRemote(RunnerConfig.Http h, URI job) {
        if (job != null) {
            client.sendAsync(request(h, job).timeout(Duration.ofSeconds(5)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * The request: phase.json, the prompt, and the bytes (base64) of each input, file of the specification and, after a
     * rerun, previous output.
     */
    private static ObjectNode body(PhaseReady r, Workspace ws) throws IOException {
        ObjectNode o = (ObjectNode) JSON.readTree(ws.phaseFile().toFile());
        o.put("prompt", Files.readString(ws.promptFile()));
        for (String files : List.of("inputs", "specification", "previous_outputs")) {
            for (JsonNode f : o.withArray(files)) {
                Path file = Path.of(f.path("path").asText());
                if (Files.isRegularFile(file)) {
                    ((ObjectNode) f).put("content_base64", Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
                }
            }
        }
        return o;
    }

    private static JsonNode read(HttpResponse<InputStream> res, RunnerConfig.Http h) throws IOException, Failed {
        byte[] bytes = limited(res, h.maxResponseBytes());
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (!n.isObject()) {
                throw new Failed("agent endpoint's answer is not a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Failed("agent endpoint's answer is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String snippet(HttpResponse<InputStream> res, RunnerConfig.Http h) {
        try {
            String s = new String(limited(res, 4096), StandardCharsets.UTF_8);
            return s.isBlank() ? "(empty body)" : ProgressLine.sanitize(s.strip());
        } catch (IOException | Failed e) {
            return "(body unreadable)";
        }
    }

    /** At most {@code max} bytes: a huge answer fails instead of filling the heap. */
    private static byte[] limited(HttpResponse<InputStream> res, long max) throws IOException, Failed {
        try (InputStream in = res.body()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new Failed("agent endpoint's answer is larger than max_response_bytes (" + max + ")");
            }
            return b;
        }
    }

    /**
     * The final answer's {@code usage}: one report (an object with the ::usage:: line's keys: input, output, cached,
     * model, cost) or an array of them, checked by the same rules; a failed agent's usage counts too.
     */
    static List<UsageLine> usage(JsonNode usage) {
        if (usage.isMissingNode() || usage.isNull()) {
            return List.of();
        }
        List<JsonNode> reports = new ArrayList<>();
        if (usage.isArray()) {
            usage.forEach(reports::add);
        } else {
            reports.add(usage);
        }
        List<UsageLine> out = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            JsonNode r = reports.get(i);
            String where = "the agent endpoint's usage" + (usage.isArray() ? "[" + i + "]" : "");
            if (!r.isObject()) {
                out.add(UsageLine.refused(where, "it is not an object of " + String.join(", ", UsageLine.KEYS)));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            r.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().isNumber() && !f.getValue().isIntegralNumber()
                    ? f.getValue().decimalValue().toPlainString() : f.getValue().asText()));
            out.add(UsageLine.fromFields(fields, where));
        }
        return out;
    }

    /** Each declared output the answer carries, as {@code content} (text), {@code json} or {@code content_base64}. */
    private static void writeOutputs(JsonNode outputs, PhaseReady r, Workspace ws) throws IOException, Failed {
        if (!outputs.isMissingNode() && !outputs.isObject()) {
            throw new Failed("agent endpoint's 'outputs' must be an object of artifact name -> content");
        }
        List<String> declared = r.getOutputs().stream().map(OutputSpec::getArtifact).toList();
        var names = outputs.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!declared.contains(name)) {
                throw new Failed("agent endpoint returned output '" + ProgressLine.sanitize(name)
                        + "', which the phase does not declare (declared: " + declared + ")");
            }
            JsonNode v = outputs.get(name);
            byte[] bytes;
            if (v.has("json")) {
                bytes = JSON.writeValueAsBytes(v.get("json"));
            } else if (v.has("content")) {
                bytes = v.get("content").asText().getBytes(StandardCharsets.UTF_8);
            } else if (v.has("content_base64")) {
                try {
                    bytes = Base64.getDecoder().decode(v.get("content_base64").asText());
                } catch (IllegalArgumentException e) {
                    throw new Failed("output '" + name + "': content_base64 is not base64");
                }
            } else {
                throw new Failed("output '" + name + "' has none of json, content, content_base64");
            }
            Path target = ws.outputs().resolve(Paths2.checkName(name));
            Path tmp = Files.createTempFile(ws.outputs(), ".incoming-", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * The endpoint's {@code log} is the whole output so far; each new line goes to agent.log (capped), to the live
     * output and, if it is a progress line, to the listener, exactly as a local agent's stdout would.
     */
    private static final class LogSink {
        private final Path file;
        private final long cap;
        private final AgentProcess.Listener listener;
        private final OutputChunker output;
        private int linesSeen;
        private long written;
        private boolean capped;

        LogSink(Path file, long cap, AgentProcess.Listener listener, OutputChunker output) {
            this.output = output;
            this.file = file;
            this.cap = cap;
            this.listener = listener;
        }

        void update(String log) throws IOException {
            List<String> lines = log.lines().toList();
            if (lines.size() <= linesSeen) {
                return;
            }
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (String line : lines.subList(linesSeen, lines.size())) {
                    ProgressLine.parse(line).ifPresent(listener::progress);
                    String text = ProgressLine.sanitize(line) + "\n";
                    if (output != null) { // an endpoint's log does not say which stream: UNKNOWN
                        output.append(io.oe.events.OutputStream.UNKNOWN, text, System.currentTimeMillis());
                    }
                    byte[] b = text.getBytes(StandardCharsets.UTF_8);
                    if (written + b.length <= cap) {
                        out.write(b);
                        written += b.length;
                    } else if (!capped) {
                        out.write(("[agent.log capped at " + cap + " bytes]\n").getBytes(StandardCharsets.UTF_8));
                        capped = true;
                    }
                }
            }
            linesSeen = lines.size();
        }
    }
}
