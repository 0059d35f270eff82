package io.oe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.oe.deploy.LocalStack;
import io.oe.deploy.StackInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each service of the local stack says of itself, from its health checks ({@code /q/health}): ready (serving),
 * not ready (starting, rebalancing, waiting for the broker) or not live (a stream or consumer stopped for good), with
 * the checks that say so. In the standalone stack one process answers for all six services, each by its own checks.
 */
final class StackHealth {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StackHealth() {
    }

    /** One service's health: {@code state} is ready, not ready, not live or unreachable; {@code detail} says why. */
    record Service(String name, String state, String detail) {
        boolean ready() {
            return state.equals("ready");
        }
    }

    /** Every service of the stack (and the broker) with its state. */
    static List<Service> of(StackInfo stack) {
        List<Service> out = new ArrayList<>();
        for (Map.Entry<String, StackInfo.Proc> e : stack.services.entrySet()) {
            StackInfo.Proc p = e.getValue();
            if (!p.alive()) {
                out.add(new Service(e.getKey(), "not running", "process " + p.pid + " is gone (log " + p.log + ")"));
                continue;
            }
            JsonNode ready = get(p.url + "/q/health/ready");
            JsonNode live = get(p.url + "/q/health/live");
            if (ready == null || live == null) {
                out.add(new Service(e.getKey(), "unreachable", "no answer at " + p.url + "/q/health"));
                continue;
            }
            List<String> names = e.getKey().equals(LocalStack.STANDALONE)
                    ? new ArrayList<>(LocalStack.SERVICES.keySet()) : new ArrayList<>(List.of(e.getKey()));
            if (e.getKey().equals(LocalStack.STANDALONE)) {
                names.add(0, "kafka-broker");
            }
            for (String name : names) {
                out.add(judge(name, e.getKey().equals(LocalStack.STANDALONE) ? name : null, ready, live));
            }
        }
        return out;
    }

    /** The checks of {@code prefix} (all of them when null): not live wins over not ready. */
    private static Service judge(String name, String prefix, JsonNode ready, JsonNode live) {
        List<String> down = failing(live, prefix);
        if (!down.isEmpty()) {
            return new Service(name, "not live", String.join("; ", down));
        }
        down = failing(ready, prefix);
        return down.isEmpty() ? new Service(name, "ready", "") : new Service(name, "not ready", String.join("; ", down));
    }

    private static List<String> failing(JsonNode health, String prefix) {
        List<String> out = new ArrayList<>();
        for (JsonNode check : health.path("checks")) {
            String name = check.path("name").asText();
            boolean mine = prefix == null || name.startsWith(prefix + " ")
                    || prefix.equals("kafka-broker") && name.startsWith("Kafka connection");
            if (mine && !"UP".equals(check.path("status").asText())) {
                String state = check.path("data").path("state").asText("");
                out.add(name + (state.isEmpty() ? "" : " (" + state + ")"));
            }
        }
        return out;
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 || r.statusCode() == 503 ? Json.MAPPER.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Name -> state, for JSON output. */
    static Map<String, Service> byName(List<Service> services) {
        Map<String, Service> out = new LinkedHashMap<>();
        services.forEach(s -> out.put(s.name(), s));
        return out;
    }
}
