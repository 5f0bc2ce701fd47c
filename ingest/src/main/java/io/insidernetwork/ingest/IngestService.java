package io.insidernetwork.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.ExportService;
import io.insidernetwork.ingest.health.Readiness;
import io.insidernetwork.ingest.http.ErrorBody;
import io.insidernetwork.ingest.http.HeaderReadTimeout;
import io.insidernetwork.ingest.http.JsonErrorHandler;
import io.insidernetwork.ingest.mapping.StrictJson;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.DeadLetters;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.webhook.DeliveryDedupe;
import io.insidernetwork.ingest.webhook.PartnerEventWebhook;
import io.insidernetwork.ingest.webhook.SignatureVerifier;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ingest service: one HTTP server (webhooks, health, metrics), the producer behind it and the
 * optional InsightIQ workers. Parts are started in order and closed in reverse order.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final Javalin http;
    private final Deque<AutoCloseable> parts;
    private final IngestMetrics metrics;
    private final ExportService export;

    private IngestService(final Javalin http, final Deque<AutoCloseable> parts, final IngestMetrics metrics,
                          final ExportService export) {
        this.http = http;
        this.parts = parts;
        this.metrics = metrics;
        this.export = export;
    }

    /** Creates missing topics, then starts the producer, the workers and the HTTP server. */
    public static IngestService start(final IngestConfig config) {
        final Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            return start(config, parts);
        } catch (final RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    private static IngestService start(final IngestConfig config, final Deque<AutoCloseable> parts) {
        final Topics topics = config.topics();
        final Clock clock = Clock.systemUTC();
        final IngestMetrics metrics = push(parts, new IngestMetrics());
        if (config.createTopics()) {
            createTopics(config, topics);
        }
        final EventPublisher publisher = push(parts, new EventPublisher(config.kafkaSettings(),
            config.produceTimeout()));
        final Readiness readiness = push(parts, new Readiness(Admin.create(config.kafkaSettings()),
            config.healthKafkaTimeout(), clock));
        // Strict reads (duplicate keys, trailing content) wherever this mapper reads untrusted input.
        final ObjectMapper json = StrictJson.mapper();
        final Javalin http = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBodyBytes() + 1L;
            cfg.jsonMapper(new JavalinJackson(json, false));
            // Jetty's own answers (unparseable requests, 414, 431) in the JSON envelope, not its HTML page.
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            cfg.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig, config));
        });

        // ---- Health and metrics ------------------------------------------------------------------------------
        http.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        http.get("/health/ready", ctx -> {
            final Map<String, Readiness.Check> checks = readiness.checks();
            final boolean up = checks.values().stream().allMatch(Readiness.Check::up);
            final Map<String, Object> details = new LinkedHashMap<>();
            checks.forEach((name, check) -> details.put(name, check.up() ? Map.of("status", "UP")
                : Map.of("status", "DOWN", "reason", check.reason())));
            ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(Map.of("status", up ? "UP" : "DOWN", "checks", details));
        });
        http.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
            .result(metrics.scrape()));

        // ---- Partner event webhook ---------------------------------------------------------------------------
        final DeliveryDedupe eventDeliveries = new DeliveryDedupe(config.dedupeCapacity(), publisher,
            topics.webhookDeliveries(), "events", clock);
        final int knownDeliveries = eventDeliveries.load(config.kafkaSettings(), config.produceTimeout().multipliedBy(4));
        log.info("Partner event webhook remembers {} recent deliveries from {}", knownDeliveries,
            topics.webhookDeliveries().name());
        http.post("/webhooks/v1/events", new PartnerEventWebhook(new SignatureVerifier(config.webhookSecrets()),
            eventDeliveries, publisher, topics.partnerEvents(), json, clock,
            config.maxBodyBytes(), config.maxBatchEvents(), config.produceTimeout(), metrics));

        // ---- InsightIQ: REST client, poller, webhook and fetcher ---------------------------------------------
        InsightIqWiring.addTo(config, topics, publisher,
            new DeadLetters(publisher, topics.ingestDeadLetters(), metrics, clock), readiness, metrics, json, clock,
            http, parts);

        // ---- Insider raw-data export: daily requests, the export-link webhook, the file downloader ------------
        final ExportService export = push(parts, ExportService.create(config.exportSettings(),
            config.kafkaSettings(), topics, publisher, json, metrics.registry(), config.produceTimeout(), clock));
        export.routes(http);

        // ---- Errors --------------------------------------------------------------------------------------------
        http.error(HttpStatus.NOT_FOUND, ctx -> {
            // Javalin's own 404 (no route) is plain text; a route's own 404 is already JSON.
            final String type = ctx.res().getContentType();
            if (ctx.result() == null || type == null || !type.startsWith("application/json")) {
                ctx.json(ErrorBody.notFound());
            }
        });
        http.exception(Exception.class, (e, ctx) -> {
            final String requestId = UUID.randomUUID().toString();
            log.error("Request {} {} failed, request id {}", ctx.method(), ctx.path(), requestId, e);
            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(ErrorBody.internal(requestId));
        });
        http.start();
        parts.push(http::stop);
        export.start();
        log.info("Ingest listening on port {}", http.port());
        return new IngestService(http, parts, metrics, export);
    }

    /** The one connector: bound idle time, and bound time to read a request's headers. */
    private static ServerConnector connector(final Server server, final HttpConfiguration httpConfig,
                                             final IngestConfig config) {
        final ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        connector.setIdleTimeout(config.httpIdleTimeout().toMillis());
        connector.addBean(new HeaderReadTimeout(connector.getScheduler(), config.httpHeaderTimeout()));
        return connector;
    }

    private static void createTopics(final IngestConfig config, final Topics topics) {
        try (Admin admin = Admin.create(config.kafkaSettings())) {
            TopicAdmin.ensureTopics(admin, topics.all(), config.replicationFactor(), Duration.ofSeconds(30));
        }
    }

    private static <T extends AutoCloseable> T push(final Deque<AutoCloseable> parts, final T part) {
        parts.push(part);
        return part;
    }

    /** The port the HTTP server is bound to. */
    public int port() {
        return http.port();
    }

    /** The service's meters (for tests and the benchmark). */
    public IngestMetrics metrics() {
        return metrics;
    }

    /** The meters of the service, in Prometheus form. */
    public PrometheusMeterRegistry meters() {
        return metrics.prometheus();
    }

    /** The Insider export components. */
    public ExportService export() {
        return export;
    }

    @Override
    public void close() {
        closeAll(parts);
        log.info("Ingest stopped");
    }

    private static void closeAll(final Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            final AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (final Exception e) {
                log.warn("Closing {} failed", part, e);
            }
        }
    }
}
