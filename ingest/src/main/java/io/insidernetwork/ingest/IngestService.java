package io.insidernetwork.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.ExportService;
import io.insidernetwork.ingest.http.ErrorBody;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.webhook.DeliveryDedupe;
import io.insidernetwork.ingest.webhook.PartnerEventWebhook;
import io.insidernetwork.ingest.webhook.SignatureVerifier;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running ingest service: the webhook HTTP server and the producer behind it. */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final EventPublisher publisher;
    private final Javalin http;
    private final ExportService export;
    private final PrometheusMeterRegistry meters;

    private IngestService(final EventPublisher publisher, final Javalin http, final ExportService export,
                          final PrometheusMeterRegistry meters) {
        this.publisher = publisher;
        this.http = http;
        this.export = export;
        this.meters = meters;
    }

    /** Creates missing topics, then starts the producer and the HTTP server. */
    public static IngestService start(final IngestConfig config) {
        final Topics topics = config.topics();
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            TopicAdmin.ensureTopics(admin, topics.all(), config.replicationFactor(), Duration.ofSeconds(30));
        }
        final EventPublisher publisher = new EventPublisher(config.kafkaSettings(), config.produceTimeout());
        final ObjectMapper json = new ObjectMapper();
        final PartnerEventWebhook partnerEvents = new PartnerEventWebhook(
            new SignatureVerifier(config.webhookSecrets()), new DeliveryDedupe(config.dedupeCapacity()), publisher,
            topics.partnerEvents(), json, Clock.systemUTC(), config.maxBodyBytes(), config.maxBatchEvents(),
            config.produceTimeout());
        final Javalin http = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBodyBytes() + 1L;
            cfg.jsonMapper(new JavalinJackson(json, false));
        });
        http.post("/webhooks/v1/events", partnerEvents);
        // Insider raw-data export: daily requests, the export-link webhook, the file downloader.
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final ExportService export = ExportService.create(config.exportSettings(), config.kafkaSettings(), topics,
            publisher, json, meters, config.produceTimeout(), Clock.systemUTC());
        export.routes(http);
        http.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        http.get("/health/ready", ctx -> ctx.json(Map.of("status", "UP")));
        http.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.result() == null) {
                ctx.json(ErrorBody.notFound());
            }
        });
        http.exception(Exception.class, (e, ctx) -> {
            final String requestId = UUID.randomUUID().toString();
            log.error("Request {} {} failed, request id {}", ctx.method(), ctx.path(), requestId, e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(ErrorBody.internal(requestId));
        });
        try {
            http.start(config.httpHost(), config.httpPort());
        } catch (final RuntimeException e) {
            export.close();
            publisher.close();
            throw e;
        }
        export.start();
        log.info("Ingest listening on port {}", http.port());
        return new IngestService(publisher, http, export, meters);
    }

    /** The meters of the service (export metrics so far). */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The Insider export components. */
    public ExportService export() {
        return export;
    }

    /** The port the HTTP server is bound to. */
    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
        export.close();
        publisher.close();
        log.info("Ingest stopped");
    }
}
