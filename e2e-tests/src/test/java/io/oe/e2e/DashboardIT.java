package io.oe.e2e;

import static io.oe.e2e.TestProject.await;
import static io.oe.e2e.TestProject.execution;
import static io.oe.e2e.TestProject.phaseIs;
import static org.assertj.core.api.Assertions.assertThat;

import io.oe.cli.Api;
import io.oe.cli.BundlePacker;
import io.oe.deploy.DebianPackages;
import io.oe.deploy.LocalStack;
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
 * and the live changes pushed over SSE (one made straight on Kafka, one by the page's own button), never reloading.
 * Screenshots go to target/screenshots (and to docs/images with -Doe.docs.screenshots=true).
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
                (root, options) -> options.env("OE_DEMO_DELAY_MS", "2500"));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1500", "--user-data-dir=" + env.dir.resolve("chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // the page's console, shown on failure
        // the driver given by path: Selenium Manager would try to download one
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .withLogFile(env.dir.resolve("chromedriver.log").toFile()).build(), options);
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
        assertThat(browser.findElement(By.id("events")).getText()).contains("execution in_progress → completed");
        assertStillSamePage();
        screenshot("dashboard-completed");
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
                UUID.randomUUID().toString(), id, CommandKind.APPROVE, 2, "dashboard-it", "approved on Kafka", null, Instant.now()));
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

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static void open(String id) {
        browser.get(env.stack.info().url("monitor-service") + "/#" + id);
        waitFor("execution " + id + " shown", Duration.ofSeconds(30),
                () -> id.equals(browser.findElement(By.id("execution-id")).getText()));
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
