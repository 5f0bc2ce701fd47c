package io.insidernetwork.ingest.export.download;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.insidernetwork.ingest.export.ExportMetrics;
import io.insidernetwork.ingest.export.ExportSettings;
import io.insidernetwork.ingest.export.receiver.KnownLinks;
import io.insidernetwork.schemas.export.InsiderExportLink;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.topic.TopicSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Downloads and imports every export link on insider.export-links.v1, one file at a time. At start it reads the
 * progress topic, then the links topic from the beginning (it is compacted and small): a link whose progress is
 * final is skipped, an IN_PROGRESS one resumes after its last checkpoint, so nothing is lost or imported twice
 * across restarts. Failures are retried with backoff (Failsafe) until the link expires; a refused redirect, a 4xx or
 * an unreadable file fails the file for good. Reads every partition itself: run it in one ingest instance only.
 */
public final class ExportDownloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExportDownloader.class);
    private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> kafkaSettings;
    private final TopicSpec<String, InsiderExportLink> links;
    private final ProgressStore progress;
    private final FileFetcher fetcher;
    private final FileImporter importer;
    private final KnownLinks known;
    private final ExportSettings settings;
    private final ExportMetrics metrics;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public ExportDownloader(final Map<String, Object> kafkaSettings, final TopicSpec<String, InsiderExportLink> links,
                            final ProgressStore progress, final FileFetcher fetcher, final FileImporter importer,
                            final KnownLinks known, final ExportSettings settings, final ExportMetrics metrics,
                            final Clock clock) {
        this.kafkaSettings = kafkaSettings;
        this.links = links;
        this.progress = progress;
        this.fetcher = fetcher;
        this.importer = importer;
        this.known = known;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.thread = new Thread(this::run, "insider-export-downloader");
    }

    /** Starts the downloader thread. */
    public void start() {
        thread.start();
    }

    /** Whether the downloader has read the progress and links topics up to their end once. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the downloader thread is running. */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            final int files = progress.load(Duration.ofSeconds(60));
            progress.urls().forEach(known::add);
            log.info("Export downloader started, {} files known from the progress topic", files);
            final Map<String, Object> consumerSettings = new HashMap<>(kafkaSettings);
            consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerSettings.remove(ConsumerConfig.GROUP_ID_CONFIG);
            try (KafkaConsumer<byte[], byte[]> links = new KafkaConsumer<>(consumerSettings,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer = links;
                final List<TopicPartition> partitions = links.partitionsFor(this.links.name(), Duration.ofSeconds(60))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                links.assign(partitions);
                links.seekToBeginning(partitions);
                final Map<TopicPartition, Long> end = links.endOffsets(partitions);
                while (running) {
                    for (final ConsumerRecord<byte[], byte[]> record : links.poll(Duration.ofMillis(500))) {
                        handle(record);
                        if (!running) {
                            break;
                        }
                    }
                    if (!caughtUp && partitions.stream().allMatch(p -> links.position(p) >= end.get(p))) {
                        caughtUp = true;
                        log.info("Export downloader caught up with {}", this.links.name());
                    }
                }
            }
        } catch (final WakeupException e) {
            log.debug("Export downloader woken up to stop");
        } catch (final RuntimeException e) {
            if (running) {
                log.error("Export downloader stopped by an unexpected error", e);
            }
        } finally {
            consumer = null;
            log.info("Export downloader stopped");
        }
    }

    private void handle(final ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        final InsiderExportLink link;
        try {
            link = links.valueSerde().deserializer().deserialize(links.name(), record.value());
        } catch (final RuntimeException e) {
            log.error("Skipping an undecodable export link at {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), e.toString());
            return;
        }
        known.add(link.getUrl());
        try (MDC.MDCCloseable p = MDC.putCloseable("partner", link.getPartner());
             MDC.MDCCloseable f = MDC.putCloseable("export_file", link.getFileName())) {
            process(link);
        }
    }

    /** Imports {@code link} unless its progress is final. */
    void process(final InsiderExportLink link) {
        final InsiderExportProgress current = progress.get(link.getUrl()).orElse(null);
        if (current != null && ProgressStore.isFinal(current.getStatus())) {
            log.debug("Export file {} already {}, skipped", link.getFileName(), current.getStatus());
            metrics.file("skipped");
            return;
        }
        final Instant now = clock.instant();
        if (!now.isBefore(link.getExpiresAt())) {
            finish(link, current, ProgressStore.EXPIRED, "the link expired at " + link.getExpiresAt()
                + " before the file could be imported");
            return;
        }
        log.info("Importing export file {} of {}{}", link.getFileName(), link.getPartner(),
            current == null ? "" : " from row " + current.getRowsDone());
        final RetryPolicy<Object> retry = RetryPolicy.builder()
            .handleIf(e -> e instanceof DownloadException d && d.retryable())
            .withBackoff(settings.retryInitialBackoff(), settings.retryMaxBackoff())
            .withJitter(0.2)
            .withMaxRetries(-1)
            .withMaxDuration(Duration.between(now, link.getExpiresAt()))
            .onRetry(e -> log.warn("retry {} of export file {} (until {}): {}", e.getAttemptCount(),
                link.getFileName(), link.getExpiresAt(), e.getLastException().getMessage()))
            .build();
        try {
            Failsafe.with(retry).run(() -> attempt(link));
            metrics.file("completed");
        } catch (final FailsafeException e) {
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException || !running) {
                log.info("Import of {} interrupted; it resumes from its last checkpoint", link.getFileName());
                Thread.currentThread().interrupt();
                return;
            }
            final boolean expired = !clock.instant().isBefore(link.getExpiresAt());
            finish(link, progress.get(link.getUrl()).orElse(current), expired ? ProgressStore.EXPIRED
                : ProgressStore.FAILED, cause.getMessage());
        }
    }

    private void attempt(final InsiderExportLink link) throws DownloadException, InterruptedException {
        final InsiderExportProgress resume = progress.get(link.getUrl()).orElse(null);
        if (resume == null) {
            // Marks the file as started, so that even a crash before the first checkpoint leaves a trace.
            save(startOf(link));
        }
        try (FileFetcher.Download download = fetcher.open(URI.create(link.getUrl()))) {
            importer.importFile(link, download, progress.get(link.getUrl()).filter(p -> p.getRowsDone() > 0)
                .orElse(null), () -> !running);
        } catch (final java.io.IOException e) {
            log.debug("Closing the download of {} failed", link.getFileName(), e);
        }
    }

    private InsiderExportProgress startOf(final InsiderExportLink link) {
        final Instant now = clock.instant();
        return InsiderExportProgress.newBuilder().setUrl(link.getUrl()).setPartner(link.getPartner())
            .setStatus(ProgressStore.IN_PROGRESS).setFormat(link.getFormat()).setRowsDone(0).setPartnerEvents(0)
            .setGenericRows(0).setDeadLetters(0).setStartedAt(now).setUpdatedAt(now).setError(null).build();
    }

    private void finish(final InsiderExportLink link, final InsiderExportProgress last, final String status,
                        final String error) {
        final InsiderExportProgress base = last != null ? last : startOf(link);
        final InsiderExportProgress done = InsiderExportProgress.newBuilder(base).setStatus(status)
            .setUpdatedAt(clock.instant()).setError(error).build();
        log.error("Export file {} of {} {}: {}", link.getFileName(), link.getPartner(), status.toLowerCase(
            java.util.Locale.ROOT), error);
        metrics.file(status.toLowerCase(java.util.Locale.ROOT));
        try {
            save(done);
        } catch (final DownloadException | InterruptedException e) {
            log.error("Could not record {} for {}: {}", status, link.getUrl(), e.getMessage());
        }
    }

    private void save(final InsiderExportProgress p) throws DownloadException, InterruptedException {
        final CompletableFuture<Void> saved = progress.save(p);
        try {
            saved.get(SAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw DownloadException.retryable("progress not acknowledged: " + e, e);
        }
    }

    @Override
    public void close() {
        running = false;
        final KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(2).toMillis());
            if (thread.isAlive()) {
                // Sleeping between retries, or blocked on a download: the import resumes from its checkpoint.
                thread.interrupt();
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
