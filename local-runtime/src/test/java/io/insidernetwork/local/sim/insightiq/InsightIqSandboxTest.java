package io.insidernetwork.local.sim.insightiq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.local.sim.PartnerEventGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InsightIqSandboxTest {

    private static final String AUTH = "Basic " + Base64.getEncoder()
        .encodeToString("demo:p@55w0rd".getBytes(StandardCharsets.UTF_8));

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private InsightIqSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void shouldWalkEveryUserWhenPagingUntilShortPage() throws Exception {
        start(InsightIqSandbox.Faults.none(), 250);
        final Set<String> externalIds = new HashSet<>();
        int offset = 0;
        while (true) {
            final JsonNode page = json.readTree(get("/v1/users?limit=100&offset=" + offset, AUTH).body());
            page.path("data").forEach(u -> externalIds.add(u.path("external_id").asText()));
            assertThat(page.path("metadata").path("limit").asInt()).isEqualTo(100);
            if (page.path("data").size() < 100) {
                break;
            }
            offset += 100;
        }
        assertThat(externalIds).hasSize(250);
    }

    @Test
    void shouldServeAccountsProfilesContentsAndCommentsWhenWalkedFromUser() throws Exception {
        start(InsightIqSandbox.Faults.none(), 50);
        final JsonNode user = json.readTree(get("/v1/users?limit=1", AUTH).body()).path("data").get(0);
        final JsonNode account = json.readTree(get("/v1/accounts?user_id=" + user.path("id").asText(), AUTH).body())
            .path("data").get(0);
        final String accountId = account.path("id").asText();
        assertThat(account.path("status").asText()).isEqualTo("CONNECTED");
        assertThat(json.readTree(get("/v1/profiles?account_id=" + accountId, AUTH).body()).path("data")).hasSize(1);
        assertThat(json.readTree(get("/v1/audience?account_id=" + accountId, AUTH).body()).path("countries"))
            .isNotEmpty();
        final JsonNode contents = json.readTree(get("/v1/social/contents?account_id=" + accountId, AUTH).body());
        assertThat(contents.path("data")).isNotEmpty();
        final String contentId = contents.path("data").get(0).path("id").asText();
        assertThat(get("/v1/social/comments?account_id=" + accountId + "&content_id=" + contentId, AUTH)
            .statusCode()).isEqualTo(200);
        assertThat(get("/v1/social/comments?account_id=" + accountId, AUTH).statusCode()).isEqualTo(400);
    }

    @Test
    void shouldRefuseWhenCredentialsAreWrong() throws Exception {
        start(InsightIqSandbox.Faults.none(), 5);
        final HttpResponse<String> response = get("/v1/users", "Basic d3Jvbmc6d3Jvbmc=");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void shouldAnswerTooManyRequestsWithRetryAfterWhenFaultsAreInjected() throws Exception {
        start(new InsightIqSandbox.Faults(1.0, 0.0), 5);
        final HttpResponse<String> response = get("/v1/users", AUTH);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    private void start(final InsightIqSandbox.Faults faults, final int insiders) {
        final PartnerEventGenerator generator = new PartnerEventGenerator(1, insiders, "mybrand", Clock.systemUTC());
        while (generator.insiders().size() < insiders) {
            generator.next();
        }
        final List<String> ids = generator.insiders();
        sandbox = InsightIqSandbox.start(new SandboxWorld(1, ids, Clock.systemUTC()), 0, "demo", "p@55w0rd", faults,
            InsightIqSandbox.WebhookTarget.none(), 1);
    }

    private HttpResponse<String> get(final String path, final String auth) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path)).header("Authorization", auth)
            .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
