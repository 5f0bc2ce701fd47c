package io.insidernetwork.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.publish.TopicReader;
import io.insidernetwork.ingest.testing.SignedPoster;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replayed {@code webhook-id} answers the same before and after a restart, and on a second instance: the accepted
 * ids are kept in Kafka (ingest.webhook-deliveries.v1) and read back at start-up; the event is stored once.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(KafkaBrokerExtension.class)
class WebhookReplayAcrossRestartIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final ObjectMapper json = new ObjectMapper();

    private static IngestConfig config(final KafkaBroker broker, final String prefix) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, SECRET);
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "test-export-hook-token");
        return new IngestConfig(settings);
    }

    private static SignedPoster poster(final IngestService service) {
        return new SignedPoster(SECRET, URI.create("http://127.0.0.1:" + service.port() + "/webhooks/v1/events"));
    }

    @Test
    void shouldAnswerAReplayedDeliveryTheSameWhenIngestRestartedOrAnotherInstanceReceivesIt(final KafkaBroker broker)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("replay") + ".";
        final String body = SignedPoster.share("evt-restart-1");
        final String replayBefore;
        try (IngestService first = IngestService.start(config(broker, prefix))) {
            final HttpResponse<String> accepted = poster(first).post("msg-restart-1", body);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            final HttpResponse<String> replay = poster(first).post("msg-restart-1", body);
            assertThat(replay.statusCode()).isEqualTo(200);
            replayBefore = replay.body();
            assertThat(json.readTree(replayBefore).path("data").path("duplicate").asBoolean()).isTrue();
        }

        try (IngestService restarted = IngestService.start(config(broker, prefix));
             IngestService second = IngestService.start(config(broker, prefix))) {
            for (final IngestService service : List.of(restarted, second)) {
                final HttpResponse<String> replay = poster(service).post("msg-restart-1", body);
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
                assertThat(json.readTree(replay.body())).isEqualTo(json.readTree(replayBefore));
            }
            // a new delivery is still new on each
            assertThat(poster(second).post("msg-restart-2", SignedPoster.share("evt-restart-2")).statusCode())
                .isEqualTo(202);
        }

        final Topics topics = Topics.create(prefix, Topics.DEFAULT_PARTITIONS, Duration.ofDays(30));
        final Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        final List<String> stored = new ArrayList<>();
        TopicReader.read(kafka, topics.partnerEvents(), Long.MAX_VALUE, Duration.ofSeconds(30),
            (key, event) -> stored.add(event.getEventId()));
        assertThat(stored).containsExactlyInAnyOrder("evt-restart-1", "evt-restart-2");
        final List<String> kept = new ArrayList<>();
        TopicReader.read(kafka, topics.webhookDeliveries(), Long.MAX_VALUE, Duration.ofSeconds(30),
            (key, delivery) -> kept.add(key + "=" + delivery.getRecords()));
        assertThat(kept).containsExactlyInAnyOrder("events|msg-restart-1=1", "events|msg-restart-2=1");
    }
}
