package io.insidernetwork.ingest.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import io.insidernetwork.testkit.KafkaBroker;
import io.insidernetwork.testkit.KafkaBrokerExtension;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook to Kafka on the real broker: links are refused or accepted, files are downloaded from a local HTTP server
 * in each format, rows land on partner.events.v1, insider.export-events.v1 and the dead letters with exact counts, and
 * a restarted service neither re-imports nor skips a file.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(KafkaBrokerExtension.class)
class ExportEndToEndIT {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int COPIES = 25;

    @TempDir
    Path files;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger otherHostHits = new AtomicInteger();
    private Javalin fileServer;
    private Javalin otherHost;
    private IngestService service;

    @BeforeEach
    void startServers() {
        otherHost = Javalin.create(cfg -> cfg.showJavalinBanner = false)
            .get("/*", ctx -> otherHostHits.incrementAndGet()).start("127.0.0.1", 0);
        fileServer = Javalin.create(cfg -> cfg.showJavalinBanner = false)
            .get("/mybrand/p/redirect.csv", ctx -> ctx.redirect("http://127.0.0.1:" + otherHost.port()
                + "/mybrand/p/export.csv"))
            .get("/mybrand/p/{file}", ctx -> {
                final Path file = files.resolve(ctx.pathParam("file"));
                if (!Files.isRegularFile(file)) {
                    ctx.status(404);
                    return;
                }
                ctx.result(Files.newInputStream(file));
            })
            .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        fileServer.stop();
        otherHost.stop();
    }

    private IngestConfig config(final KafkaBroker broker, final String prefix) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.prefix", prefix);
        settings.put(IngestConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(IngestConfig.HTTP_PORT_CONFIG, 0);
        settings.put(IngestConfig.WEBHOOK_SECRETS_CONFIG, SECRET);
        settings.put(ExportConfigDef.ALLOWED_HOSTS_CONFIG, "127.0.0.1:" + fileServer.port());
        settings.put(ExportConfigDef.ALLOW_HTTP_CONFIG, true);
        settings.put(ExportConfigDef.WEBHOOK_TOKEN_CONFIG, "hook-token-1");
        settings.put(ExportConfigDef.CHECKPOINT_ROWS_CONFIG, 40);
        settings.put(ExportConfigDef.RETRY_INITIAL_MS_CONFIG, 50);
        settings.put(ExportConfigDef.RETRY_MAX_BACKOFF_MS_CONFIG, 200);
        return new IngestConfig(settings);
    }

    private HttpResponse<String> hook(final String path, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private String link(final String file) {
        return "{\"url\": \"http://127.0.0.1:" + fileServer.port() + "/mybrand/p/" + file + "\"}";
    }

    @Test
    void shouldImportEveryFormatWithExactCountsWhenLinksArriveAndNeverReimportAfterRestart(final KafkaBroker broker)
        throws Exception {
        final List<ExportFiles.Row> rows = ExportFiles.rows(COPIES);
        final int csvBroken = ExportFiles.writeCsv(files.resolve("export.csv"), rows, true);
        final int jsonlBroken = ExportFiles.writeJson(files.resolve("export.jsonl"), rows, true);
        ExportFiles.writeJson(files.resolve("export.json"), rows, false);
        ExportFiles.writeParquet(files.resolve("export.parquet"), rows);
        final String prefix = KafkaBrokerExtension.uniqueName("export-e2e") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        service = IngestService.start(config(broker, prefix));
        final String path = "/webhooks/v1/insider-export";

        // Refused: no token, a host not on the allowlist, a non-https scheme host, a malformed body.
        assertThat(hook(path, link("export.csv")).statusCode()).isEqualTo(401);
        final HttpResponse<String> otherHostLink = hook(path + "/hook-token-1", "{\"url\": \"http://127.0.0.1:"
            + otherHost.port() + "/mybrand/p/export.csv\"}");
        assertThat(otherHostLink.statusCode()).isEqualTo(403);
        assertThat(otherHostLink.body()).contains("\"code\":\"FORBIDDEN\"").contains("\"field\":\"url\"");
        assertThat(hook(path + "/hook-token-1", "{\"url\": \"https://evil.test/mybrand/p/x.csv\"}").statusCode())
            .isEqualTo(403);
        assertThat(hook(path + "/hook-token-1", "{\"link\": 1}").statusCode()).isEqualTo(400);
        // Ambiguous JSON (a second "url", trailing content) and a body that is not UTF-8: 400 naming the body.
        for (final String ambiguous : List.of(
            "{\"url\": \"https://evil.test/x.csv\", \"url\": \"http://127.0.0.1:1/mybrand/p/export.csv\"}",
            link("export.csv") + " trailing", link("export.csv") + link("export.json"))) {
            final HttpResponse<String> refused = hook(path + "/hook-token-1", ambiguous);
            assertThat(refused.statusCode()).as(ambiguous).isEqualTo(400);
            assertThat(refused.body()).as(ambiguous).contains("\"field\":\"body\"");
        }
        final HttpResponse<String> notUtf8 = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + service.port() + path + "/hook-token-1")).POST(HttpRequest.BodyPublishers.ofByteArray(
                "{\"url\": \"x\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(notUtf8.body()).contains("\"field\":\"body\"").contains("UTF-8");

        // Accepted, each once; the repeat is ignored.
        for (final String file : List.of("export.csv", "export.jsonl", "export.json", "export.parquet",
            "redirect.csv")) {
            assertThat(hook(path + "/hook-token-1", link(file)).statusCode()).as(file).isEqualTo(202);
        }
        final HttpResponse<String> repeat = hook(path + "/hook-token-1", link("export.csv"));
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.body()).contains("\"duplicate\":true");

        await().atMost(Duration.ofSeconds(90)).until(() -> finalStatuses(broker, topics).size() == 5);
        final Map<String, InsiderExportProgress> progress = finalStatuses(broker, topics);
        assertThat(progress.values()).filteredOn(p -> p.getStatus().equals("COMPLETED")).hasSize(4);
        final InsiderExportProgress redirect = progress.values().stream()
            .filter(p -> p.getUrl().endsWith("redirect.csv")).findFirst().orElseThrow();
        assertThat(redirect.getStatus()).isEqualTo("FAILED");
        assertThat(redirect.getError()).contains("redirect refused");
        assertThat(otherHostHits).hasValue(0);

        final ExportFiles.Expected one = ExportFiles.expected(COPIES, 0);
        final int typed = 4 * one.partnerEvents();
        final int generic = 4 * one.generic();
        final int dead = 4 * one.deadLetters() + csvBroken + jsonlBroken;
        final List<ConsumerRecord<byte[], byte[]>> events = readAll(broker, topics.partnerEvents());
        assertThat(events).hasSize(typed);
        assertThat(readAll(broker, topics.exportEvents())).hasSize(generic);
        final List<ConsumerRecord<byte[], byte[]>> deadLetters = readAll(broker, topics.ingestDeadLetters());
        assertThat(deadLetters).hasSize(dead);
        final ConsumerRecord<byte[], byte[]> firstEvent = events.get(0);
        final PartnerEvent event = topics.partnerEvents().valueSerde().deserializer()
            .deserialize(topics.partnerEvents().name(), firstEvent.value());
        // The record's time is the time of acceptance (the import ran just now); the event time is in the payload.
        assertThat(firstEvent.timestamp()).isNotEqualTo(event.getEventTime().toEpochMilli())
            .isCloseTo(System.currentTimeMillis(), within(300_000L));
        assertThat(event.getSource()).isEqualTo("insider-export");
        assertThat(new String(deadLetters.get(0).headers().lastHeader("reason").value(), StandardCharsets.UTF_8))
            .isNotBlank();
        assertThat(new String(deadLetters.get(0).headers().lastHeader("source").value(), StandardCharsets.UTF_8))
            .isEqualTo("insider-export");
        assertThat(deadLetters.get(0).headers().lastHeader("source.url")).isNotNull();
        assertThat(service.meters().get("insider.export.rows").tag("outcome", "partner_event").counters())
            .extracting(c -> c.count()).containsExactly((double) typed);
        assertThat(service.meters().get("ingest.dead.letters").counters().stream().mapToDouble(c -> c.count()).sum())
            .isEqualTo(dead);
        assertThat(service.meters().scrape()).contains("insider_export_rows_total");

        // Restart: every file is final, nothing is imported again; the repeated link is still known.
        service.close();
        service = IngestService.start(config(broker, prefix));
        await().atMost(Duration.ofSeconds(60)).until(() -> service.meters().find("insider.export.files")
            .tag("outcome", "skipped").counter() != null && service.meters().get("insider.export.files")
            .tag("outcome", "skipped").counter().count() == 5.0);
        assertThat(hook(path + "/hook-token-1", link("export.parquet")).statusCode()).isEqualTo(200);
        assertThat(readAll(broker, topics.partnerEvents())).hasSize(typed);
        assertThat(readAll(broker, topics.exportEvents())).hasSize(generic);
        assertThat(readAll(broker, topics.ingestDeadLetters())).hasSize(dead);
    }

    @Test
    void shouldResumeAfterLastCheckpointWhenFileWasInProgressAtRestart(final KafkaBroker broker) throws Exception {
        ExportFiles.writeCsv(files.resolve("resume.csv"), ExportFiles.rows(COPIES), false);
        final String prefix = KafkaBrokerExtension.uniqueName("export-resume") + ".";
        final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
        final String url = "http://127.0.0.1:" + fileServer.port() + "/mybrand/p/resume.csv";
        // A previous run imported 12 blocks of 8 rows (96 rows) and crashed: its checkpoint is on the topic.
        final java.time.Instant started = java.time.Instant.now();
        final InsiderExportProgress checkpoint = InsiderExportProgress.newBuilder().setUrl(url).setPartner("mybrand")
            .setStatus("IN_PROGRESS").setFormat("csv").setRowsDone(96).setPartnerEvents(36).setGenericRows(24)
            .setDeadLetters(36).setStartedAt(started).setUpdatedAt(started).build();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
            "bootstrap.servers", broker.bootstrapServers()))) {
            io.insidernetwork.schemas.topic.TopicAdmin.ensureTopics(admin, topics.all(), (short) 1,
                Duration.ofSeconds(30));
        }
        try (io.insidernetwork.ingest.publish.EventPublisher publisher = new io.insidernetwork.ingest.publish
            .EventPublisher(Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(10))) {
            publisher.publish(topics.exportProgress(), new io.insidernetwork.ingest.publish.EventPublisher.Outgoing<>(
                url, checkpoint)).get(10, TimeUnit.SECONDS);
        }
        service = IngestService.start(config(broker, prefix));
        assertThat(hook("/webhooks/v1/insider-export", "{\"url\": \"" + url + "\"}").statusCode())
            .isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
            + "/webhooks/v1/insider-export")).header("X-Webhook-Token", "hook-token-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + url + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> finalStatuses(broker, topics).size() == 1);
        final InsiderExportProgress done = finalStatuses(broker, topics).get(url);
        assertThat(done.getStatus()).isEqualTo("COMPLETED");
        assertThat(done.getRowsDone()).isEqualTo(8L * COPIES);
        final int remainingBlocks = COPIES - 12;
        assertThat(readAll(broker, topics.partnerEvents())).hasSize(3 * remainingBlocks);
        assertThat(readAll(broker, topics.exportEvents())).hasSize(2 * remainingBlocks);
        assertThat(readAll(broker, topics.ingestDeadLetters())).hasSize(3 * remainingBlocks);
        assertThat(done.getPartnerEvents()).isEqualTo(3L * COPIES);
        assertThat(done.getDeadLetters()).isEqualTo(3L * COPIES);
    }

    private static Map<String, InsiderExportProgress> finalStatuses(final KafkaBroker broker, final Topics topics) {
        final Map<String, InsiderExportProgress> latest = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : readAll(broker, topics.exportProgress())) {
            final InsiderExportProgress p = topics.exportProgress().valueSerde().deserializer()
                .deserialize(topics.exportProgress().name(), record.value());
            latest.put(p.getUrl(), p);
        }
        latest.values().removeIf(p -> p.getStatus().equals("IN_PROGRESS"));
        return latest;
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(final KafkaBroker broker, final TopicSpec<?, ?> topic) {
        final Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
        return records;
    }
}
