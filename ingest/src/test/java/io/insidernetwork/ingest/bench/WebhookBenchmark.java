package io.insidernetwork.ingest.bench;

import io.insidernetwork.ingest.IngestConfig;
import io.insidernetwork.ingest.IngestService;
import io.insidernetwork.ingest.publish.EventPublisher;
import io.insidernetwork.ingest.testing.SignedPoster;
import io.insidernetwork.ingest.testing.TestSettings;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.partner.PartnerEvent;
import io.insidernetwork.schemas.partner.Share;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed partner webhook events accepted per second (202 = Kafka acknowledged) with p50/p99 acceptance latency,
 * beside the raw Kafka producer rate of the same records measured in the same run on the same in-process broker.
 * Run with {@code bench/ingest-webhook.sh}; arguments: single-event calls, batch calls, batch size, concurrency.
 * Results are logged and written to {@code ingest/target/bench-webhook.md}.
 */
public final class WebhookBenchmark {

    private static final Logger log = LoggerFactory.getLogger(WebhookBenchmark.class);

    private WebhookBenchmark() {
    }

    /** One measured run. */
    record Result(String name, long events, Duration elapsed, long[] latenciesMicros) {
        double perSecond() {
            return events / (elapsed.toNanos() / 1e9);
        }

        String percentile(final double p) {
            if (latenciesMicros.length == 0) {
                return "-";
            }
            final long[] sorted = latenciesMicros.clone();
            Arrays.sort(sorted);
            final int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return String.format("%.1f ms", sorted[Math.max(0, index)] / 1000.0);
        }
    }

    public static void main(final String[] args) throws Exception {
        final int singles = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int batches = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        final int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        final int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        final Path dir = Files.createTempDirectory("bench-kafka");
        try {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).start()) {
                final Topics topics = Topics.create("bench.", Topics.DEFAULT_PARTITIONS, Duration.ofDays(1));
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                    TopicAdmin.ensureTopics(admin, List.of(topics.partnerEvents()), (short) 1, Duration.ofSeconds(30));
                }
                final List<Result> results = new ArrayList<>();
                final int rawCount = Math.max(singles, batches * batchSize) * 2;
                results.add(rawProducer(broker.bootstrapServers(), topics, rawCount / 4, "warm-up raw producer"));
                results.add(rawProducer(broker.bootstrapServers(), topics, rawCount, "raw Kafka producer (baseline)"));
                final Map<String, Object> settings = TestSettings.base(broker.bootstrapServers(), "bench.");
                settings.put(IngestConfig.WEBHOOK_MAX_BATCH_CONFIG, Math.max(1_000, batchSize));
                try (IngestService service = IngestService.start(new IngestConfig(settings))) {
                    final URI uri = URI.create("http://127.0.0.1:" + service.port() + "/webhooks/v1/events");
                    final ExecutorService clientThreads = Executors.newFixedThreadPool(4);
                    try {
                        final HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
                        final SignedPoster poster = new SignedPoster(TestSettings.PARTNER_SECRET, uri, http);
                        webhook(poster, "warm-up", singles / 4, 1, concurrency);
                        results.add(webhook(poster, "webhook, 1 event per call", singles, 1, concurrency));
                        results.add(webhook(poster, "webhook, " + batchSize + " events per call", batches, batchSize,
                            Math.max(4, concurrency / 8)));
                    } finally {
                        clientThreads.shutdownNow();
                    }
                }
                report(results, singles, batches, batchSize, concurrency);
            }
        } finally {
            // a run leaves gigabytes of broker logs and state behind
            Utils.delete(dir.toFile());
        }
    }

    private static Result rawProducer(final String bootstrap, final Topics topics, final int count,
                                      final String name) throws Exception {
        final Map<String, Object> settings = new java.util.HashMap<>(Map.of("bootstrap.servers", bootstrap));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            new java.util.HashMap<>(settingsOf(settings)), new ByteArraySerializer(), new ByteArraySerializer())) {
            final byte[][] values = new byte[1_000][];
            for (int i = 0; i < values.length; i++) {
                values[i] = topics.partnerEvents().valueSerde().serializer().serialize(topics.partnerEvents().name(),
                    event("raw-" + i));
            }
            final long started = System.nanoTime();
            final CompletableFuture<Void> done = new CompletableFuture<>();
            final AtomicInteger acked = new AtomicInteger();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topics.partnerEvents().name(), ("k" + i % 10_000).getBytes(),
                    values[i % values.length]), (md, e) -> {
                        if (acked.incrementAndGet() == count) {
                            done.complete(null);
                        }
                    });
            }
            done.get();
            return new Result(name, count, Duration.ofNanos(System.nanoTime() - started), new long[0]);
        }
    }

    /** The producer settings ingest itself uses (acks=all, idempotence, lz4, linger 5 ms). */
    private static Map<String, Object> settingsOf(final Map<String, Object> base) {
        final Map<String, Object> settings = new java.util.HashMap<>(base);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return settings;
    }

    private static Result webhook(final SignedPoster poster, final String name, final int calls, final int perCall,
                                  final int concurrency) throws Exception {
        final String[] bodies = new String[Math.min(calls, 1_000)];
        final long[] latencies = new long[calls];
        final Semaphore inFlight = new Semaphore(concurrency);
        final AtomicInteger failures = new AtomicInteger();
        final List<CompletableFuture<?>> all = new ArrayList<>(calls);
        final String run = Long.toString(System.nanoTime(), 36);
        final long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            final int call = i;
            final String body = perCall == 1 ? SignedPoster.share(run + "-" + call)
                : IntStream.range(0, perCall).mapToObj(j -> SignedPoster.share(run + "-" + call + "-" + j))
                    .collect(Collectors.joining(",", "[", "]"));
            if (call < bodies.length) {
                bodies[call] = body;
            }
            inFlight.acquire();
            final long sent = System.nanoTime();
            all.add(poster.postAsync("bench-" + run + "-" + call, body).whenComplete((response, error) -> {
                latencies[call] = (System.nanoTime() - sent) / 1_000;
                if (error != null || response.statusCode() != 202) {
                    failures.incrementAndGet();
                }
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (failures.get() > 0) {
            log.warn("{}: {} calls not answered 202", name, failures.get());
        }
        return new Result(name, (long) (calls - failures.get()) * perCall, elapsed, latencies);
    }

    private static PartnerEvent event(final String id) {
        return PartnerEvent.newBuilder().setEventId(id).setEventTime(Instant.parse("2025-02-03T14:17:00Z"))
            .setPartnerNetworkId("mybrand").setReceivedAt(Instant.now()).setSource("bench")
            .setPayload(Share.newBuilder().setSharerId("a1b2c3d4-e5f6-7890-1234-567890abcdef").setInstanceId("sku-1")
                .setPlatform("instagram").setRecipients(List.of("b1b2c3d4-e5f6-7890-1234-567890abcdef"))
                .setCampaignId(null).build())
            .build();
    }

    private static void report(final List<Result> results, final int singles, final int batches,
                               final int batchSize, final int concurrency) throws Exception {
        final double baseline = results.get(1).perSecond();
        final StringBuilder md = new StringBuilder();
        md.append("| run | events | events/s | × raw producer | p50 | p99 |\n|---|---|---|---|---|---|\n");
        for (final Result r : results.subList(1, results.size())) {
            md.append(String.format("| %s | %d | %,.0f | %.2f | %s | %s |%n", r.name(), r.events(), r.perSecond(),
                r.perSecond() / baseline, r.percentile(0.50), r.percentile(0.99)));
        }
        md.append(String.format("%nArguments: %d single calls, %d batch calls of %d, %d concurrent calls; %d cores, "
                + "max heap %d MiB, Java %s.%n", singles, batches, batchSize, concurrency,
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1_048_576,
            System.getProperty("java.version")));
        Files.writeString(Path.of("ingest", "target", "bench-webhook.md"), md.toString());
        log.info("Webhook benchmark results:\n{}", md);
    }
}
