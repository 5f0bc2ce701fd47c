package io.insidernetwork.api.http;

import static io.insidernetwork.api.Fixtures.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.api.ContractClient.Answer;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.SseClient;
import io.insidernetwork.api.SseClient.Event;
import io.insidernetwork.api.auth.TokenCodec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed over HTTP on the test server (stores of the real topology, one instance): the same entries and
 * shape as updates-since, in its order, per key scope; resuming from an event id continues exactly after it; bad
 * starts and too many streams answer the error envelope before any stream starts.
 */
class StreamHttpTest {

    private static final String PATH = "/api/v1/networks/updates/stream";
    private static final Instant SINCE = ApiHarness.NOW.minus(Duration.ofHours(1));
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, String> ALL = Map.of("X-API-Key", Fixtures.KEY);
    private static final Map<String, String> BRAND = Map.of("Authorization", "Bearer " + Fixtures.BRAND_KEY);
    private static final int ENTRIES = 8;

    @TempDir
    Path stateDir;
    private ApiHarness api;
    private final List<SseClient> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        api = new ApiHarness(stateDir);
        for (int n = 1; n <= ENTRIES + 1; n++) {
            api.insider(Fixtures.insider(id(n), network(n), n, SINCE.minus(Duration.ofDays(1))));
        }
        // the piped stores are complete before any stream reads them (the test driver is not thread-safe)
        for (int n = 1; n <= ENTRIES; n++) {
            api.update(Fixtures.update(id(n), network(n), SINCE.plusSeconds(60L * n), id(n + 1)));
        }
    }

    @AfterEach
    void tearDown() {
        opened.forEach(SseClient::close);
        api.close();
    }

    private static String network(final int n) {
        return n % 2 == 0 ? "brand-b" : "brand-a";
    }

    private SseClient open(final String query, final Map<String, String> headers) {
        final SseClient client = SseClient.open(api.server.port(), PATH + query, headers);
        opened.add(client);
        return client;
    }

    private static String since(final Instant at) {
        return "?since=" + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8);
    }

    private List<JsonNode> updatesSince(final Map<String, String> headers) {
        final Answer page = api.client.get("/api/v1/networks/updates/since/" + SINCE + "?limit=200", headers);
        assertThat(page.status()).isEqualTo(200);
        final List<JsonNode> out = new ArrayList<>();
        page.at("/data/updates").forEach(out::add);
        return out;
    }

    private static List<JsonNode> data(final List<Event> events) {
        return events.stream().map(Event::json).toList();
    }

    @Test
    void shouldStreamWhatUpdatesSinceListsAndResumeExactlyAfterTheLastEventId() throws Exception {
        final List<JsonNode> expected = updatesSince(ALL);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(ENTRIES);
        final SseClient first = open(since(SINCE), ALL);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/event-stream");
        final List<Event> all = first.updates(expected.size(), WAIT);
        assertThat(data(all)).containsExactlyElementsOf(expected);
        assertThat(all).allSatisfy(e -> assertThat(e.id()).isNotBlank());
        // nothing more: the next thing on the stream is a heartbeat
        assertThat(first.next(WAIT).type()).isEqualTo("comment");
        first.close();

        final int k = 3;
        final SseClient resumed = open("", Map.of("X-API-Key", Fixtures.KEY, "Last-Event-ID", all.get(k - 1).id()));
        final List<Event> rest = resumed.updates(expected.size() - k, WAIT);
        assertThat(data(rest)).containsExactlyElementsOf(expected.subList(k, expected.size()));
        assertThat(rest.stream().map(Event::id)).containsExactlyElementsOf(
            all.subList(k, all.size()).stream().map(Event::id).toList());
        assertThat(resumed.next(WAIT)).extracting(Event::type).isEqualTo("comment");

        // ?cursor= does the same; Last-Event-ID wins over it
        final SseClient byQuery = open("?cursor=" + all.get(k).id(), ALL);
        assertThat(data(byQuery.updates(expected.size() - k - 1, WAIT)))
            .containsExactlyElementsOf(expected.subList(k + 1, expected.size()));
        final SseClient both = open("?cursor=" + all.get(0).id(),
            Map.of("X-API-Key", Fixtures.KEY, "Last-Event-ID", all.get(expected.size() - 2).id()));
        assertThat(data(both.updates(1, WAIT))).containsExactly(expected.get(expected.size() - 1));
        assertThat(both.next(WAIT).type()).isEqualTo("comment");
    }

    @Test
    void shouldCatchUpThroughMoreEntriesThanItsBufferHoldsWithoutDroppingTheStream() throws Exception {
        // 600 more entries: several pages of 200, and more bytes than the test server's 64 KiB stream buffer
        final int more = 600;
        for (int i = 0; i < more; i++) {
            api.update(Fixtures.update(id(1000 + i), "brand-a", SINCE.plusSeconds(600L + i), id(1)));
        }
        final SseClient stream = open(since(SINCE), ALL);
        final List<Event> got = stream.updates(ENTRIES + more, WAIT);
        final List<String> expected = new ArrayList<>();
        for (int n = 1; n <= ENTRIES; n++) {
            expected.add(id(n));
        }
        for (int i = 0; i < more; i++) {
            expected.add(id(1000 + i));
        }
        assertThat(got.stream().map(e -> e.json().path("insider_id").asText())).containsExactlyElementsOf(expected);
        assertThat(got.stream().mapToInt(e -> e.data().length()).sum()).isGreaterThan(64 << 10);
        assertThat(stream.next(WAIT).type()).isEqualTo("comment");
    }

    @Test
    void shouldShowAScopedKeyOnlyItsNetworksEntriesAsUpdatesSinceDoes() throws Exception {
        final List<JsonNode> expected = updatesSince(BRAND);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(ENTRIES / 2);
        final SseClient scoped = open(since(SINCE), BRAND);
        final List<Event> got = scoped.updates(expected.size(), WAIT);
        assertThat(data(got)).containsExactlyElementsOf(expected);
        // brand-a insiders only, and their connections to brand-b insiders are not listed
        assertThat(data(got)).allSatisfy(d -> {
            final int n = Integer.parseInt(d.path("insider_id").asText().substring(30)) ;
            assertThat(network(n)).isEqualTo("brand-a");
            assertThat(d.path("connections")).isEmpty();
        });
        assertThat(scoped.next(WAIT).type()).isEqualTo("comment");
    }

    @Test
    void shouldStartWithNewEntriesOnlyWithoutACursorOrSince() throws Exception {
        final SseClient live = open("", ALL);
        assertThat(live.status()).isEqualTo(200);
        // the piped entries are older than now: two heartbeats and no update
        assertThat(live.next(WAIT).type()).isEqualTo("comment");
        assertThat(live.next(WAIT).type()).isEqualTo("comment");
    }

    @Test
    void shouldAnswerABadStartWithTheEnvelopeNamingTheField() {
        assertBad(api.client.get(PATH + "?cursor=not-a-cursor", ALL), 400, "cursor");
        assertBad(api.client.get(PATH, Map.of("X-API-Key", Fixtures.KEY, "Last-Event-ID", "garbage.x")), 400,
            "cursor");
        // a cursor of updates-since is no live-feed cursor, and a forged one is refused
        final TokenCodec codec = new TokenCodec(Fixtures.SECRET, ApiServer.json());
        final var foreign = codec.payload();
        foreign.put("since", SINCE.toString());
        foreign.put("at", 1L);
        foreign.put("id", id(1));
        foreign.put("off", 0L);
        foreign.put("dir", "next");
        assertBad(api.client.get(PATH + "?cursor=" + codec.encode(foreign), ALL), 400, "cursor");
        final TokenCodec forger = new TokenCodec("another-secret-of-at-least-32-characters!", ApiServer.json());
        final var forged = forger.payload();
        forged.put("k", "stream");
        forged.put("since", 0L);
        assertBad(api.client.get(PATH + "?cursor=" + forger.encode(forged), ALL), 400, "cursor");
        // a valid cursor from before the feed's retention
        final var old = codec.payload();
        old.put("k", "stream");
        old.put("since", ApiHarness.NOW.minus(ApiHarness.RETENTION).minusSeconds(1).toEpochMilli());
        assertBad(api.client.get(PATH + "?cursor=" + codec.encode(old), ALL), 422, "cursor");
        assertBad(api.client.get(PATH + "?since=yesterday", ALL), 400, "since");
        assertBad(api.client.get(PATH + since(ApiHarness.NOW.minus(ApiHarness.RETENTION).minusSeconds(1)), ALL),
            422, "since");
        // the key goes in a header, never in the query string
        assertThat(api.client.get(PATH, Map.of()).status()).isEqualTo(401);
        assertThat(api.client.get(PATH + "?api_key=" + Fixtures.KEY, Map.of()).status()).isEqualTo(401);
        assertThat(api.client.get(PATH + "?X-API-Key=" + Fixtures.KEY, Map.of()).status()).isEqualTo(401);
    }

    private static void assertBad(final Answer answer, final int status, final String field) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.at("/success").asBoolean()).isFalse();
        assertThat(answer.at("/error/validation_errors/0/field").asText()).isEqualTo(field);
    }

    @Test
    void shouldCapOpenStreamsPerKeyAndPerInstance() throws Exception {
        final List<SseClient> ofAll = new ArrayList<>();
        for (int i = 0; i < ApiHarness.STREAMS.maxPerKey(); i++) {
            ofAll.add(open("", ALL));
            assertThat(ofAll.get(i).status()).isEqualTo(200);
        }
        final Answer refused = api.client.get(PATH, ALL);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.at("/error/code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(refused.retryAfter()).isEqualTo(refused.at("/error/retry_after").asText());
        // other keys have their own streams, up to the instance's cap
        for (int i = 0; i < ApiHarness.STREAMS.maxStreams() - ApiHarness.STREAMS.maxPerKey(); i++) {
            assertThat(open("", BRAND).status()).isEqualTo(200);
        }
        assertThat(api.client.get(PATH, Map.of("X-API-Key", Fixtures.BRAND_B_KEY)).status()).isEqualTo(429);
        // a stream the client closed is released (found out by the next heartbeat's write)
        ofAll.get(0).close();
        await().atMost(WAIT).until(() -> {
            final SseClient again = SseClient.open(api.server.port(), PATH, ALL);
            opened.add(again);
            return again.status() == 200;
        });
    }

    @Test
    void shouldCountOpeningAStreamAsARequestOfTheKeysRateLimit() {
        // the slow key may send one request per second: a stream and a read right after it are two
        final SseClient stream = open("", Map.of("X-API-Key", Fixtures.SLOW_KEY));
        final Answer next = api.client.get("/api/v1/insiders/" + id(1), Map.of("X-API-Key", Fixtures.SLOW_KEY));
        assertThat(List.of(stream.status(), next.status())).contains(429);
    }
}
