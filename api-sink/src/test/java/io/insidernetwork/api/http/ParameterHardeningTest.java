package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.id;
import static io.insidernetwork.api.Fixtures.insider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.PeerAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 section 3: no parameter answers 500. Extreme years, other scripts' digits, signs and overflowing numbers
 * answer 400 with the envelope naming the parameter, over HTTP on the real query code; malformed peer calls with the
 * valid peer token answer 400 with the envelope too.
 */
class ParameterHardeningTest {

    private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
    private static final String ROOT = id(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;
    private ApiHarness api;

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        api.insider(insider(ROOT, "brand-a", 1024L, T0));
        api.insider(insider(id(6), "brand-b", 6 * 1024L, T0));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // extreme years: accepted by the ISO parser, outside the supported range (they used to overflow into 500)
        "/api/v1/networks/updates/since/+999999999-12-31T23:59:59Z|timestamp|Invalid timestamp format in URL path",
        "/api/v1/networks/updates/since/-999999999-01-01T00:00:00Z|timestamp|Invalid timestamp format in URL path",
        "/api/v1/networks/updates/since/1969-12-31T23:59:59Z|timestamp|Invalid timestamp format in URL path",
        "/api/v1/networks/updates/since/+10000-01-01T00:00:00Z|timestamp|Invalid timestamp format in URL path",
        "/api/v1/insiders/ROOT/network?degree=1&since=-999999999-01-01T00:00:00Z|since|Invalid since timestamp format",
        "/api/v1/insiders/ROOT/network?degree=2&since=%2B999999999-12-31T23:59:59Z|since|Invalid since timestamp format",
        "/api/v1/insiders/ROOT/behavior?since=-999999999-01-01T00:00:00Z|since|Invalid since timestamp format",
        "/api/v1/insiders/ROOT/behavior?since=%2B999999999-12-31T23:59:59Z|since|Invalid since timestamp format",
        "/api/v1/networks/dump?lastId=1&lastValue=%2B999999999-12-31T23:59:59Z|lastValue|Invalid lastValue format",
        "/api/v1/networks/dump?lastId=1&lastValue=-999999999-01-01T00:00:00Z|lastValue|Invalid lastValue format",
        "/api/v1/insiders/ROOT/behavior?lastId=1&lastValue=%2B999999999-12-31T23:59:59Z|lastValue|Invalid lastId or lastValue for pagination",
        "/api/v1/insiders/ROOT/behavior?lastId=1&lastValue=-999999999-01-01T00:00:00Z|lastValue|Invalid lastId or lastValue for pagination"})
    void shouldAnswer400NamingParameterWhenTimestampIsOutsideSupportedRange(final String path, final String field,
                                                                           final String details) {
        final Answer a = api.client.get(path.replace("ROOT", ROOT));
        assertBadRequest(a, field, details + Params.RANGE_SUFFIX);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // full-width digits (U+FF11 U+FF10), Arabic-Indic digits, signs, spaces, overflow
        "/api/v1/networks/dump?limit=%EF%BC%91%EF%BC%90|limit|Invalid limit value (must be 1-1000)",
        "/api/v1/networks/dump?limit=%D9%A1%D9%A0|limit|Invalid limit value (must be 1-1000)",
        "/api/v1/networks/dump?limit=%2B10|limit|Invalid limit value (must be 1-1000)",
        "/api/v1/networks/dump?limit=%2010|limit|Invalid limit value (must be 1-1000)",
        "/api/v1/networks/dump?limit=99999999999999999999999|limit|Invalid limit value (must be 1-1000)",
        "/api/v1/networks/dump?lastId=%EF%BC%91&lastValue=2025-01-01T00:00:00Z|lastId|Invalid lastId value",
        "/api/v1/networks/dump?lastId=-1&lastValue=2025-01-01T00:00:00Z|lastId|Invalid lastId value",
        "/api/v1/networks/dump?lastId=99999999999999999999&lastValue=2025-01-01T00:00:00Z|lastId|Invalid lastId value",
        "/api/v1/networks/dump?sortBy=network_id&lastId=1&lastValue=%EF%BC%91|lastValue|Invalid lastValue format",
        "/api/v1/networks/updates/since/2025-07-01T00:00:00Z?limit=%EF%BC%91%EF%BC%90|limit|Invalid limit value (must be 1-200)",
        "/api/v1/insiders/ROOT/behavior?limit=%EF%BC%91%EF%BC%90|limit|Invalid limit value (must be 1-200)",
        "/api/v1/insiders/ROOT/behavior?lastId=%EF%BC%93&lastValue=2025-06-01T00:00:00Z|lastId|Invalid lastId or lastValue for pagination",
        "/api/v1/insiders/ROOT/network?degree=%EF%BC%92|degree|Invalid degree parameter (must be 1, 2, or 3)",
        "/api/v1/insiders/ROOT/network?degree=1&activitiesLimit=%EF%BC%95|activitiesLimit|Invalid activitiesLimit value (must be 1-200)",
        "/api/v1/insiders/%EF%BC%90%EF%BC%90000000-0000-4000-8000-000000000001|insider_id|Invalid UUID format for insider_id"})
    void shouldAnswer400NamingParameterWhenNumberIsNotAsciiDigits(final String path, final String field,
                                                                 final String details) {
        assertBadRequest(api.client.get(path.replace("ROOT", ROOT)), field, details);
    }

    @Test
    void shouldStillAcceptTheEdgesOfTheSupportedRange() {
        assertThat(api.client.get("/api/v1/insiders/" + ROOT + "/behavior?since=1970-01-01T00:00:00Z").status())
            .isEqualTo(200);
        assertThat(api.client.get("/api/v1/insiders/" + ROOT + "/behavior?since=9999-12-31T23:59:59.999Z").status())
            .isEqualTo(200);
        assertThat(api.client.get("/api/v1/networks/updates/since/9999-12-31T23:59:59.999Z").status())
            .isEqualTo(200);
        assertThat(api.client.get("/api/v1/networks/dump?limit=0010").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET|/internal/v1/dump||sortBy",
        "GET|/internal/v1/dump?sortBy=joined_date&sortOrder=sideways||sortOrder",
        "GET|/internal/v1/dump?sortBy=joined_date&lastId=1||lastValue",
        "GET|/internal/v1/dump?sortBy=joined_date&lastId=1&lastValue=abc||lastValue",
        "GET|/internal/v1/dump?sortBy=joined_date&lastValue=5||lastId",
        "GET|/internal/v1/dump?sortBy=joined_date&limit=%EF%BC%91||limit",
        "GET|/internal/v1/updates||since",
        "GET|/internal/v1/updates?since=x||since",
        "GET|/internal/v1/updates?since=-99999999999999999999||since",
        "GET|/internal/v1/updates?since=0&at=1||id",
        "GET|/internal/v1/updates?since=0&at=1&id=x||offset",
        "GET|/internal/v1/updates?since=0&id=x&offset=1||at",
        "GET|/internal/v1/updates?since=0&backward=maybe||backward",
        "POST|/internal/v1/edges|not json|ids",
        "POST|/internal/v1/edges||ids",
        "POST|/internal/v1/edges|{\"ids\":[null]}|ids[0]",
        "POST|/internal/v1/edges|{\"ids\":[\"00000000-0000-4000-8000-000000000001\",\"@x\"]}|ids[1]",
        "POST|/internal/v1/purchases|{\"ids\":\"x\"}|ids",
        "POST|/internal/v1/purchases|{\"ids\":[]} {\"ids\":[]}|ids",
        "POST|/internal/v1/purchases|{\"ids\":[],\"ids\":[]}|ids",
        "POST|/internal/v1/insider-facts|{\"ids\":[\"abc\"]}|ids[0]",
        "POST|/internal/v1/insider-facts|[1,2]|ids"})
    void shouldAnswer400EnvelopeWhenPeerCallIsMalformed(final String method, final String path, final String body,
                                                       final String field) throws Exception {
        final HttpResponse<String> response = peerCall(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        final JsonNode json = JSON.readTree(response.body());
        assertThat(json.at("/success").asBoolean(true)).isFalse();
        assertThat(json.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(json.at("/error/validation_errors/0/field").asText()).isEqualTo(field);
    }

    @Test
    void shouldTreatRepeatedNetworkAsOneWhenPeerScopeRepeatsIt() throws Exception {
        // found by ParamsFuzzTest: a repeated network in the peer scope answered 500
        final HttpResponse<String> response = peerCall("GET",
            "/internal/v1/dump?sortBy=joined_date&networks=brand-a,brand-a", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(ROOT).doesNotContain(id(6));
    }

    @Test
    void shouldAnswerFactsOfHostedInsidersWhenPeerAsks() throws Exception {
        final HttpResponse<String> response = peerCall("POST", "/internal/v1/insider-facts",
            "{\"ids\":[\"" + id(6) + "\",\"" + id(404) + "\"]}");
        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode json = JSON.readTree(response.body());
        assertThat(json.at("/facts/" + id(6) + "/networkId").asText()).isEqualTo("brand-b");
        assertThat(json.at("/facts/" + id(6) + "/signupStatus").asText()).isEqualTo("SIGNED_UP");
        assertThat(json.at("/facts/" + id(6) + "/conversionRate").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/facts/" + id(6) + "/totalGeneratedAmount").decimalValue()).isEqualByComparingTo("50");
        assertThat(json.at("/facts").has(id(404))).isFalse();
        assertThat(json.at("/notHosted")).isEmpty();
    }

    private HttpResponse<String> peerCall(final String method, final String path, final String body)
        throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.server.port() + path))
            .header(PeerAuth.HEADER, new PeerAuth(Fixtures.SECRET).token());
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        } else {
            request.GET();
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertBadRequest(final Answer a, final String field, final String details) {
        assertThat(a.status()).as(a.raw()).isEqualTo(400);
        assertThat(a.at("/success").asBoolean()).isFalse();
        assertThat(a.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(a.at("/error/details").asText()).isEqualTo(details);
        assertThat(a.at("/error/validation_errors/0/field").asText()).isEqualTo(field);
    }
}
