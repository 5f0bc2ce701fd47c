package io.insidernetwork.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.testing.FakeInsightIq;
import io.insidernetwork.ingest.testing.TestSettings;
import io.insidernetwork.ingest.testing.TopicReader;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqWebhookNotification;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** InsightIQ notifications: authentication, dedupe, raw publication, disconnects and the fetches they trigger. */
@Tag("integration")
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class InsightIqWebhookIT {

    private static final String SECRET = "insightiq-shared-secret-1";
    private static final String NEXT_SECRET = "insightiq-shared-secret-2";
    private static final String HEADER = "X-InsightIQ-Signature";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private FakeInsightIq fake;
    private IngestService service;
    private Topics topics;
    private String bootstrap;
    private URI hook;

    @BeforeAll
    void start(final KafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
        final String prefix = KafkaBrokerExtension.uniqueName("insightiq-hook") + ".";
        topics = Topics.create(prefix, 3, Duration.ofDays(1));
        fake = new FakeInsightIq(new FakeInsightIq.Dataset(1, 2, 150, 3, 2, 5));
        final Map<String, Object> settings = TestSettings.base(bootstrap, prefix);
        settings.put(IngestConfig.INSIGHTIQ_BASE_URL_CONFIG, fake.baseUrl());
        settings.put(IngestConfig.INSIGHTIQ_CLIENT_ID_CONFIG, FakeInsightIq.USER);
        settings.put(IngestConfig.INSIGHTIQ_CLIENT_SECRET_CONFIG, FakeInsightIq.PASSWORD);
        settings.put(IngestConfig.INSIGHTIQ_WEBHOOK_SECRETS_CONFIG, SECRET + "," + NEXT_SECRET);
        settings.put(IngestConfig.INSIGHTIQ_REQUESTS_PER_SECOND_CONFIG, 500);
        settings.put(IngestConfig.WEBHOOK_MAX_BODY_BYTES_CONFIG, 32 * 1024);
        settings.put(IngestConfig.INSIGHTIQ_FETCHER_GROUP_CONFIG, prefix + "fetcher");
        service = IngestService.start(new IngestConfig(settings));
        hook = URI.create("http://127.0.0.1:" + service.port() + "/webhooks/v1/insightiq");
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private HttpResponse<String> post(final String body, final String signature) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(hook)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(HEADER, signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signed(final String body, final String secret) throws Exception {
        return post(body, SharedSecretVerifier.sign(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldFetchContentsInBulkWhenContentsAreAdded() throws Exception {
        final List<String> ids = fake.contentIds().subList(0, 150);
        final String body = json.writeValueAsString(Map.of("id", "delivery-contents", "event", "CONTENTS.ADDED",
            "data", Map.of("account_id", fake.accountId(0), "items", ids)));
        assertThat(signed(body, NEXT_SECRET).statusCode()).isEqualTo(202);
        try (TopicReader contents = new TopicReader(bootstrap, topics.contents())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(contents.poll().stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet()))
                .containsAll(ids));
        }
        final List<FakeInsightIq.Request> searches = fake.requests().stream()
            .filter(r -> r.path().equals("/v1/social/contents/search")).toList();
        assertThat(searches).hasSize(2);
        assertThat(searches).extracting(r -> json.readTree(r.body()).path("ids").size())
            .containsExactlyInAnyOrder(100, 50);
    }

    @Test
    void shouldPublishDisconnectAndRawNotificationOnceWhenAccountIsDisconnected() throws Exception {
        final String account = fake.accountId(1);
        final String body = "{\"event\":\"ACCOUNTS.DISCONNECTED\",\"data\":{\"account_id\":\"" + account
            + "\",\"user_id\":\"u-1\",\"work_platform_id\":\"wp-1\",\"timestamp\":\"2025-02-03T14:17:00\"}}";
        assertThat(signed(body, SECRET).statusCode()).isEqualTo(202);
        final HttpResponse<String> replay = signed(body, SECRET);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).path("data").path("duplicate").asBoolean()).isTrue();
        try (TopicReader disconnects = new TopicReader(bootstrap, topics.accountDisconnects());
             TopicReader raw = new TopicReader(bootstrap, topics.insightIqWebhooks())) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                final List<InsightIqAccountDisconnected> records = disconnects.values();
                assertThat(records).hasSize(1);
                assertThat(records.get(0).getAccountId()).isEqualTo(account);
                assertThat(records.get(0).getWorkPlatformId()).isEqualTo("wp-1");
                assertThat(records.get(0).getDisconnectedAt()).isEqualTo("2025-02-03T14:17:00Z");
                final List<InsightIqWebhookNotification> notes = raw.<InsightIqWebhookNotification>values().stream()
                    .filter(n -> n.getEvent().equals("ACCOUNTS.DISCONNECTED")).toList();
                assertThat(notes).hasSize(1);
                assertThat(notes.get(0).getPayloadJson()).isEqualTo(body);
                assertThat(records.get(0).getSourceEventId()).isEqualTo(notes.get(0).getDeliveryId());
            });
        }
    }

    @Test
    void shouldFetchJobResultWhenAsyncJobSucceeds() throws Exception {
        final String body = "{\"event\":\"CONTENTS_FETCH.SUCCESS\",\"data\":{\"id\":\"job-42\"}}";
        assertThat(signed(body, SECRET).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.requests().stream()
            .anyMatch(r -> r.path().equals("/v1/social/creators/async/contents/fetch/job-42")));
    }

    @Test
    void shouldFetchCommentsAndProfilesWhenTheyChange() throws Exception {
        final String account = fake.accountId(0);
        final String content = fake.contentIds().get(0);
        assertThat(signed("{\"event\":\"CONTENTS_COMMENTS.ADDED\",\"data\":{\"account_id\":\"" + account
            + "\",\"content_ids\":[\"" + content + "\"]}}", SECRET).statusCode()).isEqualTo(202);
        assertThat(signed("{\"event\":\"PROFILES.UPDATED\",\"data\":{\"account_id\":\"" + account + "\"}}", SECRET)
            .statusCode()).isEqualTo(202);
        try (TopicReader comments = new TopicReader(bootstrap, topics.comments());
             TopicReader profiles = new TopicReader(bootstrap, topics.profiles())) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(comments.poll()).hasSize(3);
                assertThat(profiles.poll()).hasSize(1);
            });
        }
    }

    @Test
    void shouldRejectWhenSignatureIsMissingWrongOrTampered() throws Exception {
        final String body = "{\"event\":\"PROFILES.UPDATED\",\"data\":{\"account_id\":\"a\"}}";
        assertThat(post(body, null).statusCode()).isEqualTo(401);
        assertThat(signed(body, "some-other-secret-xyz").statusCode()).isEqualTo(401);
        final String signature = SharedSecretVerifier.sign(SECRET, body.getBytes(StandardCharsets.UTF_8));
        assertThat(post(body.replace("\"a\"", "\"b\""), signature).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswer400Or413WhenBodyIsBad() throws Exception {
        final HttpResponse<String> malformed = signed("{\"event\":", SECRET);
        assertThat(malformed.statusCode()).isEqualTo(400);
        final HttpResponse<String> noEvent = signed("{\"data\":{}}", SECRET);
        assertThat(noEvent.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noEvent.body()).path("error").path("validation_errors").get(0).path("field")
            .asText()).isEqualTo("event");
        final String big = "{\"event\":\"X\",\"pad\":\"" + "x".repeat(40 * 1024) + "\"}";
        assertThat(signed(big, SECRET).statusCode()).isEqualTo(413);
    }

    private String field(final HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return json.readTree(response.body()).path("error").path("validation_errors").get(0).path("field").asText();
    }

    @Test
    void shouldCheckTheHmacOverRawBytesThenName400BodyWhenTheyAreNotUtf8() throws Exception {
        final byte[] invalid = "{\"event\":\"CONTENTS.ADDED\",\"id\":\"d-\u00ff\"}"
            .getBytes(StandardCharsets.ISO_8859_1);
        final HttpResponse<String> signedRaw = http.send(HttpRequest.newBuilder(hook)
            .header(HEADER, SharedSecretVerifier.sign(SECRET, invalid))
            .POST(HttpRequest.BodyPublishers.ofByteArray(invalid)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(field(signedRaw)).isEqualTo("body");
        final byte[] replaced = new String(invalid, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        final HttpResponse<String> signedReplaced = http.send(HttpRequest.newBuilder(hook)
            .header(HEADER, SharedSecretVerifier.sign(SECRET, replaced))
            .POST(HttpRequest.BodyPublishers.ofByteArray(invalid)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedReplaced.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldName400WhenJsonIsAmbiguousOrAnIdHoldsAControlCharacter() throws Exception {
        assertThat(field(signed("{\"event\":\"CONTENTS.ADDED\",\"event\":\"ACCOUNTS.DISCONNECTED\"}", SECRET)))
            .isEqualTo("body");
        assertThat(field(signed("{\"event\":\"CONTENTS.ADDED\"}{\"event\":\"X\"}", SECRET))).isEqualTo("body");
        assertThat(field(signed("{\"event\":\"CONTENTS.ADDED\"} trailing", SECRET))).isEqualTo("body");
        assertThat(field(signed("{\"event\":\"ACCOUNTS.DISCONNECTED\",\"data\":{\"account_id\":\"acc\\u0001x\"}}",
            SECRET))).isEqualTo("account_id");
        assertThat(field(signed("{\"event\":\"CONTENTS.ADDED\",\"data\":{\"items\":[\"c-1\",\"c\\ud800\"]}}",
            SECRET))).isEqualTo("data.items[1]");
    }

    @Test
    void shouldKeepEveryAcceptedNotificationOnTheRawTopic() throws Exception {
        final Set<String> sent = Set.of("CONTENT-GROUPS.ADDED", "PROFILES_AUDIENCE.UPDATED");
        for (final String event : sent) {
            assertThat(signed("{\"event\":\"" + event + "\",\"data\":{\"account_id\":\"" + fake.accountId(0)
                + "\",\"ids\":[]}}", SECRET).statusCode()).isEqualTo(202);
        }
        try (TopicReader raw = new TopicReader(bootstrap, topics.insightIqWebhooks());
             TopicReader audiences = new TopicReader(bootstrap, topics.audiences())) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(raw.<InsightIqWebhookNotification>values()).extracting(n -> n.getEvent().toString())
                    .containsAll(sent);
                assertThat(audiences.poll()).isNotEmpty();
            });
        }
    }
}
