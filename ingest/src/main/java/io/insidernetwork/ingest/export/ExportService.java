package io.insidernetwork.ingest.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.download.ExportDownloader;
import io.insidernetwork.ingest.export.download.FileFetcher;
import io.insidernetwork.ingest.export.download.FileImporter;
import io.insidernetwork.ingest.export.download.ProgressStore;
import io.insidernetwork.ingest.export.receiver.ExportLinkWebhook;
import io.insidernetwork.ingest.export.receiver.KnownLinks;
import io.insidernetwork.ingest.export.request.ExportRequestValidator;
import io.insidernetwork.ingest.export.request.ExportScheduler;
import io.insidernetwork.ingest.export.request.RequestedDays;
import io.insidernetwork.ingest.export.request.InsiderExportClient;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.schemas.topic.Topics;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Insider raw-data export inside the ingest service: the daily request scheduler, the export-link webhook and
 * the file downloader, with their own bulk producer (so that a large import never delays webhook acknowledgements).
 * Create it, add its routes before the HTTP server starts, then {@link #start()}.
 */
public final class ExportService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportService.class);
    /** Delivery timeout of the import producer (package-private: the benchmark's baseline producer uses it too). */
    static final Duration BULK_DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private final ExportSettings settings;
    private final EventPublisher bulk;
    private final ExportLinkWebhook webhook;
    private final ExportScheduler scheduler;
    private final ExportDownloader downloader;

    private ExportService(final ExportSettings settings, final EventPublisher bulk, final ExportLinkWebhook webhook,
                          final ExportScheduler scheduler, final ExportDownloader downloader) {
        this.settings = settings;
        this.bulk = bulk;
        this.webhook = webhook;
        this.scheduler = scheduler;
        this.downloader = downloader;
    }

    /**
     * Builds the export components. {@code publisher} is the service's producer (the webhook's link records);
     * imports get a producer of their own.
     */
    public static ExportService create(final ExportSettings settings, final Map<String, Object> kafkaSettings,
                                       final Topics topics, final EventPublisher publisher, final ObjectMapper json,
                                       final MeterRegistry registry, final Duration produceTimeout,
                                       final Clock clock) {
        final ExportMetrics metrics = new ExportMetrics(registry);
        final KnownLinks known = new KnownLinks();
        final ExportLinkWebhook webhook = new ExportLinkWebhook(settings.linkPolicy(), known, publisher,
            topics.exportLinks(), json, clock, settings.linkTtl(), produceTimeout,
            settings.webhookToken().map(p -> p.value()), metrics);
        ExportScheduler scheduler = null;
        if (!settings.partners().isEmpty()) {
            final HttpClient api = HttpClient.newBuilder().connectTimeout(settings.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
            final InsiderExportClient client = new InsiderExportClient(api, settings.apiUrl(), settings.httpTimeout(),
                new ExportRequestValidator(settings.allowHttp()), json);
            final RequestedDays days = new RequestedDays(publisher, topics.exportRequests());
            days.load(kafkaSettings, produceTimeout.multipliedBy(4));
            scheduler = new ExportScheduler(settings, client, clock, Executors.newSingleThreadScheduledExecutor(r ->
                new Thread(r, "insider-export-scheduler")), metrics, days);
        }
        EventPublisher bulk = null;
        ExportDownloader downloader = null;
        if (settings.downloadEnabled()) {
            bulk = new EventPublisher(bulkSettings(kafkaSettings), BULK_DELIVERY_TIMEOUT);
            final ProgressStore progress = new ProgressStore(kafkaSettings, topics.exportProgress(), bulk);
            final HttpClient files = HttpClient.newBuilder().connectTimeout(settings.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
            final FileFetcher fetcher = new FileFetcher(files, settings.linkPolicy(), settings.httpTimeout());
            final FileImporter importer = new FileImporter(bulk, topics, settings, progress, metrics, clock);
            downloader = new ExportDownloader(kafkaSettings, topics.exportLinks(), progress, fetcher, importer, known,
                settings, metrics, clock);
        }
        return new ExportService(settings, bulk, webhook, scheduler, downloader);
    }

    /** Producer settings for imports: bigger batches than the webhook producer, same acks=all and idempotence. */
    static Map<String, Object> bulkSettings(final Map<String, Object> kafkaSettings) {
        final Map<String, Object> bulk = new HashMap<>();
        bulk.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        bulk.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        bulk.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-export-bulk");
        bulk.putAll(kafkaSettings);
        return bulk;
    }

    /** Adds the export webhook ({@code <path>} and {@code <path>/<token>}, POST and GET) and /health/export. */
    public void routes(final Javalin http) {
        final String path = settings.webhookPath();
        http.post(path, webhook);
        http.get(path, webhook);
        http.post(path + "/{" + ExportLinkWebhook.TOKEN_PARAM + "}", webhook);
        http.get(path + "/{" + ExportLinkWebhook.TOKEN_PARAM + "}", webhook);
        http.get("/health/export", ctx -> {
            final Map<String, Object> health = health();
            ctx.status("UP".equals(health.get("status")) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(health);
        });
        if (settings.webhookToken().isEmpty()) {
            log.warn("Export webhook {} requires no token ({} unset): only the host allowlist protects it", path,
                ExportConfigDef.WEBHOOK_TOKEN_CONFIG);
        }
    }

    /** Export health: DOWN when a partner's configuration was refused or the downloader died. */
    public Map<String, Object> health() {
        final Map<String, Object> health = new LinkedHashMap<>();
        final boolean schedulerOk = scheduler == null || scheduler.healthy();
        final boolean downloaderOk = downloader == null || downloader.running();
        health.put("status", schedulerOk && downloaderOk ? "UP" : "DOWN");
        health.put("partners", scheduler == null ? java.util.List.of() : scheduler.statuses());
        health.put("downloader", downloader == null ? "disabled"
            : downloader.running() ? (downloader.caughtUp() ? "running" : "starting") : "stopped");
        return health;
    }

    /** Starts the scheduler and the downloader. */
    public void start() {
        if (downloader != null) {
            downloader.start();
        }
        if (scheduler != null) {
            scheduler.start();
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (downloader != null) {
            downloader.close();
        }
        if (bulk != null) {
            bulk.close();
        }
    }
}
