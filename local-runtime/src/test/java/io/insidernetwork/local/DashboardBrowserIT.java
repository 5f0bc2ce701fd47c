package io.insidernetwork.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.local.sim.Simulator;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against a running local runtime (real broker, ingest, graph-stream, api-sink,
 * partner-event simulator): the key is entered, the live figures change, the ticker fills, and an insider's graph
 * has as many nodes as the API's network has entries (degree 1 and 2), also after expanding a node. Screenshots go
 * to {@code target/dashboard-screenshots/}. Needs Debian's {@code chromium} and {@code chromium-driver}
 * ({@code ./test.sh} installs them); fails when they are missing.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(KafkaBrokerExtension.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final int INSIDERS = 200;
    private static final long EVENTS = 3_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldShowLiveFiguresAndTheApisNetworkWhenAKeyIsEntered(final KafkaBroker broker, @TempDir final Path dir)
        throws Exception {
        assertThat(CHROMIUM).as("Chromium is missing: apt-get install -y chromium chromium-driver (./test.sh does)")
            .isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver is missing: apt-get install -y chromium-driver (./test.sh does)")
            .isExecutable();
        Files.createDirectories(SCREENSHOTS);
        final String prefix = KafkaBrokerExtension.uniqueName("dashboard") + ".";
        try (LocalRuntime runtime = LocalRuntime.start(LocalOptions.forTests(dir, broker.bootstrapServers(), prefix))) {
            await().atMost(WAIT).until(runtime::ready);
            final String base = "http://127.0.0.1:" + runtime.apiPort();
            final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            final WebDriver driver = new ChromeDriver(service, options(dir.resolve("chromium-profile")));
            try {
                browse(driver, runtime, base);
            } finally {
                driver.quit();
            }
        }
    }

    private void browse(final WebDriver driver, final LocalRuntime runtime, final String base) throws Exception {
        try (Simulator simulator = Simulator.start(URI.create("http://127.0.0.1:" + runtime.ingestPort()),
            runtime.webhookSecret(), INSIDERS, 150, 11L, EVENTS, null, (batch, at) -> { })) {
            driver.get(base + "/dashboard");
            assertThat(driver.findElement(By.id("main")).isDisplayed()).as("nothing shown before a key").isFalse();
            driver.findElement(By.id("api-key")).sendKeys(runtime.apiKey());
            driver.findElement(By.id("key-save")).click();
            assertThat(script(driver, "return sessionStorage.getItem('insider-network-api-key')"))
                .isEqualTo(runtime.apiKey());

            // the figures change while the simulator sends events
            final String first = await().atMost(WAIT).until(() -> figures(driver), f -> !f.contains("–"));
            await().atMost(WAIT).until(() -> figures(driver), f -> !f.equals(first) && !f.contains("–"));
            await().atMost(WAIT).until(() -> driver.findElements(By.cssSelector("#ticker li")).size() >= 3);
            await().atMost(WAIT).until(() -> !driver.findElements(By.cssSelector(".board a")).isEmpty());
            screenshot(driver, "1-overview.png");

            await().atMost(Duration.ofSeconds(120)).until(simulator::finished);
        }
        final String hub = await().atMost(WAIT).until(() -> topByFirstDegree(base, runtime.apiKey()),
            id -> id != null);

        // degree 2: the root, every entry at degree 1 and every entry at degree 2 (all pages)
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            final int drawn = open(driver, hub, 2);
            final long expected = 1 + total(base, runtime.apiKey(), hub, 1) + total(base, runtime.apiKey(), hub, 2);
            assertThat(drawn).as("nodes of %s to degree 2", hub).isEqualTo(expected);
        });
        assertThat(driver.findElement(By.cssSelector("#profile dd[data-field=insider]")).getText()).isEqualTo(hub);
        screenshot(driver, "2-insider-degree-2.png");

        // degree 1, then a click on a node expands it: the union of the root's and that node's first-degree networks
        final Set<String> rootNetwork = await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            final Set<String> network = firstDegree(base, runtime.apiKey(), hub);
            return open(driver, hub, 1) == 1 + network.size() ? network : null;
        }, network -> network != null);
        final List<String> insiders = rootNetwork.stream().filter(id -> !id.startsWith("@") && !id.startsWith("fp-"))
            .toList();
        await().atMost(WAIT).until(() -> "true".equals(graph(driver).getDomAttribute("data-sized")));
        final String clicked = clickNode(driver, insiders);
        final String expanded = await().atMost(Duration.ofSeconds(20))
            .until(() -> graph(driver).getDomAttribute("data-expanded"), id -> id != null);
        // the node under the pointer is the one clicked (or one drawn over it)
        assertThat(expanded).as("clicked where %s is drawn", clicked).isIn(insiders);
        final Set<String> union = new LinkedHashSet<>(rootNetwork);
        union.add(hub);
        union.addAll(firstDegree(base, runtime.apiKey(), expanded));
        assertThat(nodeCount(driver)).as("nodes after expanding %s", expanded).isEqualTo(union.size());
        await().atMost(WAIT).until(() -> "true".equals(graph(driver).getDomAttribute("data-sized")));
        screenshot(driver, "3-insider-expanded.png");
    }

    private static ChromeOptions options(final Path profile) {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1800", "--user-data-dir=" + profile.toAbsolutePath());
        return options;
    }

    private static String figures(final WebDriver driver) {
        return driver.findElement(By.id("fig-insiders")).getText() + "/"
            + driver.findElement(By.id("fig-connections")).getText();
    }

    private static Object script(final WebDriver driver, final String code, final Object... args) {
        return ((JavascriptExecutor) driver).executeScript(code, args);
    }

    /** Opens {@code insider} at {@code degree} in the page and answers the drawn node count. */
    private static int open(final WebDriver driver, final String insider, final int degree) {
        new Select(driver.findElement(By.id("degree"))).selectByVisibleText(Integer.toString(degree));
        final WebElement field = driver.findElement(By.id("insider-id"));
        field.clear();
        field.sendKeys(insider);
        driver.findElement(By.id("insider-open")).click();
        await().atMost(WAIT).until(() -> {
            final WebElement graph = graph(driver);
            return "drawn".equals(graph.getDomAttribute("data-state")) && insider.equals(graph.getDomAttribute("data-insider"))
                && Integer.toString(degree).equals(graph.getDomAttribute("data-degree"));
        });
        return nodeCount(driver);
    }

    private static WebElement graph(final WebDriver driver) {
        return driver.findElement(By.id("graph"));
    }

    /**
     * A real mouse click on the first of {@code candidates} the chart drew inside its box (its layout position
     * converted to pixels); answers the id clicked.
     */
    private static String clickNode(final WebDriver driver, final List<String> candidates) {
        final WebElement graph = graph(driver);
        script(driver, "arguments[0].scrollIntoView({block: 'center'})", graph);
        @SuppressWarnings("unchecked")
        final List<Object> hit = (List<Object>) script(driver, """
            const box = document.getElementById('graph');
            const chart = echarts.getInstanceByDom(box);
            const data = chart.getModel().getSeriesByIndex(0).getData();
            for (const id of arguments[0]) {
              const [x, y] = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(data.indexOfName(id)));
              if (x > 20 && y > 40 && x < box.clientWidth - 20 && y < box.clientHeight - 20) {
                return [id, x, y];
              }
            }
            return null;
            """, candidates);
        assertThat(hit).as("a node of %s drawn inside the chart", candidates).isNotNull();
        final org.openqa.selenium.Dimension size = graph.getSize();
        // offsets are from the element's centre
        new Actions(driver).moveToElement(graph,
            (int) Math.round(((Number) hit.get(1)).doubleValue() - size.getWidth() / 2.0),
            (int) Math.round(((Number) hit.get(2)).doubleValue() - size.getHeight() / 2.0)).click().perform();
        return (String) hit.get(0);
    }

    private static int nodeCount(final WebDriver driver) {
        return Integer.parseInt(graph(driver).getDomAttribute("data-node-count"));
    }

    private static void screenshot(final WebDriver driver, final String name) throws IOException {
        final File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private String topByFirstDegree(final String base, final String key) throws Exception {
        final JsonNode networks = get(base + "/api/v1/networks/summary?top=1", key).path("data").path("networks");
        return networks.isEmpty() || networks.get(0).path("top_by_first_degree").isEmpty() ? null
            : networks.get(0).path("top_by_first_degree").get(0).path("insider_id").asText();
    }

    private long total(final String base, final String key, final String insider, final int degree) throws Exception {
        return get(base + "/api/v1/insiders/" + insider + "/network?degree=" + degree + "&limit=1", key)
            .path("pagination").path("total").asLong();
    }

    /** Every insider and recipient at degree 1 of {@code insider}, over all pages. */
    private Set<String> firstDegree(final String base, final String key, final String insider) throws Exception {
        final Set<String> out = new LinkedHashSet<>();
        String token = null;
        do {
            final JsonNode page = get(base + "/api/v1/insiders/" + insider + "/network?degree=1&limit=200"
                + (token == null ? "" : "&connectionsToken=" + java.net.URLEncoder.encode(token,
                java.nio.charset.StandardCharsets.UTF_8)), key);
            final JsonNode analysis = page.path("data").path("network_analysis");
            analysis.path("connections").forEach(c -> out.add(c.path("insider_id").asText()));
            analysis.path("anonymous_connections").forEach(c -> out.add(c.path("recipient").asText()));
            token = page.path("pagination").path("hasNext").asBoolean() ? page.path("pagination").path("nextToken")
                .asText() : null;
        } while (token != null);
        return out;
    }

    private JsonNode get(final String url, final String key) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("X-API-Key", key).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
