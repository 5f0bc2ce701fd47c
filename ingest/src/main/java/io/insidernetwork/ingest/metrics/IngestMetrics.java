package io.insidernetwork.ingest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The meters of the ingest service, in one Prometheus registry scraped at {@code GET /metrics}. Label values are
 * short codes (endpoint, outcome, source, reason), never ids or messages, so the series count stays bounded.
 */
public final class IngestMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public IngestMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", "ingest");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** The registry, for binders such as Kafka client metrics. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The registry in its Prometheus form. */
    public PrometheusMeterRegistry prometheus() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Counts one webhook call on {@code endpoint} that ended with {@code outcome} (accepted, duplicate, 400...). */
    public void webhookCall(final String endpoint, final String outcome) {
        Counter.builder("ingest.webhook.requests").description("Webhook calls by endpoint and outcome")
            .tag("endpoint", endpoint).tag("outcome", outcome).register(registry).increment();
    }

    /** Time from receiving a webhook to answering it after Kafka acknowledged its records. */
    public void webhookAccepted(final String endpoint, final Duration latency, final int records) {
        Timer.builder("ingest.webhook.acceptance").description("Webhook acceptance latency (until Kafka acked)")
            .tag("endpoint", endpoint).publishPercentiles(0.5, 0.99).register(registry).record(latency);
        recordsPublished(endpoint, records);
    }

    /** Counts records acknowledged by Kafka, by where they came from. */
    public void recordsPublished(final String source, final int records) {
        Counter.builder("ingest.records.published").description("Records acknowledged by Kafka, by source")
            .tag("source", source).register(registry).increment(records);
    }

    /** Counts a record sent to the dead-letter topic. */
    public void deadLetter(final String source, final String reason) {
        Counter.builder("ingest.dead.letters").description("Records sent to the dead-letter topic")
            .tag("source", source).tag("reason", reason).register(registry).increment();
    }

    /** Counts one upstream HTTP call of the InsightIQ client by outcome (ok, retry, rejected, failed). */
    public void upstreamCall(final String outcome) {
        Counter.builder("ingest.insightiq.requests").description("InsightIQ HTTP calls by outcome")
            .tag("outcome", outcome).register(registry).increment();
    }

    /** How many InsightIQ calls ended with {@code outcome} so far (0 before the first). */
    public double upstreamCalls(final String outcome) {
        final Counter counter = registry.find("ingest.insightiq.requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Counts objects the poller or the fetcher published, by object kind. */
    public void objectsPublished(final String origin, final String kind, final int count) {
        Counter.builder("ingest.insightiq.objects").description("InsightIQ objects published, by origin and kind")
            .tag("origin", origin).tag("kind", kind).register(registry).increment(count);
    }

    /** Counts finished poll cycles by outcome (completed, failed, stopped). */
    public void pollCycle(final String outcome) {
        Counter.builder("ingest.insightiq.poll.cycles").description("InsightIQ poll cycles by outcome")
            .tag("outcome", outcome).register(registry).increment();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
