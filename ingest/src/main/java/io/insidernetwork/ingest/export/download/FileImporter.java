package io.insidernetwork.ingest.export.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.ingest.export.ExportMetrics;
import io.insidernetwork.ingest.export.ExportSettings;
import io.insidernetwork.ingest.export.format.CsvRowReader;
import io.insidernetwork.ingest.export.format.ExportFormat;
import io.insidernetwork.ingest.export.format.JsonRowReader;
import io.insidernetwork.ingest.export.format.ParquetRowReader;
import io.insidernetwork.ingest.export.format.RowReader;
import io.insidernetwork.ingest.export.format.RowResult;
import io.insidernetwork.ingest.export.mapping.ExportRowMapper;
import io.insidernetwork.ingest.export.mapping.MappedRow;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.publish.EventPublisher.Outgoing;
import io.insidernetwork.schemas.export.InsiderExportLink;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one export file: reads its rows as they stream in (Parquet is first spooled to a local file, as it needs
 * random access), maps each row, and publishes partner events, generic rows and dead letters without waiting per
 * record. Reading and mapping run on a read-ahead thread, a bounded number of rows ahead of the calling thread,
 * which encodes and sends in file order. Every {@code ingest.export.checkpoint.rows} rows, once Kafka acknowledged
 * all their records, an IN_PROGRESS checkpoint is written; at the end COMPLETED. A resumed import skips the rows of
 * the last checkpoint.
 */
public final class FileImporter {

    private static final Logger log = LoggerFactory.getLogger(FileImporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);
    private static final int BUFFER = 64 * 1024;
    /** Rows handed from the read-ahead thread at a time, and how many such batches it may be ahead. */
    private static final int READ_BATCH = 256;
    private static final int READ_AHEAD = 8;

    private final EventPublisher publisher;
    private final Topics topics;
    private final ExportSettings settings;
    private final ProgressStore progress;
    private final ExportMetrics metrics;
    private final Clock clock;
    private final java.util.concurrent.Executor checkpoints = java.util.concurrent.ForkJoinPool.commonPool();

    public FileImporter(final EventPublisher publisher, final Topics topics, final ExportSettings settings,
                        final ProgressStore progress, final ExportMetrics metrics, final Clock clock) {
        this.publisher = publisher;
        this.topics = topics;
        this.settings = settings;
        this.progress = progress;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A short stable id of a file, part of derived event ids and the {@code source.file} header. */
    public static String fileId(final String url) {
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * Imports {@code download} of {@code link}, resuming after {@code resume} when it is an IN_PROGRESS
     * checkpoint. Returns the COMPLETED progress, acknowledged by Kafka.
     */
    public InsiderExportProgress importFile(final InsiderExportLink link, final FileFetcher.Download download,
                                            final InsiderExportProgress resume, final BooleanSupplier stopped)
        throws DownloadException, InterruptedException {
        final ExportFormat format = ExportFormat.fromFileName(link.getFileName())
            .or(() -> ExportFormat.fromContentType(download.contentType()))
            .orElse(ExportFormat.of(settings.format()));
        Path spooled = null;
        try {
            InputStream in = new BufferedInputStream(download.body(), BUFFER);
            if (download.gzip() || link.getFileName().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER);
            }
            if (format == ExportFormat.PARQUET) {
                spooled = spool(in);
            }
            try (RowReader reader = open(format, in, spooled)) {
                return new Run(link, format, resume, stopped).read(reader);
            }
        } catch (final IOException e) {
            throw DownloadException.retryable("reading the file failed: " + e.getMessage(), e);
        } finally {
            if (spooled != null) {
                deleteQuietly(spooled);
            }
        }
    }

    private Path spool(final InputStream in) throws IOException {
        Files.createDirectories(settings.downloadDir());
        final Path file = Files.createTempFile(settings.downloadDir(), "insider-export-", ".parquet");
        try {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            deleteQuietly(file);
            throw e;
        }
        return file;
    }

    private static RowReader open(final ExportFormat format, final InputStream in, final Path spooled)
        throws IOException, DownloadException {
        return switch (format) {
            case CSV -> new CsvRowReader(in);
            case JSON -> new JsonRowReader(in);
            case PARQUET -> {
                try {
                    yield new ParquetRowReader(spooled);
                } catch (final IOException e) {
                    throw DownloadException.permanent("the downloaded file is not Parquet: " + e.getMessage(), e);
                }
            }
        };
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    /** One pass over one file. */
    private final class Run {
        private final InsiderExportLink link;
        private final ExportFormat format;
        private final BooleanSupplier stopped;
        private final ExportRowMapper mapper;
        private final RecordHeaders headers = new RecordHeaders();
        private final String partner;
        private final Instant startedAt;
        private final long skip;
        private long rowsDone;
        private long partnerEvents;
        private long genericRows;
        private long deadLetters;
        private long unreadable;
        private long[] counted = new long[4];
        private Acks acks = new Acks();
        private CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);

        Run(final InsiderExportLink link, final ExportFormat format, final InsiderExportProgress resume,
            final BooleanSupplier stopped) {
            this.link = link;
            this.format = format;
            this.stopped = stopped;
            this.partner = link.getPartner();
            final String fileId = fileId(link.getUrl());
            this.mapper = new ExportRowMapper(settings.columns(), settings.eventKinds(), partner, link.getUrl(),
                fileId, link.getReceivedAt(), clock);
            headers.add("source", ExportRowMapper.SOURCE.getBytes(StandardCharsets.UTF_8));
            headers.add("source.file", fileId.getBytes(StandardCharsets.UTF_8));
            headers.setReadOnly();
            if (resume != null) {
                skip = resume.getRowsDone();
                rowsDone = skip;
                partnerEvents = resume.getPartnerEvents();
                genericRows = resume.getGenericRows();
                deadLetters = resume.getDeadLetters();
                startedAt = resume.getStartedAt();
            } else {
                skip = 0;
                startedAt = clock.instant();
            }
            counted = new long[] {partnerEvents, genericRows, deadLetters, unreadable};
        }

        InsiderExportProgress read(final RowReader reader) throws IOException, DownloadException,
            InterruptedException {
            if (skip > 0) {
                log.info("Resuming {} after row {}", link.getUrl(), skip);
            }
            final long started = System.nanoTime();
            long lastLog = started;
            long lastCheckpoint = rowsDone;
            final long every = settings.checkpointRows();
            // Reading and mapping run ahead on a thread of their own; this thread encodes, sends and checkpoints in
            // file order, so a checkpoint covers exactly the rows it would cover if one thread did everything.
            try (ReadAhead<Item> items = new ReadAhead<>("insider-export-reader", () -> item(reader), READ_BATCH,
                READ_AHEAD)) {
                for (Item item = items.next(); item != null; item = items.next()) {
                    final RowResult result = item.result();
                    if (result instanceof RowResult.Row row) {
                        publish(row, item.mapped());
                    } else if (result instanceof RowResult.Broken broken) {
                        unreadable++;
                        deadLetter(broken.number(), null, null, broken.reason(), broken.raw(), "unreadable");
                    }
                    rowsDone = result.number();
                    if (rowsDone - lastCheckpoint >= every) {
                        lastCheckpoint = rowsDone;
                        checkpoint();
                        if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                            throw new InterruptedException("import of " + link.getUrl() + " stopped at row "
                                + rowsDone);
                        }
                        final long now = System.nanoTime();
                        if (now - lastLog >= LOG_EVERY.toNanos()) {
                            lastLog = now;
                            final long rate = rate(rowsDone - skip, now - started);
                            metrics.progress(rowsDone, rate);
                            log.info("Import of {} ({}): {} rows done, {} rows/s", link.getFileName(), format.id(),
                                rowsDone, rate);
                        }
                    }
                }
            }
            // The file is read: send what the producer still lingers on now, not after linger.ms (here and for
            // the COMPLETED checkpoint below).
            flush();
            awaitAcks();
            final InsiderExportProgress done = progress(ProgressStore.COMPLETED, null);
            final CompletableFuture<Void> saved = progress.save(done);
            flush();
            await(saved);
            countRows();
            final long rate = rate(rowsDone - skip, System.nanoTime() - started);
            metrics.progress(0, 0);
            log.info("Imported {} ({}): {} rows, {} partner events, {} generic rows, {} dead letters, {} rows/s",
                link.getFileName(), format.id(), rowsDone, partnerEvents, genericRows, deadLetters, rate);
            return done;
        }

        /** On the read-ahead thread: the next row after the resumed ones, mapped when it could be read. */
        private Item item(final RowReader reader) throws IOException {
            RowResult result = reader.next();
            while (result != null && result.number() <= skip) {
                result = reader.next();
            }
            if (result == null) {
                return null;
            }
            return new Item(result, result instanceof RowResult.Row row ? mapper.map(row.number(), row.values())
                : null);
        }

        private void publish(final RowResult.Row row, final MappedRow mapped) {
            if (mapped instanceof MappedRow.Typed typed) {
                partnerEvents++;
                send(topics.partnerEvents(), new Outgoing<>(typed.key(), typed.event(), headers));
            } else if (mapped instanceof MappedRow.Generic generic) {
                genericRows++;
                send(topics.exportEvents(), new Outgoing<>(generic.key(), generic.row(), headers));
            } else if (mapped instanceof MappedRow.Rejected rejected) {
                deadLetter(row.number(), userId(row), rejected.field(), rejected.reason(), json(row), "unmappable");
            }
        }

        private <K, V> void send(final TopicSpec<K, V> topic, final Outgoing<K, V> record) {
            acks.sent();
            publisher.send(topic, record, acks);
        }

        private void deadLetter(final long number, final String key, final String field, final String reason,
                                final String raw, final String category) {
            deadLetters++;
            final RecordHeaders dl = new RecordHeaders();
            dl.add("reason", ((field == null ? "" : field + ": ") + reason).getBytes(StandardCharsets.UTF_8));
            dl.add("reason.category", category.getBytes(StandardCharsets.UTF_8));
            if (field != null) {
                dl.add("error.field", field.getBytes(StandardCharsets.UTF_8));
            }
            dl.add("source", ExportRowMapper.SOURCE.getBytes(StandardCharsets.UTF_8));
            dl.add("source.url", link.getUrl().getBytes(StandardCharsets.UTF_8));
            dl.add("source.partner", partner.getBytes(StandardCharsets.UTF_8));
            dl.add("source.format", format.id().getBytes(StandardCharsets.UTF_8));
            dl.add("source.row", Long.toString(number).getBytes(StandardCharsets.UTF_8));
            send(topics.ingestDeadLetters(), new Outgoing<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                raw.getBytes(StandardCharsets.UTF_8), dl));
        }

        private void checkpoint() throws DownloadException, InterruptedException {
            if (chain.isCompletedExceptionally()) {
                awaitAcks();
            }
            final InsiderExportProgress checkpoint = progress(ProgressStore.IN_PROGRESS, null);
            final long[] delta = {partnerEvents, genericRows, deadLetters, unreadable};
            final CompletableFuture<Void> acked = acks.seal();
            acks = new Acks();
            // Async: acks complete on the producer's I/O thread, which must never block in send() (a topic's
            // metadata may still have to be fetched by that very thread).
            chain = chain.thenCombine(acked, (a, b) -> (Void) null)
                .thenComposeAsync(ignored -> progress.save(checkpoint), checkpoints)
                .thenRun(() -> count(delta));
        }

        private void flush() throws InterruptedException {
            try {
                publisher.flush();
            } catch (final InterruptException e) {
                Thread.interrupted();
                throw new InterruptedException("import of " + link.getUrl() + " stopped at row " + rowsDone);
            }
        }

        private void awaitAcks() throws DownloadException, InterruptedException {
            final CompletableFuture<Void> acked = acks.seal();
            acks = new Acks();
            await(chain.thenCombine(acked, (a, b) -> (Void) null));
        }

        private void await(final CompletableFuture<Void> future) throws DownloadException, InterruptedException {
            try {
                future.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                throw DownloadException.retryable("Kafka did not acknowledge the records of " + link.getUrl() + ": "
                    + (e.getCause() == null ? e : e.getCause()), e);
            }
        }

        private synchronized void count(final long[] now) {
            metrics.rows(partner, "partner_event", now[0] - counted[0]);
            metrics.rows(partner, "generic", now[1] - counted[1]);
            metrics.rows(partner, "dead_letter", now[2] - counted[2]);
            metrics.deadLetters("unreadable", now[3] - counted[3]);
            metrics.deadLetters("unmappable", (now[2] - counted[2]) - (now[3] - counted[3]));
            counted = now;
        }

        private void countRows() {
            count(new long[] {partnerEvents, genericRows, deadLetters, unreadable});
        }

        private InsiderExportProgress progress(final String status, final String error) {
            return InsiderExportProgress.newBuilder()
                .setUrl(link.getUrl())
                .setPartner(partner)
                .setStatus(status)
                .setFormat(format.id())
                .setRowsDone(rowsDone)
                .setPartnerEvents(partnerEvents)
                .setGenericRows(genericRows)
                .setDeadLetters(deadLetters)
                .setStartedAt(startedAt)
                .setUpdatedAt(clock.instant())
                .setError(error)
                .build();
        }

        private String userId(final RowResult.Row row) {
            final Object value = row.values().get(settings.columns().column("user_id"));
            return value == null ? null : value.toString();
        }

        private static String json(final RowResult.Row row) {
            try {
                return JSON.writeValueAsString(row.values());
            } catch (final JsonProcessingException e) {
                return String.valueOf(row.values());
            }
        }

        private static long rate(final long rows, final long nanos) {
            return nanos <= 0 ? 0 : rows * 1_000_000_000L / nanos;
        }
    }

    /** A row as read (and mapped, when it could be read) by the read-ahead thread. */
    private record Item(RowResult result, MappedRow mapped) {
    }

    /**
     * The acknowledgements of the records sent since the last checkpoint, counted instead of held as one future per
     * record: {@link #seal()} gives a future that completes once every record sent before it was acknowledged, and
     * fails with the first error if any record failed. {@link #sent()} and {@link #seal()} are called by the sending
     * thread only, the callback by the producer's I/O thread only, so the sender never writes a shared counter.
     */
    private static final class Acks implements Callback {
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> error = new AtomicReference<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long sent;
        /** Records sent before {@link #seal()}; -1 until then. */
        private volatile long expected = -1;

        void sent() {
            sent++;
        }

        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception exception) {
            if (exception != null) {
                error.compareAndSet(null, exception);
            }
            if (acknowledged.incrementAndGet() == expected) {
                finish();
            }
        }

        CompletableFuture<Void> seal() {
            expected = sent;
            // Either this sees the last acknowledgement, or that acknowledgement sees expected: one of them finishes.
            if (acknowledged.get() == sent) {
                finish();
            }
            return done;
        }

        private void finish() {
            final Exception failure = error.get();
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }
}
