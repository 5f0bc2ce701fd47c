package io.insidernetwork.ingest.insightiq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.publish.DeadLetters;
import io.insidernetwork.ingest.testing.FakeInsightIq;
import io.insidernetwork.ingest.testing.TestSettings;
import io.insidernetwork.ingest.testing.TopicReader;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The poller against the fake InsightIQ and the real broker. */
@Tag("integration")
@Timeout(120)
@ExtendWith(KafkaBrokerExtension.class)
class InsightIqPollerIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldPublishEveryObjectWithRequestIdWhenAWalkCompletes(final KafkaBroker broker) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("poller-walk") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(1));
        try (FakeInsightIq fake = new FakeInsightIq(new FakeInsightIq.Dataset(2, 2, 25, 2, 12, 10))) {
            final String badContent = fake.corruptContent(3);
            fake.enqueue("/v1/social/contents", FakeInsightIq.Fault.tooManyRequests("1"));
            fake.enqueue("/v1/profiles", FakeInsightIq.Fault.status(503));
            final Map<String, Object> settings = TestSettings.poller(broker.bootstrapServers(), prefix, fake);
            settings.put(IngestConfig.INSIGHTIQ_POLL_INTERVAL_MS_CONFIG, 1_000L);
            try (IngestService service = IngestService.start(new IngestConfig(settings))) {
                final Map<ObjectKind, TopicReader> readers = new EnumMap<>(ObjectKind.class);
                for (final ObjectKind kind : ObjectKind.values()) {
                    readers.put(kind, new TopicReader(broker.bootstrapServers(), kind.topic(topics)));
                }
                try (TopicReader deadLetters = new TopicReader(broker.bootstrapServers(), topics.ingestDeadLetters())) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        for (final ObjectKind kind : ObjectKind.values()) {
                            final Set<String> expected = new java.util.HashSet<>(fake.ids(kind.label()));
                            if (kind == ObjectKind.CONTENTS) {
                                expected.remove(badContent);
                            }
                            assertThat(keys(readers.get(kind).poll())).as(kind.label()).containsAll(expected);
                        }
                    });
                    final ConsumerRecord<byte[], byte[]> content = readers.get(ObjectKind.CONTENTS).poll().get(0);
                    assertThat(header(content, "request-id")).isNotBlank();
                    assertThat(keys(readers.get(ObjectKind.CONTENTS).poll())).doesNotContain(badContent);

                    final ConsumerRecord<byte[], byte[]> dead = await().atMost(Duration.ofSeconds(10))
                        .until(() -> deadLetters.poll().stream().findFirst().orElse(null), r -> r != null);
                    assertThat(header(dead, DeadLetters.REASON)).contains("engagement.like_count");
                    assertThat(header(dead, DeadLetters.SOURCE)).isEqualTo("insightiq-poller");
                    assertThat(header(dead, DeadLetters.ORIGIN)).contains("/v1/social/contents").contains("request-id");
                    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(badContent);
                } finally {
                    readers.values().forEach(TopicReader::close);
                }

                // windows: the first walk reaches back the initial lookback, later ones the overlap
                final LocalDate today = LocalDate.now(ZoneOffset.UTC);
                final String account = fake.accountId(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> contentsRequests(fake, account).stream()
                    .anyMatch(r -> r.query().get("from_date").equals(today.minusDays(3).toString())));
                final List<FakeInsightIq.Request> windows = contentsRequests(fake, account);
                assertThat(windows.get(0).query()).containsEntry("from_date", today.minusDays(90).toString())
                    .containsEntry("to_date", today.toString());

                final String metrics = get(service.port(), "/metrics").body();
                assertThat(metrics).contains("ingest_dead_letters_total{reason=\"invalid-field\",service=\"ingest\","
                    + "source=\"insightiq-poller\"}")
                    .contains("ingest_insightiq_requests_total{outcome=\"retry\"");
                assertThat(get(service.port(), "/health/ready").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldTurnReadinessDownWithReasonWhenCredentialIsRejected(final KafkaBroker broker) throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("poller-401") + ".";
        try (FakeInsightIq fake = new FakeInsightIq(new FakeInsightIq.Dataset(1, 1, 1, 0, 0, 1))) {
            fake.rejectAll(true);
            try (IngestService service = IngestService.start(new IngestConfig(
                TestSettings.poller(broker.bootstrapServers(), prefix, fake)))) {
                final HttpResponse<String> ready = await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(service.port(), "/health/ready"), r -> r.statusCode() == 503);
                final JsonNode check = json.readTree(ready.body()).path("checks").path("insightiq");
                assertThat(check.path("status").asText()).isEqualTo("DOWN");
                assertThat(check.path("reason").asText()).contains("401").doesNotContain(FakeInsightIq.PASSWORD);
                // stopped: no further request after the rejected one
                assertThat(fake.requests()).hasSize(1);
            }
        }
    }

    private static List<FakeInsightIq.Request> contentsRequests(final FakeInsightIq fake, final String account) {
        return fake.requests().stream().filter(r -> r.path().equals("/v1/social/contents"))
            .filter(r -> account.equals(r.query().get("account_id"))).toList();
    }

    private HttpResponse<String> get(final int port, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> keys(final List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }

    private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
        final var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
