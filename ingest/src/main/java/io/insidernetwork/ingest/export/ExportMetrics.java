package io.insidernetwork.ingest.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of the Insider export: requests, links, files, rows by outcome, dead letters, and the progress
 * of the file being imported. Names use dots; the Prometheus registry renders them as
 * {@code insider_export_rows_total} etc.
 */
public final class ExportMetrics {

    /** Source tag of export dead letters (also their {@code source} header). */
    public static final String SOURCE = "insider-export";

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> configErrors = new ConcurrentHashMap<>();
    private final AtomicLong currentRows = new AtomicLong();
    private final AtomicLong currentRate = new AtomicLong();

    public ExportMetrics(final MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("insider.export.import.rows", currentRows, AtomicLong::get)
            .description("Rows done of the export file being imported (0 when idle)").register(registry);
        Gauge.builder("insider.export.import.rows.per.second", currentRate, AtomicLong::get)
            .description("Import rate of the export file being imported, rows per second").register(registry);
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** An export request ended with {@code outcome} (accepted, rate_limited, config_error, failed, invalid). */
    public void request(final String partner, final String outcome) {
        Counter.builder("insider.export.requests").description("Export API requests by final outcome")
            .tag("partner", partner).tag("outcome", outcome).register(registry).increment();
        configErrors.computeIfAbsent(partner, p -> registry.gauge("insider.export.request.config.error",
            io.micrometer.core.instrument.Tags.of("partner", p), new AtomicInteger()))
            .set("config_error".equals(outcome) || "invalid".equals(outcome) ? 1 : 0);
    }

    /** The webhook received a link: accepted, duplicate or refused (with a reason tag). */
    public void link(final String outcome, final String reason) {
        Counter.builder("insider.export.links").description("Export links received by the webhook")
            .tag("outcome", outcome).tag("reason", reason).register(registry).increment();
    }

    /** A file import ended: completed, expired, failed or skipped (already final). */
    public void file(final String outcome) {
        Counter.builder("insider.export.files").description("Export files by final outcome")
            .tag("outcome", outcome).register(registry).increment();
    }

    /** {@code count} rows of {@code partner} ended as {@code outcome}: partner_event, generic or dead_letter. */
    public void rows(final String partner, final String outcome, final long count) {
        if (count > 0) {
            Counter.builder("insider.export.rows").description("Export rows imported, by outcome")
                .tag("partner", partner).tag("outcome", outcome).register(registry).increment(count);
        }
    }

    /** {@code count} dead letters of {@code reason} category were written. */
    public void deadLetters(final String reason, final long count) {
        if (count > 0) {
            Counter.builder("ingest.dead.letters").description("Records sent to ingest.dead-letters.v1")
                .tag("source", SOURCE).tag("reason", reason).register(registry).increment(count);
        }
    }

    /** Progress of the file being imported. */
    public void progress(final long rowsDone, final long rowsPerSecond) {
        currentRows.set(rowsDone);
        currentRate.set(rowsPerSecond);
    }
}
