package io.insidernetwork.ingest.insightiq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.testing.FakeInsightIq;
import io.insidernetwork.ingest.testing.FakeInsightIq.Fault;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real client against a local fake InsightIQ built from the seed's sample responses. */
@Timeout(60)
class HttpInsightIqClientTest {

    private final FakeInsightIq fake = new FakeInsightIq(new FakeInsightIq.Dataset(3, 1, 25, 2, 1, 10));
    private final IngestMetrics metrics = new IngestMetrics();

    @AfterEach
    void close() {
        fake.close();
        metrics.close();
    }

    private HttpInsightIqClient client(final String password, final Duration timeout, final int attempts,
                                       final Duration budget) {
        return new HttpInsightIqClient(new HttpInsightIqClient.Settings(fake.baseUrl(), FakeInsightIq.USER, password,
            timeout, 1_000, attempts, Duration.ofMillis(50), Duration.ofSeconds(5), budget),
            HttpClient.newHttpClient(), new ObjectMapper(), Clock.systemUTC(), metrics);
    }

    private HttpInsightIqClient client() {
        return client(FakeInsightIq.PASSWORD, Duration.ofSeconds(5), 4, Duration.ofSeconds(30));
    }

    @Test
    void shouldWalkEveryPageUntilAShortPageWhenListing() {
        final HttpInsightIqClient client = client();
        final String account = fake.accountId(0);
        int total = 0;
        long offset = 0;
        while (true) {
            final Page page = client.list("/v1/social/contents", Map.of("account_id", account, "limit", "10",
                "offset", Long.toString(offset)));
            assertThat(page.requestId()).isNotBlank();
            total += page.items().size();
            if (page.items().size() < 10) {
                break;
            }
            offset += 10;
        }
        assertThat(total).isEqualTo(25);
        assertThat(fake.requests()).extracting(FakeInsightIq.Request::offset).containsExactly(0L, 10L, 20L);
    }

    @Test
    void shouldFilterByWindowWhenDatesAreGiven() {
        final java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        final Page page = client().list("/v1/social/contents", Map.of("account_id", fake.accountId(0), "limit", "100",
            "offset", "0", "from_date", today.minusDays(1).toString(), "to_date", today.toString()));
        // publish days cycle over 10 days: 25 contents, days 0 and 1 hold 3 + 3
        assertThat(page.items()).hasSize(6);
        assertThat(fake.requests().get(0).query()).containsEntry("from_date", today.minusDays(1).toString());
    }

    @Test
    void shouldWaitRetryAfterWhenRateLimited() {
        fake.enqueue("/v1/users", Fault.tooManyRequests("1"));
        final Page page = client().list("/v1/users", Map.of("limit", "100", "offset", "0"));
        assertThat(page.items()).hasSize(3);
        final List<FakeInsightIq.Request> requests = fake.requests();
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(
            Duration.ofMillis(950));
        assertThat(metrics.scrape()).contains("outcome=\"retry\"");
    }

    @Test
    void shouldRetryWhenServerFailsThenAnswers() {
        fake.enqueue("/v1/users", Fault.status(500));
        fake.enqueue("/v1/users", Fault.status(503));
        final Page page = client().list("/v1/users", Map.of("limit", "100", "offset", "0"));
        assertThat(page.items()).hasSize(3);
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void shouldGiveUpWhenRetriesAreExhausted() {
        for (int i = 0; i < 5; i++) {
            fake.enqueue("/v1/users", Fault.status(502));
        }
        assertThatThrownBy(() -> client().list("/v1/users", Map.of("limit", "100", "offset", "0")))
            .isInstanceOf(InsightIqException.class)
            .hasMessageContaining("502")
            .extracting(e -> ((InsightIqException) e).reasonCode()).isEqualTo("retries-exhausted");
        assertThat(fake.requests()).hasSize(4);
    }

    @Test
    void shouldRejectCredentialWithoutRetryingWhenUnauthorized() {
        assertThatThrownBy(() -> client("wrong-password", Duration.ofSeconds(5), 4, Duration.ofSeconds(30))
            .list("/v1/users", Map.of("limit", "10", "offset", "0")))
            .isInstanceOf(InsightIqException.CredentialRejected.class)
            .hasMessageContaining("401")
            .hasMessageNotContaining("wrong-password");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void shouldFailWithBodyKeptWhenJsonIsMalformed() {
        fake.enqueue("/v1/users", Fault.malformed());
        assertThatThrownBy(() -> client().list("/v1/users", Map.of("limit", "10", "offset", "0")))
            .isInstanceOfSatisfying(InsightIqException.Malformed.class, e -> {
                assertThat(e.body()).startsWith("{\"data\"");
                assertThat(e.getMessage()).contains("request-id");
            });
    }

    @Test
    void shouldRetryWhenResponseIsSlowerThanTheTimeout() {
        fake.enqueue("/v1/users", Fault.slow(1_500));
        final Page page = client(FakeInsightIq.PASSWORD, Duration.ofMillis(500), 4, Duration.ofSeconds(30))
            .list("/v1/users", Map.of("limit", "100", "offset", "0"));
        assertThat(page.items()).hasSize(3);
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void shouldPostIdsWhenSearching() {
        final List<String> ids = fake.contentIds().subList(0, 7);
        final Page page = client().search("/v1/social/contents/search", ids);
        assertThat(page.items()).extracting(n -> n.path("id").asText()).containsExactlyElementsOf(ids);
        assertThatThrownBy(() -> client().search("/v1/social/contents/search",
            java.util.Collections.nCopies(101, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReturnEmptyPageWhenObjectIsNotFound() {
        assertThat(client().get("/v1/accounts/unknown", Map.of()).items()).isEmpty();
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        assertThat(HttpInsightIqClient.parseRetryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(HttpInsightIqClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(HttpInsightIqClient.parseRetryAfter("soon")).isNull();
    }
}
