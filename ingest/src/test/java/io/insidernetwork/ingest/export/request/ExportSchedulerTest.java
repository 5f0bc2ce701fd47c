package io.insidernetwork.ingest.export.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.export.ExportMetrics;
import io.insidernetwork.ingest.export.ExportSettings;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler and the real client against a local fake of the export API. */
class ExportSchedulerTest {

    private static final Instant NOW = Instant.parse("2025-02-04T10:00:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentLinkedQueue<JsonNode> bodies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> partners = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private Javalin api;
    private ExportScheduler scheduler;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private void startApi(final int... statuses) {
        api = Javalin.create(cfg -> cfg.showJavalinBanner = false).post("/api/raw/v1/export", ctx -> {
            final int call = calls.getAndIncrement();
            bodies.add(json.readTree(ctx.body()));
            partners.add(ctx.header("X-PARTNER-NAME") + ":" + ctx.header("X-REQUEST-TOKEN"));
            final int status = statuses[Math.min(call, statuses.length - 1)];
            ctx.status(status).result(status == 429 ? "{\"error\": \"rejected: too many requests\"}" : "{}");
        }).start("127.0.0.1", 0);
    }

    private ExportScheduler scheduler(final Map<String, String> extra) {
        final Map<String, String> settings = new java.util.HashMap<>(Map.of(
            "kafka.bootstrap.servers", "127.0.0.1:1",
            "ingest.webhook.secrets", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ExportConfigDef.PARTNERS_CONFIG, "mybrand=123456789",
            ExportConfigDef.TOKENS_CONFIG, "mybrand=s3cret",
            ExportConfigDef.API_URL_CONFIG, "http://127.0.0.1:" + api.port(),
            ExportConfigDef.ALLOW_HTTP_CONFIG, "true",
            ExportConfigDef.HOOK_URL_CONFIG, "https://ingest.example.test/webhooks/v1/insider-export",
            ExportConfigDef.REQUEST_ATTRIBUTES_CONFIG, "email,name",
            ExportConfigDef.REQUEST_EVENTS_CONFIG, "[{\"event_name\":\"share\",\"params\":[\"instance_id\",\"timestamp\"]}]",
            ExportConfigDef.RETRY_INITIAL_MS_CONFIG, "10"));
        settings.put(ExportConfigDef.RETRY_MAX_BACKOFF_MS_CONFIG, "20");
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "test-export-hook-token");
        settings.putAll(extra);
        final ExportSettings export = new IngestConfig(settings).exportSettings();
        final InsiderExportClient client = new InsiderExportClient(HttpClient.newHttpClient(), export.apiUrl(),
            Duration.ofSeconds(5), new ExportRequestValidator(true), json);
        scheduler = new ExportScheduler(export, client, Clock.fixed(NOW, ZoneOffset.UTC),
            Executors.newSingleThreadScheduledExecutor(), new ExportMetrics(registry));
        return scheduler;
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (api != null) {
            api.stop();
        }
    }

    private ExportScheduler.PartnerStatus status() {
        return scheduler.statuses().get(0);
    }

    @Test
    void shouldRequestPreviousUtcDayAndScheduleTomorrowWhenAccepted() {
        startApi(200);
        scheduler(Map.of()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == ExportScheduler.State.ACCEPTED);
        assertThat(calls).hasValue(1);
        assertThat(partners).containsExactly("mybrand:s3cret");
        final JsonNode body = bodies.peek();
        assertThat(body.at("/segment/segment_id").asLong()).isEqualTo(123_456_789L);
        assertThat(body.at("/events/start_date").asLong()).isEqualTo(Instant.parse("2025-02-03T00:00:00Z")
            .getEpochSecond());
        assertThat(body.at("/events/end_date").asLong()).isEqualTo(Instant.parse("2025-02-03T23:59:59Z")
            .getEpochSecond());
        assertThat(body.get("format").asText()).isEqualTo("parquet");
        assertThat(body.get("attributes")).hasSize(2);
        assertThat(status().nextRun()).isEqualTo(Instant.parse("2025-02-05T00:15:00Z"));
        assertThat(registry.get("insider.export.requests").tag("outcome", "accepted").counter().count())
            .isEqualTo(1.0);
    }

    @Test
    void shouldRetryWithBackoffWhenServerFails() {
        startApi(500, 503, 200);
        scheduler(Map.of()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == ExportScheduler.State.ACCEPTED);
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldWaitForNextUtcDayWhenRateLimited() {
        startApi(429);
        scheduler(Map.of()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == ExportScheduler.State.RATE_LIMITED);
        assertThat(calls).hasValue(1);
        assertThat(status().nextRun()).isEqualTo(Instant.parse("2025-02-05T00:15:00Z"));
    }

    @Test
    void shouldReportConfigurationErrorWithoutRetryWhenAuthenticationFails() {
        startApi(403);
        scheduler(Map.of()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == ExportScheduler.State.CONFIG_ERROR);
        assertThat(calls).hasValue(1);
        assertThat(status().nextRun()).isNull();
        assertThat(status().message()).contains("403").doesNotContain("s3cret");
        assertThat(scheduler.healthy()).isFalse();
        assertThat(registry.get("insider.export.request.config.error").tag("partner", "mybrand").gauge().value())
            .isEqualTo(1.0);
    }

    @Test
    void shouldGiveUpUntilNextDayWhenRetryBudgetIsSpent() {
        startApi(500);
        scheduler(Map.of(ExportConfigDef.RETRY_MAX_DURATION_MS_CONFIG, "300")).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == ExportScheduler.State.FAILED);
        assertThat(calls.get()).isGreaterThan(1);
        assertThat(status().nextRun()).isEqualTo(Instant.parse("2025-02-05T00:15:00Z"));
        assertThat(List.of(registry.get("insider.export.requests").tag("outcome", "failed").counter().count()))
            .containsExactly(1.0);
    }
}
