package io.insidernetwork.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.IngestConfig.InsightIqSettings;
import io.insidernetwork.ingest.health.Readiness;
import io.insidernetwork.ingest.insightiq.CursorStore;
import io.insidernetwork.ingest.insightiq.HttpInsightIqClient;
import io.insidernetwork.ingest.insightiq.InsightIqClient;
import io.insidernetwork.ingest.insightiq.InsightIqPoller;
import io.insidernetwork.ingest.insightiq.NotificationFetcher;
import io.insidernetwork.ingest.insightiq.ObjectPublisher;
import io.insidernetwork.ingest.metrics.IngestMetrics;
import io.insidernetwork.ingest.publish.DeadLetters;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.webhook.DeliveryDedupe;
import io.insidernetwork.ingest.webhook.InsightIqWebhook;
import io.insidernetwork.ingest.webhook.SharedSecretVerifier;
import io.insidernetwork.schemas.topic.Topics;
import io.javalin.Javalin;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the InsightIQ parts that the configuration enables: client, poller, webhook endpoint and fetcher. */
final class InsightIqWiring {

    private static final Logger log = LoggerFactory.getLogger(InsightIqWiring.class);

    private InsightIqWiring() {
    }

    static void addTo(final IngestConfig config, final Topics topics, final EventPublisher publisher,
                      final DeadLetters deadLetters, final Readiness readiness, final IngestMetrics metrics,
                      final ObjectMapper json, final Clock clock, final Javalin http,
                      final Deque<AutoCloseable> parts) {
        final InsightIqSettings settings = config.insightIq();
        if (settings.webhookEnabled()) {
            final DeliveryDedupe deliveries = new DeliveryDedupe(config.dedupeCapacity(), publisher,
                topics.webhookDeliveries(), "insightiq", clock);
            deliveries.load(config.kafkaSettings(), config.produceTimeout().multipliedBy(4));
            http.post("/webhooks/v1/insightiq", new InsightIqWebhook(
                new SharedSecretVerifier(SharedSecretVerifier.Scheme.of(settings.webhookAuthScheme()),
                    settings.webhookSecrets()), settings.webhookAuthHeader(),
                deliveries, publisher, topics, json, clock, config.maxBodyBytes(),
                config.produceTimeout(), metrics));
            log.info("InsightIQ webhook served at /webhooks/v1/insightiq ({})", settings.webhookAuthScheme());
        }
        if (!settings.pollerEnabled() && !(settings.webhookEnabled() && settings.hasCredentials())) {
            return;
        }
        final InsightIqClient client = new HttpInsightIqClient(new HttpInsightIqClient.Settings(settings.baseUrl(),
            settings.clientId(), settings.clientSecret().value(), settings.requestTimeout(),
            settings.requestsPerSecond(), settings.retryMaxAttempts(), settings.retryInitialBackoff(),
            settings.retryMaxBackoff(), settings.retryBudget()),
            HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build(), json, clock, metrics);
        final ObjectPublisher objects = new ObjectPublisher(publisher, topics, deadLetters, metrics,
            settings.environment());
        final Duration ackTimeout = config.produceTimeout().multipliedBy(3);
        if (settings.webhookEnabled() && settings.hasCredentials()) {
            final NotificationFetcher fetcher = new NotificationFetcher(client, objects, deadLetters, readiness,
                metrics, topics.insightIqWebhooks(), config.kafkaSettings(), settings.fetcherGroupId(),
                settings.pageSize(), ackTimeout);
            parts.push(fetcher);
            fetcher.start();
            log.info("InsightIQ fetcher started (group {})", settings.fetcherGroupId());
        }
        if (settings.pollerEnabled()) {
            final CursorStore cursors = new CursorStore(publisher, topics.pollCursors(), ackTimeout);
            cursors.load(config.kafkaSettings());
            final InsightIqPoller poller = new InsightIqPoller(client, objects, cursors, readiness, metrics, clock,
                new InsightIqPoller.Settings(settings.pageSize(), settings.pollInterval(), settings.overlapDays(),
                    settings.initialLookbackDays(), ackTimeout));
            parts.push(poller);
            poller.start();
            log.info("InsightIQ poller started against {} ({})", settings.baseUrl(), settings.environment());
        }
    }
}
