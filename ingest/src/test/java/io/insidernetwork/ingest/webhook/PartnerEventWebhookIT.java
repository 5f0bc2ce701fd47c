package io.insidernetwork.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.testing.SignedPoster;
import io.insidernetwork.ingest.testing.TopicReader;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The partner event webhook on a real broker: every kind of request a partner (or an attacker) can send, and at the
 * end the topic is read back to prove that every acknowledged event is there exactly once.
 */
@Tag("integration")
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(KafkaBrokerExtension.class)
class PartnerEventWebhookIT {

    private static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final String UNKNOWN_SECRET = "whsec_dW5rbm93bi1zZWNyZXQtMTIzNDU2Nzg=";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    /** event id → acknowledged; filled by every test that got a 202. */
    private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** event id → answered 4xx; none of them may be on the topic. */
    private final Set<String> rejected = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private IngestService service;
    private Topics topics;
    private String bootstrap;
    private URI events;

    @BeforeAll
    void start(final KafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
        final String prefix = KafkaBrokerExtension.uniqueName("partner-webhook") + ".";
        topics = Topics.create(prefix, 3, Duration.ofDays(1));
        service = IngestService.start(config(bootstrap, prefix, true, OLD_SECRET + "," + NEW_SECRET));
        events = URI.create("http://127.0.0.1:" + service.port() + "/webhooks/v1/events");
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static IngestConfig config(final String bootstrap, final String prefix, final boolean createTopics,
                                       final String secrets) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", bootstrap);
        settings.put("topics.prefix", prefix);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, secrets);
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "test-export-hook-token");
        settings.put(IngestConfig.WEBHOOK_MAX_BODY_BYTES_CONFIG, 64 * 1024);
        settings.put(IngestConfig.PRODUCE_TIMEOUT_MS_CONFIG, 1_500L);
        settings.put(IngestConfig.TOPICS_CREATE_CONFIG, createTopics);
        settings.put(IngestConfig.HEALTH_KAFKA_TIMEOUT_MS_CONFIG, 500L);
        return new IngestConfig(settings);
    }

    private HttpResponse<String> accept(final SignedPoster poster, final String id, final String body,
                                        final String... eventIds) throws Exception {
        final HttpResponse<String> response = poster.post(id, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        acknowledged.addAll(List.of(eventIds));
        return response;
    }

    @Test
    void shouldAcceptWhenSignedWithEitherSecretDuringRotation() throws Exception {
        accept(new SignedPoster(OLD_SECRET, events), "msg-old", SignedPoster.share("evt-old"), "evt-old");
        accept(new SignedPoster(NEW_SECRET, events), "msg-new", SignedPoster.share("evt-new"), "evt-new");
        final HttpResponse<String> unknown = new SignedPoster(UNKNOWN_SECRET, events)
            .post("msg-unknown", SignedPoster.share("evt-unknown"));
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRejectWhenBodyIsTamperedAfterSigning() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final HttpRequest signed = poster.request("msg-tampered", SignedPoster.share("evt-tampered"), Instant.now());
        final HttpRequest tampered = HttpRequest.newBuilder(events).headers(
                "webhook-id", "msg-tampered",
                "webhook-timestamp", signed.headers().firstValue("webhook-timestamp").orElseThrow(),
                "webhook-signature", signed.headers().firstValue("webhook-signature").orElseThrow())
            .POST(HttpRequest.BodyPublishers.ofString(SignedPoster.share("evt-tampered").replace("sku-1", "sku-2")))
            .build();
        final HttpResponse<String> response = http.send(tampered, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body()).path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void shouldRejectWhenSignatureHeadersAreMissing() throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(events)
            .POST(HttpRequest.BodyPublishers.ofString(SignedPoster.share("evt-unsigned"))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRejectWhenTimestampIsOutsideFiveMinutes() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final Instant now = Instant.now();
        assertThat(poster.post("msg-stale", SignedPoster.share("evt-stale"), now.minusSeconds(6 * 60)).statusCode())
            .isEqualTo(401);
        assertThat(poster.post("msg-future", SignedPoster.share("evt-future"), now.plusSeconds(6 * 60)).statusCode())
            .isEqualTo(401);
        final HttpResponse<String> inside = poster.post("msg-4min", SignedPoster.share("evt-4min"),
            now.minusSeconds(4 * 60));
        assertThat(inside.statusCode()).isEqualTo(202);
        acknowledged.add("evt-4min");
    }

    @Test
    void shouldAcknowledgeReplayWithoutSecondRecordWhenWebhookIdRepeats() throws Exception {
        final SignedPoster poster = new SignedPoster(NEW_SECRET, events);
        accept(poster, "msg-replayed", SignedPoster.share("evt-replayed"), "evt-replayed");
        final HttpResponse<String> replay = poster.post("msg-replayed", SignedPoster.share("evt-replayed"));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).path("data").path("duplicate").asBoolean()).isTrue();
        // the topic check at the end (shouldHoldEveryAcknowledgedEventOnce) proves there is no second record
    }

    @Test
    void shouldAnswer413WhenBodyIsOverTheLimit() throws Exception {
        final String big = SignedPoster.share("evt-big").replace("sku-1", "x".repeat(70 * 1024));
        final HttpResponse<String> response = new SignedPoster(OLD_SECRET, events).post("msg-big", big);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void shouldName400FieldWhenJsonIsMalformed() throws Exception {
        final HttpResponse<String> response = new SignedPoster(OLD_SECRET, events).post("msg-malformed", "{\"id\":");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(field(response)).isEqualTo("body");
    }

    @Test
    void shouldName400FieldWhenAFieldIsBad() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final String badUuid = SignedPoster.share("evt-bad").replace("a1b2c3d4-e5f6-7890-1234-567890abcdef", "nope");
        assertThat(field(poster.post("msg-bad-1", badUuid))).isEqualTo("data.sharer_id");
        final String batch = "{\"events\":[" + SignedPoster.share("evt-b-ok") + ","
            + SignedPoster.share("evt-b-bad").replace("\"share\"", "\"unknown\"") + "]}";
        final HttpResponse<String> response = poster.post("msg-bad-2", batch);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(field(response)).isEqualTo("events[1].type");
        // nothing of a rejected batch is stored: evt-b-ok must not be on the topic either
        final HttpResponse<String> again = poster.post("msg-bad-2", batch);
        assertThat(again.statusCode()).as("a rejected delivery is not remembered as accepted").isEqualTo(400);
    }

    private static String shareAt(final String eventId, final String timestamp) {
        return SignedPoster.share(eventId).replace("2025-02-03T14:17:00Z", timestamp);
    }

    @Test
    void shouldName400TimestampWhenOutsideTheAcceptedWindow() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final String[] outside = {"1969-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
            Instant.now().plus(Duration.ofMinutes(6)).toString(), "+10000-01-01T00:00:00Z"};
        for (int i = 0; i < outside.length; i++) {
            final String batch = "{\"events\":[" + SignedPoster.share("evt-window-ok-" + i) + ","
                + shareAt("evt-window-bad-" + i, outside[i]) + "]}";
            final HttpResponse<String> response = poster.post("msg-window-" + i, batch);
            assertThat(response.statusCode()).as(outside[i] + ": " + response.body()).isEqualTo(400);
            assertThat(field(response)).as(outside[i]).isEqualTo("events[1].timestamp");
            rejected.add("evt-window-ok-" + i);
            rejected.add("evt-window-bad-" + i);
        }
    }

    @Test
    void shouldStampRecordWithAcceptanceTimeAndKeepEventTimeInPayloadWhenEventIsOld() throws Exception {
        final long before = System.currentTimeMillis();
        accept(new SignedPoster(OLD_SECRET, events), "msg-old-2000", "[" + shareAt("evt-2000", "2000-01-01T00:00:00Z")
            + "," + shareAt("evt-epoch", "1970-01-01T00:00:00Z") + ","
            + shareAt("evt-skew", Instant.now().plus(Duration.ofMinutes(4)).toString()) + "]",
            "evt-2000", "evt-epoch", "evt-skew");
        final long after = System.currentTimeMillis();
        try (TopicReader reader = new TopicReader(bootstrap, topics.partnerEvents())) {
            final Map<String, Long> stamps = new HashMap<>();
            final Map<String, Instant> eventTimes = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (final var record : reader.poll()) {
                    final PartnerEvent event = topics.partnerEvents().valueSerde().deserializer()
                        .deserialize(topics.partnerEvents().name(), record.value());
                    stamps.put(event.getEventId(), record.timestamp());
                    eventTimes.put(event.getEventId(), event.getEventTime());
                }
                assertThat(stamps).containsKeys("evt-2000", "evt-epoch", "evt-skew");
            });
            for (final String id : List.of("evt-2000", "evt-epoch", "evt-skew")) {
                assertThat(stamps.get(id)).as(id).isBetween(before, after);
            }
            assertThat(eventTimes.get("evt-2000")).isEqualTo("2000-01-01T00:00:00Z");
            assertThat(eventTimes.get("evt-epoch")).isEqualTo(Instant.EPOCH);
        }
    }

    @Test
    void shouldName400BodyWhenJsonIsAmbiguous() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final String one = SignedPoster.share("evt-amb-1");
        final String two = SignedPoster.share("evt-amb-2");
        final Map<String, String> ambiguous = Map.of(
            "concatenated", one + two,
            "trailing", one + " x",
            "trailing-bracket", "[" + one + "]]",
            "events-twice", "{\"events\":[" + one + "],\"events\":[" + two + "]}",
            "type-twice", one.replace("\"type\":\"share\"", "\"type\":\"share\",\"type\":\"signup\""),
            "nested-twice", one.replace("\"platform\":\"instagram\"",
                "\"platform\":\"instagram\",\"platform\":\"tiktok\""));
        for (final Map.Entry<String, String> body : ambiguous.entrySet()) {
            final HttpResponse<String> response = poster.post("msg-amb-" + body.getKey(), body.getValue());
            assertThat(response.statusCode()).as(body.getKey() + ": " + response.body()).isEqualTo(400);
            assertThat(field(response)).as(body.getKey()).isEqualTo("body");
            assertThat(json.readTree(response.body()).path("success").asBoolean(true)).isFalse();
        }
        rejected.addAll(List.of("evt-amb-1", "evt-amb-2"));
    }

    @Test
    void shouldVerifyTheRawBytesAndName400BodyWhenTheyAreNotUtf8() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final byte[] accented = SignedPoster.share("evt-utf8").replace("sku-1", "sku-\u00e9-\ud83d\ude00")
            .getBytes(StandardCharsets.UTF_8);
        final HttpResponse<String> signedRaw = poster.postBytes(OLD_SECRET, "msg-utf8", accented);
        assertThat(signedRaw.statusCode()).as(signedRaw.body()).isEqualTo(202);
        acknowledged.add("evt-utf8");

        final byte[] invalid = SignedPoster.share("evt-bad-utf8").replace("sku-1", "sku-\u00ff")
            .getBytes(StandardCharsets.ISO_8859_1);
        final HttpResponse<String> notUtf8 = poster.postBytes(OLD_SECRET, "msg-bad-utf8", invalid);
        assertThat(field(notUtf8)).isEqualTo("body");
        assertThat(json.readTree(notUtf8.body()).path("error").path("details").asText()).contains("UTF-8");

        // Signed over the text a lenient decoder makes of it (U+FFFD for the bad byte): not what was sent.
        final String replaced = new String(invalid, StandardCharsets.UTF_8);
        final HttpRequest overReplaced = poster.request("msg-replaced", replaced, Instant.now());
        final HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(events)
            .headers("webhook-id", "msg-replaced",
                "webhook-timestamp", overReplaced.headers().firstValue("webhook-timestamp").orElseThrow(),
                "webhook-signature", overReplaced.headers().firstValue("webhook-signature").orElseThrow())
            .POST(HttpRequest.BodyPublishers.ofByteArray(invalid)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(401);
        rejected.add("evt-bad-utf8");
    }

    @Test
    void shouldName400FieldWhenTextHoldsAControlCharacterOrLoneSurrogate() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final Map<String, String> cases = Map.of(
            "\"instance_id\":\"sku\\u0001x\"", "events[3].data.instance_id",
            "\"instance_id\":\"a\\u00011234567890123456789\"", "events[3].data.instance_id",
            "\"instance_id\":\"sku\\ud800\"", "events[3].data.instance_id",
            "\"platform\":\"insta\\u0085gram\"", "events[3].data.platform",
            "\"recipients\":[\"@h\\u0000\"]", "events[3].data.recipients[0]");
        int n = 0;
        for (final Map.Entry<String, String> bad : cases.entrySet()) {
            n++;
            final String original = bad.getKey().startsWith("\"instance_id") ? "\"instance_id\":\"sku-1\""
                : bad.getKey().startsWith("\"platform") ? "\"platform\":\"instagram\""
                : "\"recipients\":[\"b1b2c3d4-e5f6-7890-1234-567890abcdef\"]";
            final String batch = "{\"events\":[" + SignedPoster.share("evt-cc-" + n + "-0") + ","
                + SignedPoster.share("evt-cc-" + n + "-1") + "," + SignedPoster.share("evt-cc-" + n + "-2") + ","
                + SignedPoster.share("evt-cc-" + n + "-3").replace(original, bad.getKey()) + "]}";
            final HttpResponse<String> response = poster.post("msg-cc-" + n, batch);
            assertThat(field(response)).as(bad.getKey()).isEqualTo(bad.getValue());
            for (int i = 0; i < 4; i++) {
                rejected.add("evt-cc-" + n + "-" + i);
            }
        }
    }

    @Test
    void shouldAcceptBatchWhenEveryEventIsValid() throws Exception {
        final List<String> ids = IntStream.range(0, 50).mapToObj(i -> "evt-batch-" + i).toList();
        final String batch = ids.stream().map(SignedPoster::share).collect(Collectors.joining(",", "[", "]"));
        final HttpResponse<String> response = accept(new SignedPoster(NEW_SECRET, events), "msg-batch", batch,
            ids.toArray(String[]::new));
        assertThat(json.readTree(response.body()).path("data").path("accepted").asInt()).isEqualTo(50);
    }

    @Test
    void shouldStoreEachEventOnceWhenDeliveriesRunConcurrently() throws Exception {
        final SignedPoster poster = new SignedPoster(OLD_SECRET, events);
        final List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(poster.postAsync("msg-conc-" + i, SignedPoster.share("evt-conc-" + i)));
            calls.add(poster.postAsync("msg-conc-" + i, SignedPoster.share("evt-conc-" + i)));
        }
        final Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            final int status = calls.get(i).join().statusCode();
            statuses.add(status);
            assertThat(status).isIn(200, 202, 409);
            if (status == 202) {
                acknowledged.add("evt-conc-" + (i / 2));
            }
        }
        // a 409 is retried by the sender; the retry is then a duplicate
        for (int i = 0; i < 40; i++) {
            final HttpResponse<String> retry = poster.post("msg-conc-" + i, SignedPoster.share("evt-conc-" + i));
            assertThat(retry.statusCode()).isIn(200, 202);
            if (retry.statusCode() == 202) {
                acknowledged.add("evt-conc-" + i);
            }
        }
        assertThat(statuses).contains(202);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaIsUnreachable() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (IngestService orphan = IngestService.start(config("127.0.0.1:" + closedPort,
            KafkaBrokerExtension.uniqueName("orphan") + ".", false, OLD_SECRET))) {
            final URI orphanEvents = URI.create("http://127.0.0.1:" + orphan.port() + "/webhooks/v1/events");
            final SignedPoster poster = new SignedPoster(OLD_SECRET, orphanEvents);
            final HttpResponse<String> response = poster.post("msg-orphan", SignedPoster.share("evt-orphan"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(json.readTree(response.body()).path("error").path("retry_after").asInt()).isEqualTo(5);

            final HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + orphan.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json.readTree(ready.body()).path("checks").path("kafka").path("status").asText())
                .isEqualTo("DOWN");
        }
    }

    @Test
    void shouldExposeHealthAndMetricsWhenRunning() throws Exception {
        accept(new SignedPoster(OLD_SECRET, events), "msg-metrics", SignedPoster.share("evt-metrics"), "evt-metrics");
        final String base = "http://127.0.0.1:" + service.port();
        assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
        final HttpResponse<String> ready = get(base + "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        final HttpResponse<String> metrics = get(base + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("ingest_webhook_requests_total{endpoint=\"partner-events\",outcome=\"accepted\"")
            .contains("ingest_webhook_acceptance_seconds{endpoint=\"partner-events\"")
            .contains("jvm_memory_used_bytes");
    }

    /** Runs last in practice (Awaitility waits for stragglers); compares the topic with every 2xx answered. */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void shouldHoldEveryAcknowledgedEventOnce() throws Exception {
        accept(new SignedPoster(NEW_SECRET, events), "msg-final", SignedPoster.share("evt-final"), "evt-final");
        try (TopicReader reader = new TopicReader(bootstrap, topics.partnerEvents())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                final List<String> stored = reader.<PartnerEvent>values().stream().map(PartnerEvent::getEventId)
                    .toList();
                assertThat(stored).containsAll(acknowledged);
                assertThat(stored).doesNotHaveDuplicates();
                assertThat(stored).doesNotContain("evt-b-ok", "evt-tampered", "evt-stale", "evt-future",
                    "evt-unknown", "evt-big");
                assertThat(stored).doesNotContainAnyElementsOf(rejected);
            });
        }
    }

    private HttpResponse<String> get(final String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String field(final HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        final JsonNode errors = json.readTree(response.body()).path("error").path("validation_errors");
        return errors.get(0).path("field").asText();
    }
}
