package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.cli.Json;
import io.oe.deploy.DebianPackages;
import io.oe.deploy.LocalStack;
import io.oe.deploy.OeHome;
import io.oe.events.CommandKind;
import io.oe.events.ExecutionCommand;
import io.oe.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The monitor's dashboard in a real headless Chromium: it shows an execution's tiers, phase graph, why phases wait
 * and the live changes pushed over SSE (one made straight on Kafka, one by the page's own button), never reloading;
 * its first paint already shows the execution; long labels are whole, the timeline's axis labels distinct, a wide
 * tier one box with counts and a grid. Screenshots go to target/screenshots (and to docs/images with
 * -Doe.docs.screenshots=true).
 */
class DashboardIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static E2eStack env;
    static WebDriver browser;

    @BeforeAll
    static void start() {
        // Debian's chromium and its driver, installed here when missing: the test never skips for want of them
        assertThat(DebianPackages.ensure(List.of(CHROMEDRIVER, "--version"), "chromium", "chromium-driver"))
                .as("chromium and chromium-driver (apt-get install chromium chromium-driver)").isTrue();
        env = E2eStack.start("DashboardIT", List.copyOf(LocalStack.SERVICES.keySet()),
                (root, options) -> options.env("OE_DEMO_DELAY_MS", "2500").runnersFile(runnersWithABrokenAgent(root)));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1500", "--user-data-dir=" + env.dir.resolve("chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // the page's console, shown on failure
        // the driver given by path: Selenium Manager would try to download one
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .withLogFile(env.dir.resolve("chromedriver.log").toFile()).build(), options);
    }

    /** The stack's default runners plus @broken: the demo agent failing on every attempt, so its phase waits for a person. */
    static Path runnersWithABrokenAgent(Path root) {
        try {
            ObjectNode runners = (ObjectNode) Json.MAPPER.readTree(OeHome.resolve().resolve("deploy/runners/default.json").toFile());
            ObjectNode broken = runners.with("runners").get("demo").deepCopy();
            broken.with("env").put("OE_DEMO_FAIL_ATTEMPTS", "99");
            runners.with("runners").set("broken", broken);
            runners.with("agents").put("@broken", "broken");
            // @printer prints markup that would run script if it were ever taken as HTML, then works a while
            Path printer = Files.writeString(root.resolve("printer-agent.sh"), """
                    #!/bin/sh
                    echo '<img src=x onerror="window.pwned=1"><b>bold?</b>'
                    echo 'working' >&2
                    sleep 4
                    echo 'done'
                    """);
            Files.setPosixFilePermissions(printer, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            ObjectNode p = runners.with("runners").putObject("printer");
            p.putArray("argv").add(printer.toString());
            p.putArray("env_passthrough").add("PATH");
            runners.with("agents").put("@printer", "printer");
            return Files.writeString(root.resolve("runners.json"), Json.pretty(runners));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void theDemoRunsLiveInThePageWithoutAReload() throws Exception {
        Path project = env.copyProject(env.home.resolve("examples/myapp"), "myapp");
        Api api = env.api();
        Api.Response created = api.createExecution(BundlePacker.pack(project.resolve("orchestration-plan.json"), null, null, true).bundle());
        assertThat(created.status()).as("submit: %s", created.body()).isEqualTo(201);
        String id = created.json().path("execution_id").asText();

        open(id);
        var plan = api.state(id).json();
        List<String> tiers = plan.path("tiers").findValuesAsText("name");
        waitFor("the demo's tiers", Duration.ofSeconds(30), () -> texts("[data-tier]", "data-tier").equals(tiers));
        assertThat(tiers).hasSize(4);
        waitFor("the phase graph", Duration.ofSeconds(10),
                () -> browser.findElements(By.cssSelector("#graph [data-phase-id]")).size() == plan.path("phases").size());
        marker();
        // the parallel tier running, seen as it happens
        waitFor("two phases of the parallel tier running at once", Duration.ofSeconds(120),
                () -> browser.findElements(By.cssSelector("#graph [data-status=in_progress]")).size() >= 2);
        assertThat(browser.findElements(By.cssSelector("#current [data-task]"))).as("task progress bars").isNotEmpty();
        screenshot("dashboard-running");
        waitFor("the execution completed", Duration.ofSeconds(180), () -> "completed".equals(statusBadge()));
        assertThat(attr("#graph [data-phase-id='11']", "data-status")).as("phase 11, condition false").isEqualTo("skipped");
        assertThat(browser.findElements(By.cssSelector("#gantt rect[data-attempt]")).size()).as("timeline bars")
                .isGreaterThanOrEqualTo(13);
        assertDistinctAxisLabels();
        assertThat(browser.findElement(By.id("events")).getText()).contains("execution in_progress → completed");
        assertStillSamePage();
        screenshot("dashboard-completed");
    }

    @Test
    void aRunningAgentsOutputShowsLiveInItsPanelAsTextNeverAsMarkup() throws Exception {
        TestProject p = new TestProject(env.root, "printer").tier("only", "sequential", 1);
        p.phase(1, "@printer");
        String id = p.submit(env.api());
        open(id);
        marker();
        waitFor("the running phase's output panel with its first line", Duration.ofSeconds(60),
                () -> browser.findElements(By.cssSelector("#outputs pre.output")).stream()
                        .anyMatch(e -> e.getText().contains("<img src=x onerror=")));
        WebElement panel = browser.findElement(By.cssSelector("#outputs pre.output[data-output='1/1']"));
        assertThat(panel.getText()).as("seen while the agent runs").doesNotContain("done");
        assertThat(panel.getText()).contains("<b>bold?</b>", "working");
        assertThat(browser.findElements(By.cssSelector("#outputs img, #outputs b"))).as("markup stays text").isEmpty();
        assertThat(panel.findElement(By.cssSelector(".output-stderr")).getText()).isEqualTo("working");
        waitFor("the rest of the output and the end", Duration.ofSeconds(60), () -> panel.getText().contains("done")
                && browser.findElement(By.cssSelector("#outputs .output-panel h3")).getText().contains("ended"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
                .as("no script of the agent's ran").isEqualTo(true);
        assertStillSamePage();
    }

    @Test
    void aChangeMadeOnKafkaAndAButtonPressAppearWithoutAReload() throws Exception {
        TestProject p = new TestProject(env.root, "gates").tier("build", "sequential", 1).tier("ship", "parallel", 2, 3)
                .tier("after", "sequential", 4);
        p.phase(1, "@doc");
        p.phase(2, "@devops").put("approval", true);
        p.phase(3, "@qa").put("approval", true);
        p.phase(4, "@doc");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(3, "waiting_for_approval"), Duration.ofSeconds(90), "approval gates");

        open(id);
        waitFor("phase 2 waiting for approval", Duration.ofSeconds(30),
                () -> "waiting_for_approval".equals(attr("#graph [data-phase-id='2']", "data-status")));
        assertThat(browser.findElement(By.cssSelector("[data-waiting-phase='2']")).getText()).contains("approval by a person");
        assertThat(browser.findElement(By.cssSelector("[data-waiting-phase='4']")).getText())
                .contains("waits for phase 2 Phase 2 (waiting for approval), phase 3 Phase 3 (waiting for approval)");
        marker();

        // 1. straight on Kafka: an APPROVE command on the control topic, as any producer could send it
        Events.publish(env.broker.bootstrapServers(), Topics.EXECUTION_CONTROL, id, new ExecutionCommand(
                UUID.randomUUID().toString(), id, CommandKind.APPROVE, 2, "dashboard-it", "approved on Kafka", null, Instant.now(), false, null, null, null, null, null, null));
        waitFor("phase 2 completed after its approval on Kafka", Duration.ofSeconds(60),
                () -> "completed".equals(attr("#graph [data-phase-id='2']", "data-status")));
        assertStillSamePage();

        // 2. the page's own button: approve phase 3 (the plan-loader, another origin, checks the token)
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('oe-token', arguments[0])", env.token());
        browser.findElement(By.cssSelector("[data-waiting-phase='3'] button[data-command=approve]")).click();
        waitFor("the command accepted", Duration.ofSeconds(20),
                () -> browser.findElement(By.id("command-result")).getText().contains("approve phase 3: accepted"));
        waitFor("the execution completed", Duration.ofSeconds(90), () -> "completed".equals(statusBadge()));
        assertThat(api.log(id).body()).contains("APPROVE phase 3 by");
        assertStillSamePage();
        await(api, id, execution("completed"), Duration.ofSeconds(10), "completion");
    }

    @Test
    void aPhaseWaitingForReviewShowsItsDecisionsAndTheApproveButtonCompletesIt() throws Exception {
        TestProject p = new TestProject(env.root, "review-gate").tier("t", "sequential", 1, 2);
        p.phase(1, "@doc").put("review", true).putArray("outputs").addObject().put("artifact", "notes.md");
        p.phase(2, "@doc").putArray("inputs").addObject().put("artifact", "notes.md").put("from", 1);
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "waiting_for_review"), Duration.ofSeconds(90), "the review gate");
        open(id);
        waitFor("the review buttons", Duration.ofSeconds(30), () -> browser.findElements(By.cssSelector(
                "[data-waiting-phase='1'] button[data-command^=review-]")).size() == 3);
        assertThat(browser.findElement(By.cssSelector("[data-waiting-phase='1']")).getText())
                .contains("a person to review its outputs", "approve outputs", "reject outputs", "replace outputs");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('oe-token', arguments[0])", env.token());
        browser.findElement(By.cssSelector("[data-waiting-phase='1'] button[data-command=review-approve]")).click();
        waitFor("the review accepted", Duration.ofSeconds(20),
                () -> browser.findElement(By.id("command-result")).getText().contains("review phase 1: accepted"));
        waitFor("the execution completed", Duration.ofSeconds(90), () -> "completed".equals(statusBadge()));
        assertThat(api.log(id).body()).contains("REVIEW phase 1 approve by");
    }

    @Test
    void aWrongTokenIsRefusedAndSaidSo() throws Exception {
        TestProject p = new TestProject(env.root, "refused").tier("t", "sequential", 1);
        p.phase(1, "@doc").put("approval", true);
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "waiting_for_approval"), Duration.ofSeconds(90), "approval gate");
        open(id);
        waitFor("the approve button", Duration.ofSeconds(30),
                () -> !browser.findElements(By.cssSelector("[data-waiting-phase='1'] button[data-command=approve]")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('oe-token', 'not-the-token')");
        browser.findElement(By.cssSelector("[data-waiting-phase='1'] button[data-command=approve]")).click();
        waitFor("the refusal shown", Duration.ofSeconds(20),
                () -> browser.findElement(By.id("command-result")).getText().contains("refused (HTTP 401)"));
        assertThat(attr("#graph [data-phase-id='1']", "data-status")).isEqualTo("waiting_for_approval");
    }

    static final String LONG_NAME = "Generate the integration test fixtures for every supported database engine";

    @Test
    void theFirstPaintShowsAPhaseWaitingForAPersonWholeAndWhatTheExecutionWaitsFor() throws Exception {
        TestProject p = new TestProject(env.root, "stuck").tier("t", "sequential", 1, 2, 3);
        p.phase(1, "@doc");
        p.phase(2, "@broken").put("name", LONG_NAME).putObject("retry").put("max_retries", 1).put("backoff_seconds", 0.2);
        p.phase(3, "@doc");
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(2, "waiting_for_intervention"), Duration.ofSeconds(90), "phase 2 waiting for intervention");

        // a fresh load, looked at as soon as the browser says it has loaded: no waiting for the stream
        browser.get("about:blank");
        browser.get(env.stack.info().url("monitor-service") + "/#" + id);
        screenshot("dashboard-first-paint");
        assertThat(browser.findElement(By.id("view")).isDisplayed()).as("the execution's view on the first paint").isTrue();
        assertThat(browser.findElement(By.id("execution-id")).getText()).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("#graph [data-phase-id]"))).hasSize(3);

        // the ETA says what the execution waits for, in the monitor's words, not "0 s left"
        assertThat(browser.findElement(By.id("eta")).getText())
                .isEqualTo("waiting for a person: phase 2 needs intervention").doesNotContain("left");

        // the long name and "waiting for intervention · attempt 2" are whole, every line inside its box
        WebElement node = browser.findElement(By.cssSelector("#graph [data-phase-id='2']"));
        assertThat(js("return [...arguments[0].querySelectorAll('tspan')].map(t => t.textContent).join(' ')", node))
                .isEqualTo("2 " + LONG_NAME + " waiting for intervention · attempt 2");
        double box = ((Number) js("return arguments[0].querySelector('rect').width.baseVal.value", node)).doubleValue();
        @SuppressWarnings("unchecked")
        List<Number> widths = (List<Number>) js("return [...arguments[0].querySelectorAll('text')]"
                + ".map(t => t.getBBox().x + t.getBBox().width)", node);
        assertThat(widths).as("each line's right end, inside the %s px box", box).allSatisfy(w -> assertThat(w.doubleValue()).isLessThan(box));
        assertThat(node.getAttribute("aria-label")).contains(LONG_NAME).contains("waiting for intervention · attempt 2");

        // a label too long for its lines ends with "…" after a whole word, never within one
        @SuppressWarnings("unchecked")
        Map<String, Object> wrapped = (Map<String, Object>) js("const m = textWidth(12);"
                + " const r = wrapText(arguments[0] + ' and then checks each of them twice over', 184, 2, m);"
                + " return { lines: r.lines, cut: r.cut, widest: Math.max(...r.lines.map(m)) };", LONG_NAME);
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) wrapped.get("lines");
        assertThat(wrapped.get("cut")).isEqualTo(true);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).endsWith(" …");
        String shown = String.join(" ", lines).replace(" …", "");
        assertThat(LONG_NAME + " and then checks each of them twice over").startsWith(shown + " ");
        assertThat(((Number) wrapped.get("widest")).doubleValue()).isLessThanOrEqualTo(184);

        // the timeline of this short run: round steps, no label twice
        waitFor("the timeline", Duration.ofSeconds(10), () -> !browser.findElements(By.cssSelector("#gantt text[data-tick]")).isEmpty());
        assertDistinctAxisLabels();
        screenshot("dashboard-waiting-for-intervention");
    }

    @Test
    void theTimelinesAxisHasDistinctRoundLabelsAtAnyDuration() {
        browser.get(env.stack.info().url("monitor-service") + "/");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> axes = (List<Map<String, Object>>) js("return [0, 300, 999, 1200, 1500, 3000, 7500,"
                + " 59000, 61000, 125000, 600000, 3599000, 10800000, 90000000, 900000000]"
                + ".map(ms => { const a = axisTicks(ms, 8); return { ms, end: a.endMs, labels: a.ticks.map(t => t.label) }; })");
        for (Map<String, Object> axis : axes) {
            @SuppressWarnings("unchecked")
            List<String> labels = (List<String>) axis.get("labels");
            assertThat(labels).as("the axis of a %s ms run", axis.get("ms")).doesNotHaveDuplicates().hasSizeBetween(2, 9);
            assertThat(((Number) axis.get("end")).longValue()).as("its end").isGreaterThanOrEqualTo(((Number) axis.get("ms")).longValue());
        }
        assertThat(axes.get(4).get("labels")).as("1.5 s").isEqualTo(List.of("0 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1 s", "1.2 s", "1.4 s", "1.6 s"));
        assertThat(axes.get(9).get("labels")).as("2 min 5 s")
                .isEqualTo(List.of("0 s", "30 s", "1 min", "1 min 30 s", "2 min", "2 min 30 s"));
        assertThat(axes.get(12).get("labels")).as("3 h")
                .isEqualTo(List.of("0 s", "30 min", "1 h", "1 h 30 min", "2 h", "2 h 30 min", "3 h"));
    }

    @Test
    void aWideTierIsOneBoxWithItsCountsAndAGridThatChangesOnlyWhereAPhaseChanged() throws Exception {
        int wide = 200;
        int[] ids = java.util.stream.IntStream.rangeClosed(2, wide + 1).toArray();
        TestProject p = new TestProject(env.root, "wide").tier("gate", "sequential", 1).tier("fan", "parallel", ids);
        p.phase(1, "@doc").put("approval", true);
        for (int id : ids) {
            p.phase(id, "@doc");
        }
        Api api = env.api();
        String id = p.submit(api);
        await(api, id, phaseIs(1, "waiting_for_approval"), Duration.ofSeconds(90), "the approval gate");

        open(id);
        waitFor("the wide tier's box", Duration.ofSeconds(30), () -> !browser.findElements(By.cssSelector("[data-tier-box=fan]")).isEmpty());
        WebElement tierBox = browser.findElement(By.cssSelector("[data-tier-box=fan]"));
        assertThat(tierBox.getAttribute("textContent")).contains("200 phases").contains("200 pending");
        assertThat(tierBox.getAttribute("aria-label")).startsWith("tier fan: 200 phases, 200 pending");
        assertThat(browser.findElements(By.cssSelector("#graph [data-phase-id]"))).as("only the gate as a box of its own").hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#graph svg")).getSize().getHeight()).as("the graph's height")
                .isLessThan(300);
        assertThat(browser.findElements(By.cssSelector("#waiting [data-waiting-phase]"))).as("a capped list").hasSizeLessThanOrEqualTo(12);
        assertThat(browser.findElement(By.id("waiting")).getText()).contains("more waiting");

        tierBox.click();
        waitFor("the tier's grid", Duration.ofSeconds(10), () -> browser.findElements(By.cssSelector("[data-tier-grid=fan] [data-cell]")).size() == wide);
        WebElement cells = browser.findElement(By.cssSelector("[data-tier-grid=fan] .cells"));
        assertThat(cells.getSize().getHeight()).as("the grid's height, bounded").isLessThanOrEqualTo(320);
        assertThat(browser.findElement(By.cssSelector("[data-cell='3']")).getLocation().getY()).as("cells side by side")
                .isEqualTo(browser.findElement(By.cssSelector("[data-cell='2']")).getLocation().getY());
        screenshot("dashboard-wide-tier");

        // a change reaches the cells in place: the same elements, their status changed
        js("document.querySelector(\"[data-cell='2']\").__before = true");
        assertThat(api.command(id, TestProject.command("CANCEL", null)).status()).isEqualTo(202);
        waitFor("the cells cancelled", Duration.ofSeconds(30), () -> "cancelled".equals(attr("[data-cell='2']", "data-status")));
        assertThat(js("return document.querySelector(\"[data-cell='2']\").__before")).as("the same cell, not rebuilt").isEqualTo(true);
        // the cancellations arrive over several published states (at most one per 100 ms), so wait for the last
        waitFor("the tier's counts: 200 cancelled", Duration.ofSeconds(30),
                () -> browser.findElement(By.cssSelector("[data-tier-grid=fan] summary")).getText().contains("200 cancelled"));

        // 10,000 phases in one tier: drawn in bounded time and size; one phase's change touches one cell
        @SuppressWarnings("unchecked")
        Map<String, Object> big = (Map<String, Object>) js("""
                const s = JSON.parse(JSON.stringify(state));
                const ids = [];
                s.phases = {};
                for (let i = 1; i <= 10000; i++) {
                  ids.push(i);
                  s.phases[i] = { id: i, name: 'Step ' + i, agent: '@doc', tier: 'huge', attempts: 1, prerequisites: [],
                    status: i % 10 ? 'completed' : 'in_progress',
                    attempt_history: [{ number: 1, started_at: s.start_time, ended_at: i % 10 ? s.end_time : null,
                      outcome: i % 10 ? 'completed' : null }] };
                }
                s.tiers = [{ name: 'huge', mode: 'parallel', phases: ids, completed: 9000, skipped: 0, running: 1000, failed: 0, pending: 0 }];
                s.tasks = {};
                state = s;
                let t = performance.now();
                render(s);
                const drawn = performance.now() - t;
                document.querySelector("[data-tier-grid='huge']").open = true;
                t = performance.now();
                render(s);
                const opened = performance.now() - t;
                const box = document.querySelector("[data-tier-grid='huge'] .cells");
                const watch = new MutationObserver(() => {});
                watch.observe(box, { subtree: true, childList: true, attributes: true });
                const next = JSON.parse(JSON.stringify(s));
                next.phases[10].status = 'completed';
                state = next;
                t = performance.now();
                render(next);
                const updated = performance.now() - t;
                const changes = watch.takeRecords();
                watch.disconnect();
                return { drawn, opened, updated, cells: box.children.length, changed: new Set(changes.map(r => r.target.dataset.cell)).size,
                  changedCell: changes.length ? changes[0].target.dataset.cell : null, graphElements: document.querySelectorAll('#graph *').length,
                  gridHeight: box.getBoundingClientRect().height, summary: document.querySelector("[data-tier-grid='huge'] summary").textContent };
                """);
        System.out.printf("[e2e] 10,000 phases: drawn in %.0f ms, with the grid opened %.0f ms, one change %.0f ms%n",
                ((Number) big.get("drawn")).doubleValue(), ((Number) big.get("opened")).doubleValue(), ((Number) big.get("updated")).doubleValue());
        assertThat(((Number) big.get("cells")).intValue()).isEqualTo(10_000);
        assertThat(((Number) big.get("changed")).intValue()).as("cells touched by one phase's change").isEqualTo(1);
        assertThat(big.get("changedCell")).isEqualTo("10");
        assertThat(((Number) big.get("graphElements")).intValue()).as("the graph's elements").isLessThan(100);
        assertThat(((Number) big.get("gridHeight")).doubleValue()).isLessThanOrEqualTo(320);
        assertThat(big.get("summary")).isEqualTo("Tier huge: 10,000 phases · 9,001 completed · 999 running");
        assertThat(((Number) big.get("updated")).doubleValue()).as("ms to draw one change").isLessThan(1000);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static void open(String id) {
        browser.get(env.stack.info().url("monitor-service") + "/#" + id);
        waitFor("execution " + id + " shown", Duration.ofSeconds(30),
                () -> id.equals(browser.findElement(By.id("execution-id")).getText()));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The timeline's axis on the page: at least two ticks, no label twice. */
    private static void assertDistinctAxisLabels() {
        List<String> labels = browser.findElements(By.cssSelector("#gantt text[data-tick]")).stream().map(WebElement::getText).toList();
        assertThat(labels).as("the timeline's axis labels").hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
    }

    /** A mark in the page's window: gone if anything reloads the page. */
    private static void marker() {
        ((JavascriptExecutor) browser).executeScript("window.__oeMarker = 'same page'");
    }

    private static void assertStillSamePage() {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__oeMarker")).as("no reload").isEqualTo("same page");
    }

    private static String statusBadge() {
        return attr("#status", "data-status");
    }

    private static String attr(String css, String name) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    private static List<String> texts(String css, String attribute) {
        return browser.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute(attribute)).toList();
    }

    private static void waitFor(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            new WebDriverWait(browser, timeout).withMessage(what).pollingEvery(Duration.ofMillis(200))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> condition.getAsBoolean());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(what + ": not seen in " + timeout.toSeconds() + " s; the page's console:\n" + console(), e);
        }
    }

    private static String console() {
        StringBuilder out = new StringBuilder();
        browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)
                .forEach(l -> out.append(l.getLevel()).append(' ').append(l.getMessage()).append('\n'));
        return out.toString();
    }

    private static void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path out = env.home.resolve("e2e-tests/target/screenshots").resolve(name + ".png");
        Files.createDirectories(out.getParent());
        Files.copy(shot, out, StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("oe.docs.screenshots")) {
            Path doc = env.home.resolve("docs/images").resolve(name + ".png");
            Files.createDirectories(doc.getParent());
            Files.copy(shot, doc, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("[e2e] screenshot " + out);
    }
}
