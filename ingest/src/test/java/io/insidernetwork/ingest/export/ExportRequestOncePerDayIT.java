package io.insidernetwork.ingest.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.export.request.ExportScheduler;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One export request per partner per UTC day on the real broker: the day requested is kept in Kafka, so neither a
 * restarted ingest nor a second instance asks for it again.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(KafkaBrokerExtension.class)
class ExportRequestOncePerDayIT {

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Javalin api = Javalin.create(cfg -> cfg.showJavalinBanner = false)
        .post("/api/raw/v1/export", ctx -> {
            requests.add(json.readTree(ctx.body()));
            ctx.status(200).result("{\"success\": true}");
        }).start("127.0.0.1", 0);

    @AfterEach
    void stop() {
        api.stop();
    }

    private IngestConfig config(final KafkaBroker broker, final String prefix) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "hook-token-1");
        settings.put(ExportConfigDef.PARTNERS_CONFIG, "mybrand=123456789");
        settings.put(ExportConfigDef.TOKENS_CONFIG, "mybrand=s3cret");
        settings.put(ExportConfigDef.API_URL_CONFIG, "http://127.0.0.1:" + api.port());
        settings.put(ExportConfigDef.ALLOW_HTTP_CONFIG, true);
        settings.put(ExportConfigDef.HOOK_URL_CONFIG, "https://ingest.example.test/webhooks/v1/insider-export");
        settings.put(ExportConfigDef.REQUEST_ATTRIBUTES_CONFIG, "email,name");
        settings.put(ExportConfigDef.REQUEST_EVENTS_CONFIG,
            "[{\"event_name\":\"share\",\"params\":[\"instance_id\",\"timestamp\"]}]");
        // the day's slot is 00:00 UTC, already past: every start asks at once unless the day is known
        settings.put(ExportConfigDef.SCHEDULE_DELAY_MS_CONFIG, 0L);
        settings.put(ExportConfigDef.DOWNLOAD_ENABLED_CONFIG, false);
        return new IngestConfig(settings);
    }

    @Test
    void shouldNotRequestTheSameDayAgainWhenIngestRestartsOrASecondInstanceStarts(final KafkaBroker broker)
        throws Exception {
        final String prefix = KafkaBrokerExtension.uniqueName("export-once") + ".";
        final LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        try (IngestService first = IngestService.start(config(broker, prefix))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> state(first).equals("ACCEPTED"));
        }
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).path("events").path("start_date").asLong())
            .isEqualTo(yesterday.atStartOfDay(ZoneOffset.UTC).toEpochSecond());

        // restarted, and a second instance at the same time: both know the day is requested
        try (IngestService restarted = IngestService.start(config(broker, prefix));
             IngestService second = IngestService.start(config(broker, prefix))) {
            for (final IngestService service : List.of(restarted, second)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> message(service).startsWith("already requested"));
                assertThat(message(service)).isEqualTo("already requested for " + yesterday);
                assertThat(state(service)).isEqualTo("ACCEPTED");
            }
        }
        assertThat(requests).hasSize(1);
    }

    private String state(final IngestService service) {
        return String.valueOf(partner(service).state());
    }

    private String message(final IngestService service) {
        return String.valueOf(partner(service).message());
    }

    private ExportScheduler.PartnerStatus partner(final IngestService service) {
        final List<?> partners = (List<?>) service.export().health().get("partners");
        return (ExportScheduler.PartnerStatus) partners.get(0);
    }
}
