package io.oe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Small projects written by tests: a plan, its project plan, config and agent definitions, submitted with autostart. */
final class TestProject {
    final Path dir;
    final ObjectNode plan = Json.MAPPER.createObjectNode();
    private final ArrayNode phases;
    /** engine.config.json as submitted; tests may change it before {@link #submit}. */
    String engineConfig = "{\"max_concurrent_phases\": 3, \"retry_policy\": {\"max_retries\": 0, \"backoff_seconds\": 0.2}}";
    /** Whether the submission starts the execution; false: it stays initialized until a START. */
    boolean autostart = true;

    TestProject(Path root, String name) {
        this.dir = root.resolve(name);
        plan.put("plan_id", "plan_" + name.replace('-', '_')).put("project_name", name);
        plan.putArray("tiers");
        phases = plan.putArray("phases");
    }

    TestProject tier(String name, String mode, int... ids) {
        ArrayNode t = plan.withArray("tiers").addObject().put("name", name).put("mode", mode).putArray("phases");
        for (int id : ids) {
            t.add(id);
        }
        return this;
    }

    ObjectNode phase(int id, String agent) {
        return phases.addObject().put("id", id).put("name", "Phase " + id).put("agent", agent);
    }

    /** Writes the project and submits it; returns the execution id. */
    String submit(Api api) {
        Api.Response r = api.createExecution(bundle());
        if (r.status() != 201) {
            throw new AssertionError("submit " + dir + ": " + r.status() + " " + r.body());
        }
        return r.json().path("execution_id").asText();
    }

    /** Writes the project and packs it into the bundle a submission carries ({@link #autostart}). */
    JsonNode bundle() {
        try {
            Files.createDirectories(dir.resolve("ProjectPlan"));
            Files.createDirectories(dir.resolve(".github/agents"));
            Files.writeString(dir.resolve("orchestration-plan.json"), Json.pretty(plan));
            Files.writeString(dir.resolve("ProjectPlan/project-plan.json"), "{\"project_name\": \"" + plan.path("project_name").asText() + "\"}");
            Files.writeString(dir.resolve("engine.config.json"), engineConfig);
            for (JsonNode p : phases) {
                String agent = p.path("agent").asText().substring(1);
                Files.writeString(dir.resolve(".github/agents/" + agent + ".agent.md"), "---\nname: " + agent + "\n---\nDo it.\n");
            }
            return BundlePacker.pack(dir.resolve("orchestration-plan.json"), null, null, autostart).bundle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the monitor until the state satisfies {@code done}. */
    static JsonNode await(Api api, String id, Predicate<JsonNode> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Api.Response r;
            try {
                r = api.state(id);
            } catch (io.oe.cli.CliException e) {
                Thread.sleep(200); // the monitor is down (a fault test restarts it): ask again
                continue;
            }
            if (r.status() == 200) {
                last = r.json();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + " of " + id + "; last state: "
                + (last == null ? "none" : Json.pretty(last)));
    }

    static Predicate<JsonNode> execution(String status) {
        return s -> status.equals(s.path("status").asText());
    }

    static Predicate<JsonNode> phaseIs(int phase, String status) {
        return s -> status.equals(s.path("phases").path(String.valueOf(phase)).path("status").asText());
    }

    static ObjectNode command(String name, Integer phase) {
        ObjectNode c = Json.MAPPER.createObjectNode().put("command", name);
        if (phase != null) {
            c.put("phase_id", phase);
        }
        return c;
    }
}
