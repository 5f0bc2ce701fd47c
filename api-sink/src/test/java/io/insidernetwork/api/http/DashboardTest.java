package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.edge;
import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static io.insidernetwork.api.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's server side: {@code GET /api/v1/networks/summary} (totals, leaderboards, scope, newest feed time;
 * validated against the OpenAPI document) and the page with every asset it loads served without a key.
 */
class DashboardTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");

    @TempDir
    Path stateDir;
    private ApiHarness api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        // brand-a: insiders 1..4 with generated amounts 10, 40, 30, 20 and shares 1..4; brand-b: insider 5
        final String[] generated = {"10", "40", "30", "20"};
        for (int n = 1; n <= 4; n++) {
            final InsiderState s = insider(id(n), "brand-a", n, T0.plusSeconds(n));
            s.setTotalGeneratedAmount(new BigDecimal(generated[n - 1]).setScale(4));
            s.setTotalShares(n);
            api.insider(s);
        }
        final InsiderState other = insider(id(5), "brand-b", 5, T0.plusSeconds(5));
        other.setTotalGeneratedAmount(new BigDecimal("99").setScale(4));
        api.insider(other);
        // first-degree sizes: insider 4 the largest, 1 next; 2 and 3 have no sizes record (0)
        api.sizes(Fixtures.sizes(id(4), 3, 0, 0, T0.plusSeconds(100)));
        api.sizes(Fixtures.sizes(id(1), 2, 1, 0, T0.plusSeconds(100)));
        api.edge(edge(id(1), id(2), 0.9, T0.plusSeconds(10)));
        api.edge(edge(id(1), id(3), 0.5, T0.plusSeconds(20)));
        api.edge(edge(id(4), "@handle", 0.2, T0.plusSeconds(30)));
        final ConnectionState b = edge(id(5), id(1), 0.4, T0.plusSeconds(40));
        b.setNetworkId("brand-b");
        api.edge(b);
        api.update(update(id(1), "brand-a", T0.plusSeconds(500), id(2)));
        api.update(update(id(5), "brand-b", T0.plusSeconds(700), id(1)));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void shouldSumEveryNetworkAndRankLeadersWhenTheKeyReadsAll() {
        final Answer a = api.client.get("/api/v1/networks/summary?top=3");
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        final JsonNode data = a.body().path("data");
        assertThat(data.path("insiders").asLong()).isEqualTo(5);
        assertThat(data.path("connections").asLong()).isEqualTo(4);
        // brand-b's insider keeps the fixture's 2 shares
        assertThat(data.path("shares").asLong()).isEqualTo(1 + 2 + 3 + 4 + 2);
        assertThat(data.path("newest_update").asText()).isEqualTo(T0.plusSeconds(700).toString());
        assertThat(data.path("seconds_behind").asLong())
            .isEqualTo(ApiHarness.NOW.getEpochSecond() - T0.plusSeconds(700).getEpochSecond());
        final JsonNode brandA = network(data, "brand-a");
        assertThat(brandA.path("insiders").asLong()).isEqualTo(4);
        assertThat(brandA.path("connections").asLong()).isEqualTo(3);
        assertThat(ids(brandA.path("top_by_generated_amount"))).containsExactly(id(2), id(3), id(4));
        assertThat(brandA.path("top_by_generated_amount").get(0).path("total_generated_amount").decimalValue())
            .isEqualByComparingTo("40");
        // ties at 0 ordered by id
        assertThat(ids(brandA.path("top_by_first_degree"))).containsExactly(id(4), id(1), id(2));
        assertThat(brandA.path("top_by_first_degree").get(0).path("first_degree").asLong()).isEqualTo(3);
        assertThat(ids(network(data, "brand-b").path("top_by_generated_amount"))).containsExactly(id(5));
    }

    @Test
    void shouldShowOnlyTheKeysNetworksWhenTheKeyIsScoped() {
        final Answer a = api.client.get("/api/v1/networks/summary", Map.of("X-API-Key", Fixtures.BRAND_KEY));
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        final JsonNode data = a.body().path("data");
        assertThat(data.path("networks")).hasSize(1);
        assertThat(data.path("insiders").asLong()).isEqualTo(4);
        assertThat(data.path("connections").asLong()).isEqualTo(3);
        // brand-b's newer feed entry is not this key's
        assertThat(data.path("newest_update").asText()).isEqualTo(T0.plusSeconds(500).toString());
        assertThat(a.raw()).doesNotContain(id(5), "brand-b");
    }

    @Test
    void shouldNameTheParameterWhenTopIsOutOfRangeAndAskForAKeyWithoutOne() {
        for (final String bad : List.of("0", "51", "x", "-1")) {
            final Answer a = api.client.get("/api/v1/networks/summary?top=" + bad);
            assertThat(a.status()).as(a.raw()).isEqualTo(400);
            assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo("top");
        }
        assertThat(api.client.get("/api/v1/networks/summary", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void shouldServeThePageAndEveryAssetItLoadsWithoutAKey() throws Exception {
        final HttpResponse<String> page = fetch("/dashboard");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        final Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        final List<String> assets = new ArrayList<>();
        while (refs.find()) {
            assets.add(refs.group(1));
        }
        assertThat(assets).contains("/webjars/echarts/5.3.1/dist/echarts.min.js", "/dashboard/assets/dashboard.js");
        for (final String asset : assets) {
            assertThat(asset).as("served here, not from elsewhere").startsWith("/");
            final HttpResponse<String> answer = fetch(asset);
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
            assertThat(answer.body()).as(asset).isNotBlank();
        }
        assertThat(fetch("/dashboard/assets/dashboard.js").headers().firstValue("Content-Type").orElse(""))
            .contains("javascript");
        assertThat(fetch("/dashboard/assets/missing.js").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> fetch(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.server.port() + path)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode network(final JsonNode data, final String name) {
        for (final JsonNode n : data.path("networks")) {
            if (n.path("network_id").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no network " + name + " in " + data);
    }

    private static List<String> ids(final JsonNode leaders) {
        final List<String> out = new ArrayList<>();
        leaders.forEach(l -> out.add(l.path("insider_id").asText()));
        return out;
    }
}
