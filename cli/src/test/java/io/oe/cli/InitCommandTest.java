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

    private Path project() throws Exception {
        Files.createDirectories(dir.resolve("ProjectPlan"));
        Files.writeString(dir.resolve("orchestration-plan.json"), "{\"plan_id\": \"p1\", \"phases\": []}");
        Files.writeString(dir.resolve("ProjectPlan/project-plan.json"), "{\"project_name\": \"X\"}");
        Files.writeString(dir.resolve("engine.config.json"), "{\"orchestration_plan_path\": \"orchestration-plan.json\"}");
        return dir.resolve("engine.config.json");
    }

    @Test
    void initWithDryRunMarksTheBundleAsADryRunAndWithoutItTheBundleSaysNothingOfIt() throws Exception {
        Path config = project();
        String url = planLoader();
        assertThat(Console.oe("init", "--config", config.toString(), "--plan-loader-url", url).code()).isZero();
        Console.Run dry = Console.oe("init", "--config", config.toString(), "--dry-run", "--plan-loader-url", url);
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.err()).startsWith("dry run created: plan p1");
        assertThat(submitted).hasSize(2);
        assertThat(submitted.get(0).has("dry_run")).isFalse();
        assertThat(submitted.get(1).path("dry_run").asBoolean()).isTrue();
        assertThat(submitted.get(1).path("autostart").asBoolean()).isFalse();
    }

    @Test
    void executeWithDryRunSubmitsThePlanAsADryRunAndStartsIt() throws Exception {
        Console.Run run = Console.oe("execute", "--dry-run", "--config", project().toString(), "--plan-loader-url", planLoader());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("exec_1");
        assertThat(submitted).singleElement().satisfies(bundle -> {
            assertThat(bundle.path("dry_run").asBoolean()).isTrue();
            assertThat(bundle.path("autostart").asBoolean()).isTrue();
            assertThat(bundle.path("plan").path("plan_id").asText()).isEqualTo("p1");
        });
    }

    @Test
    void executeWithDryRunAndAnExecutionIdIsRefusedSayingWhyAndSendsNothing() throws Exception {
        Console.Run run = Console.oe("execute", "--dry-run", "--execution-id", "exec_42", "--plan-loader-url", planLoader());
        assertThat(run.code()).isEqualTo(CliException.REJECTED);
        assertThat(run.err()).isEqualTo("oe execute: --dry-run submits the plan anew as a dry run; it cannot make execution"
                + " exec_42 (registered for a real run) a dry one: give --config FILE (or --orchestration-plan FILE) instead"
                + " of --execution-id" + System.lineSeparator());
        assertThat(submitted).isEmpty();
    }

    @Test
    void initAndExecuteWithReuseFromNameTheEarlierExecutionInTheBundle() throws Exception {
        Path config = project();
        String url = planLoader();
        Console.Run init = Console.oe("init", "--config", config.toString(), "--reuse-from", "exec_s0123456789abcdef",
                "--plan-loader-url", url);
        assertThat(init.code()).as(init.err()).isZero();
        Console.Run execute = Console.oe("execute", "--config", config.toString(), "--reuse-from", "exec_s0123456789abcdef",
                "--plan-loader-url", url);
        assertThat(execute.code()).as(execute.err()).isZero();
        assertThat(execute.out().strip()).isEqualTo("exec_1");
        assertThat(submitted).hasSize(2).allSatisfy(b -> assertThat(b.path("reuse_from").asText()).isEqualTo("exec_s0123456789abcdef"));
        assertThat(submitted.get(0).path("autostart").asBoolean()).isFalse();
        assertThat(submitted.get(1).path("autostart").asBoolean()).isTrue();
    }

    @Test
    void reuseFromWithDryRunOrWithAnExecutionIdIsRefusedBeforeSendingAnything() throws Exception {
        Path config = project();
        String url = planLoader();
        Console.Run both = Console.oe("init", "--config", config.toString(), "--dry-run", "--reuse-from", "exec_1",
                "--plan-loader-url", url);
        assertThat(both.code()).isEqualTo(CliException.REJECTED);
        assertThat(both.err()).isEqualTo("oe init: --dry-run and --reuse-from cannot go together: a dry run reuses nothing"
                + " (its outputs would be samples either way)" + System.lineSeparator());
        Console.Run withId = Console.oe("execute", "--execution-id", "exec_2", "--reuse-from", "exec_1", "--plan-loader-url", url);
        assertThat(withId.code()).isEqualTo(CliException.REJECTED);
        assertThat(withId.err()).contains("--reuse-from submits the plan anew; it does not apply to execution exec_2");
        assertThat(submitted).isEmpty();
    }

    @Test
    void executeWithoutAnExecutionIdOrDryRunSaysWhatToGive() throws Exception {
        String url = planLoader();
        Console.Run run = Console.oe("execute", "--plan-loader-url", url);
        assertThat(run.code()).isEqualTo(CliException.REJECTED);
        assertThat(run.err()).isEqualTo("oe execute: give --execution-id ID (or --dry-run with the plan: --config FILE)"
                + System.lineSeparator());
        Console.Run planWithoutDryRun = Console.oe("execute", "--execution-id", "exec_42", "--orchestration-plan",
                project().toString(), "--plan-loader-url", url);
        assertThat(planWithoutDryRun.code()).isEqualTo(CliException.REJECTED);
        assertThat(planWithoutDryRun.err()).contains("--orchestration-plan and --project-plan go with --dry-run");
        assertThat(submitted).isEmpty();
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
