package io.oe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    private HttpServer planLoader;
    private final List<JsonNode> submitted = new CopyOnWriteArrayList<>();

    /** A plan-loader that registers whatever it is sent and keeps it. */
    private String planLoader() throws Exception {
        planLoader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        planLoader.createContext("/api/v1/executions", exchange -> {
            submitted.add(Json.MAPPER.readTree(exchange.getRequestBody()));
            byte[] body = "{\"execution_id\": \"exec_1\", \"plan_id\": \"p1\", \"project_name\": \"X\", \"phases\": 1}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        planLoader.start();
        return "http://127.0.0.1:" + planLoader.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (planLoader != null) {
            planLoader.stop(0);
        }
    }

    @Test
    void initWithTheConfigAloneSubmitsThePlanAndProjectPlanItsKeysName() throws Exception {
        Files.createDirectories(dir.resolve("tee-output"));
        Files.createDirectories(dir.resolve("ProjectPlan"));
        Files.writeString(dir.resolve("tee-output/orchestration-plan.json"), "{\"plan_id\": \"p1\", \"phases\": []}");
        Files.writeString(dir.resolve("ProjectPlan/project-plan.json"), "{\"project_name\": \"X\"}");
        Files.writeString(dir.resolve("engine.config.json"), "{\"orchestration_plan_path\": \"tee-output/orchestration-plan.json\"}");

        Console.Run init = Console.oe("init", "--config", dir.resolve("engine.config.json").toString(),
                "--plan-loader-url", planLoader());
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(init.out().strip()).isEqualTo("exec_1");
        assertThat(submitted).singleElement().satisfies(bundle -> {
            assertThat(bundle.path("plan").path("plan_id").asText()).isEqualTo("p1");
            assertThat(bundle.path("project_plan").path("project_name").asText()).isEqualTo("X");
            assertThat(bundle.path("project_dir").asText()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        });
    }

    @Test
    void initWithNeitherPlanNorConfigSaysWhatToGiveAndSendsNothing() throws Exception {
        Console.Run init = Console.oe("init", "--plan-loader-url", planLoader());
        assertThat(init.code()).isEqualTo(CliException.REJECTED);
        assertThat(init.err()).isEqualTo("oe init: no plan: give --orchestration-plan FILE, or --config FILE whose "
                + "orchestration_plan_path names it" + System.lineSeparator());
        assertThat(submitted).isEmpty();
    }

    @Test
    void aPlanOfTwentyOneMegabytesIsRefusedBeforeSendingWithTheSizeAndTheLimit() throws Exception {
        Path plan = dir.resolve("orchestration-plan.json");
        Files.writeString(plan, "{\"plan_id\": \"" + "p".repeat(22_548_563) + "\"}");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try { // nothing listens on port 1: sending anything would fail differently
            code = OeCli.run("init", "--orchestration-plan", plan.toString(), "--plan-loader-url", "http://127.0.0.1:1");
        } finally {
            System.setErr(before);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(CliException.REJECTED);
        assertThat(said).startsWith("oe init: the orchestration plan " + plan + " is 21.5 MB (22,548,578 bytes); the limit"
                + " is 16 MB (16,777,216 bytes)").doesNotContain("IOException", "cannot reach");
    }
}
