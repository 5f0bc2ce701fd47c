package io.insidernetwork.ingest.export;

import static org.awaitility.Awaitility.await;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.export.ExportConfigDef;
import io.insidernetwork.ingest.export.mapping.ColumnMapping;
import io.insidernetwork.ingest.export.mapping.EventKind;
import io.insidernetwork.ingest.export.mapping.ExportRowMapper;
import io.insidernetwork.ingest.export.download.FileImporter;
import io.insidernetwork.ingest.export.mapping.MappedRow;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export rows ingested per second (CSV and Parquet files served by a local HTTP server, through the webhook, the
 * downloader, mapping and the bulk producer, until the COMPLETED checkpoint is acknowledged) beside the raw Kafka
 * producer rate measured in the same run on the same in-process broker: a plain {@code KafkaProducer} with exactly
 * the import producer's settings sending the very records the import produces (same topics, keys, headers and
 * timestamps, which are the time of sending), already Avro-encoded. A second reference adds the Avro encoding of the already-mapped records to the
 * timed loop. Not a test: run with {@code bench/ingest-export-rows.sh}. Results go to the log and to
 * {@code ingest/target/benchmarks/export-rows.md}.
 */
@Tag("benchmark")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@ExtendWith(KafkaBrokerExtension.class)
class ExportRowsBenchmark {

    private static final Logger log = LoggerFactory.getLogger(ExportRowsBenchmark.class);
    private static final int ROWS = Integer.getInteger("bench.rows", 300_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final String RAW = "raw producer, pre-encoded records (baseline)";
    private static final String RAW_ENCODING = "raw producer + Avro encoding of the mapped records";
    private static final String FILE_URL = "http://127.0.0.1/bench/p/bench.csv";
    /** Producer settings to try ({@code -Dbench.kafka.<key>=<value>}), for the import and the baseline alike. */
    private static final Map<String, String> KAFKA_OVERRIDES = System.getProperties().stringPropertyNames().stream()
        .filter(name -> name.startsWith("bench.kafka."))
        .collect(java.util.stream.Collectors.toMap(name -> name.substring("bench.kafka.".length()),
            System::getProperty));

    @TempDir
    Path dir;

    @Test
    void measureExportRowsAgainstRawProducer(final KafkaBroker broker) throws Exception {
        final List<ExportFiles.Row> rows = rows(ROWS);
        ExportFiles.writeCsv(dir.resolve("bench.csv"), rows, false);
        ExportFiles.writeParquet(dir.resolve("bench.parquet"), rows);
        final Javalin files = Javalin.create(cfg -> cfg.showJavalinBanner = false)
            .get("/bench/p/{file}", ctx -> ctx.result(Files.newInputStream(dir.resolve(ctx.pathParam("file")
                .replaceAll("-\\d+", "")))))
            .start("127.0.0.1", 0);
        final String prefix = KafkaBrokerExtension.uniqueName("bench") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(1));
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put("topics.partitions", 3);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "test-export-hook-token");
        settings.put(ExportConfigDef.ALLOWED_HOSTS_CONFIG, "127.0.0.1:" + files.port());
        settings.put(ExportConfigDef.ALLOW_HTTP_CONFIG, true);
        KAFKA_OVERRIDES.forEach((key, value) -> settings.put("kafka." + key, value));
        final List<Prepared<?>> records = prepare(rows, topics);
        final Map<String, List<Measurement>> results = new LinkedHashMap<>();
        final List<Double> loads = new ArrayList<>();
        try (IngestService service = IngestService.start(new IngestConfig(settings))) {
            final Map<String, Object> producer = rawProducerSettings(broker);
            // Warm-up: JIT of every path on a share of the work. The imports first: the service has just created the
            // topics, and a first import waits for their leaders as a restarted import would.
            importFile(service, files.port(), "bench.csv", 0);
            importFile(service, files.port(), "bench.parquet", 0);
            rawProducer(producer, records.subList(0, ROWS / 5), false);
            rawProducer(producer, records.subList(0, ROWS / 5), true);
            loads.add(load());
            for (int round = 1; round <= ROUNDS; round++) {
                results.computeIfAbsent(RAW, k -> new ArrayList<>()).add(rawProducer(producer, records, false));
                results.computeIfAbsent(RAW_ENCODING, k -> new ArrayList<>()).add(rawProducer(producer, records,
                    true));
                results.computeIfAbsent("export rows, CSV", k -> new ArrayList<>())
                    .add(importFile(service, files.port(), "bench.csv", round));
                results.computeIfAbsent("export rows, Parquet", k -> new ArrayList<>())
                    .add(importFile(service, files.port(), "bench.parquet", round));
                loads.add(load());
            }
        } finally {
            files.stop();
        }
        report(results, loads);
    }

    /** The valid part of the test mix: share, signup, purchase and two generic events per block of five. */
    private static List<ExportFiles.Row> rows(final int count) {
        final List<ExportFiles.Row> rows = new ArrayList<>(count);
        final List<ExportFiles.Row> block = ExportFiles.rows(1).subList(0, 5);
        for (int i = 0; rows.size() < count; i++) {
            final ExportFiles.Row b = block.get(i % 5);
            rows.add(new ExportFiles.Row(b.user_id(), b.event_name(), b.timestamp() == null ? null
                : ExportFiles.T0 + i, b.instance_id() == null ? null : "sku-" + (i % 1000), b.platform(),
                b.recipients(), b.order_id() == null ? null : "order-" + i, b.amount(), b.currency(),
                new ExportFiles.Attributes("user" + (i % 5000) + "@example.test", "User " + (i % 5000))));
        }
        return rows;
    }

    /** One record as the import sends it: its mapped value and, encoded once before any clock starts, its bytes. */
    private record Prepared<V>(TopicSpec<String, V> topic, byte[] key, V value, byte[] bytes) {
        byte[] encode() {
            return topic.valueSerde().serializer().serialize(topic.name(), value);
        }
    }

    /** The records the import produces for {@code rows}, mapped by the import's mapper, for the raw producer. */
    private static List<Prepared<?>> prepare(final List<ExportFiles.Row> rows, final Topics topics) {
        final ExportRowMapper mapper = new ExportRowMapper(ColumnMapping.of(Map.of(), "attributes.", "params.", "|"),
            Map.of("share", EventKind.SHARE, "signup", EventKind.SIGNUP, "purchase", EventKind.PURCHASE), "bench",
            FILE_URL, FileImporter.fileId(FILE_URL), Instant.now());
        final List<Prepared<?>> records = new ArrayList<>(rows.size());
        long n = 0;
        for (final ExportFiles.Row row : rows) {
            final Map<String, Object> values = new HashMap<>();
            values.put("user_id", row.user_id());
            values.put("event_name", row.event_name());
            if (row.timestamp() != null) {
                values.put("timestamp", row.timestamp());
            }
            values.put("instance_id", row.instance_id());
            values.put("platform", row.platform());
            values.put("recipients", row.recipients());
            values.put("order_id", row.order_id());
            values.put("amount", row.amount());
            values.put("currency", row.currency());
            values.put("attributes.email", row.attributes().email());
            values.put("attributes.name", row.attributes().name());
            values.values().removeIf(v -> v == null);
            final MappedRow mapped = mapper.map(++n, values);
            if (mapped instanceof MappedRow.Typed t) {
                records.add(prepared(topics.partnerEvents(), t.key(), t.event()));
            } else if (mapped instanceof MappedRow.Generic g) {
                records.add(prepared(topics.exportEvents(), g.key(), g.row()));
            } else {
                throw new IllegalStateException("benchmark row " + n + " does not map: " + mapped);
            }
        }
        return records;
    }

    private static <V> Prepared<V> prepared(final TopicSpec<String, V> topic, final String key, final V value) {
        return new Prepared<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value,
            topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** Exactly the settings of the import's producer ({@link ExportService}), under another client id. */
    private static Map<String, Object> rawProducerSettings(final KafkaBroker broker) {
        final Map<String, Object> kafka = new HashMap<>(KAFKA_OVERRIDES);
        kafka.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        final Map<String, Object> settings = new HashMap<>(EventPublisher.settings(ExportService.bulkSettings(kafka),
            ExportService.BULK_DELIVERY_TIMEOUT));
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-raw-producer");
        return settings;
    }

    /**
     * Sends {@code records} (to the import's topics, with its keys, timestamps and headers) and waits until Kafka
     * acknowledged all. Pre-encoded bytes, or, with {@code encode}, the Avro encoding of each mapped record inside
     * the timed loop.
     */
    private static Measurement rawProducer(final Map<String, Object> settings, final List<Prepared<?>> records,
                                      final boolean encode) throws Exception {
        final RecordHeaders headers = new RecordHeaders();
        headers.add("source", ExportRowMapper.SOURCE.getBytes(StandardCharsets.UTF_8));
        headers.add("source.file", FileImporter.fileId(FILE_URL).getBytes(StandardCharsets.UTF_8));
        headers.setReadOnly();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Callback callback = (m, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            // Connected and topic metadata fetched before the clock starts, as for the import's long-lived producer.
            producer.partitionsFor(records.get(0).topic().name());
            producer.partitionsFor(records.get(records.size() - 1).topic().name());
            final long cpu = cpuNanos();
            final long start = System.nanoTime();
            for (final Prepared<?> record : records) {
                producer.send(new ProducerRecord<>(record.topic().name(), null, null, record.key(),
                    encode ? record.encode() : record.bytes(), headers), callback);
            }
            producer.flush();
            final Measurement result = new Measurement(records.size() / ((System.nanoTime() - start) / 1e9),
                (cpuNanos() - cpu) / 1e3 / records.size());
            if (failure.get() != null) {
                throw failure.get();
            }
            return result;
        }
    }

    private static Measurement importFile(final IngestService service, final int filePort, final String file,
                                     final int round) throws IOException, InterruptedException {
        final Counter completed = service.meters().counter("insider.export.files", "outcome", "completed");
        final double before = completed.count();
        // A distinct file name per round: the same URL would be ignored as a repeat (the server maps it back).
        final String name = file.replace(".", "-" + round + ".");
        final long cpu = cpuNanos();
        final long start = System.nanoTime();
        final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + service.port() + "/webhooks/v1/insider-export/test-export-hook-token"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:" + filePort + "/bench/p/" + name
                + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("webhook answered " + answer.statusCode() + ": " + answer.body());
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
            .until(() -> completed.count() > before);
        final Measurement result = new Measurement(ROWS / ((System.nanoTime() - start) / 1e9),
            (cpuNanos() - cpu) / 1e3 / ROWS);
        log.info("{} round {}: {} rows/s, {} µs JVM CPU per row", file, round, Math.round(result.rate()),
            String.format(Locale.ROOT, "%.2f", result.cpuMicros()));
        return result;
    }

    /**
     * Rows per second, and CPU time of the whole JVM (import or producer, broker, GC: everything in this process) per
     * row during the measurement, which other processes on the machine disturb much less than the rate.
     */
    private record Measurement(double rate, double cpuMicros) {
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** The 1-minute load average, or NaN where /proc/loadavg is not readable. */
    private static double load() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (final IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void report(final Map<String, List<Measurement>> results, final List<Double> loads)
        throws IOException {
        final double baseline = median(results.get(RAW).stream().map(Measurement::rate).toList());
        final StringBuilder md = new StringBuilder();
        md.append("| what (").append(ROWS).append(" rows, ").append(ROUNDS)
            .append(" rounds) | median rows/s | rounds | vs raw producer | JVM CPU µs/row (median) |\n");
        md.append("|---|---|---|---|---|\n");
        results.forEach((what, measured) -> {
            final List<Double> rates = measured.stream().map(Measurement::rate).toList();
            md.append("| ").append(what).append(" | ")
                .append(Math.round(median(rates))).append(" | ")
                .append(rates.stream().map(r -> Long.toString(Math.round(r))).toList()).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f×", median(rates) / baseline)).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", median(measured.stream().map(Measurement::cpuMicros)
                    .toList()))).append(" |\n");
        });
        if (!KAFKA_OVERRIDES.isEmpty()) {
            md.append("\nProducer settings changed for the import and the baseline alike: ").append(KAFKA_OVERRIDES)
                .append('\n');
        }
        md.append("\nLoad average (1 min) after the warm-up and after each round: ").append(loads.stream()
            .map(l -> String.format(Locale.ROOT, "%.2f", l)).toList()).append('\n');
        final Path out = Path.of("target", "benchmarks", "export-rows.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        log.info("Export rows benchmark (java {}, {} cores, max heap {} MiB):\n{}", System.getProperty(
            "java.version"), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, md);
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
