package io.insidernetwork.api.bench;

import static org.awaitility.Awaitility.await;

import io.insidernetwork.api.ApiConfig;
import io.insidernetwork.api.ApiService;
import io.insidernetwork.api.Fixtures;
import io.insidernetwork.api.auth.Hmac;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live-feed benchmark, server side: an embedded broker and one api-sink instance over {@code insiders} generated
 * insiders, then {@link StreamLoad} in its own JVM (so the load does not take the server's CPU) measures point reads
 * (profile GETs) in phases of {@code seconds} with no stream open and with {@code streams} open streams receiving
 * entries written at a fixed rate, and prints the RESULT lines. Usage:
 * {@code insiders secondsPerPhase streams entriesPerSecond clients}
 * (api-sink/stream-bench.sh).
 */
public final class StreamBenchmark {

    private static final Logger log = LoggerFactory.getLogger(StreamBenchmark.class);
    static final String KEY = "bench-stream-key";
    private static final String SECRET = "bench-secret-bench-secret-bench-secret-0123";
    private static final int PARTITIONS = 3;

    private StreamBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int insiders = arg(args, 0, 20_000);
        final int seconds = arg(args, 1, 10);
        final int streams = arg(args, 2, 100);
        final int rate = arg(args, 3, 200);
        final int clients = arg(args, 4, 8);
        final Path dir = Files.createTempDirectory(Path.of("target"), "stream-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).start()) {
            final String prefix = "sbench" + System.nanoTime() + ".";
            final Topics topics = Topics.create(prefix, PARTITIONS, Duration.ofDays(30));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
                TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
                awaitLeaders(admin, topics);
            }
            produceGraph(broker.bootstrapServers(), topics, insiders);
            try (ApiService api = ApiService.start(new ApiConfig(settings(broker.bootstrapServers(), prefix, dir,
                streams)))) {
                awaitLoaded(api.port(), insiders);
                log.info("api-sink serves {} insiders on port {}; starting the load generator", insiders, api.port());
                final List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), StreamLoad.class.getName(),
                    Integer.toString(api.port()), broker.bootstrapServers(), prefix, Integer.toString(insiders),
                    Integer.toString(seconds), Integer.toString(streams), Integer.toString(rate),
                    Integer.toString(clients), Long.toString(ProcessHandle.current().pid())));
                final Process load = new ProcessBuilder(command).inheritIO().start();
                if (!load.waitFor(10L * seconds + 600, TimeUnit.SECONDS)) {
                    load.destroyForcibly();
                    throw new IllegalStateException("the load generator did not finish");
                }
                if (load.exitValue() != 0) {
                    throw new IllegalStateException("the load generator failed: exit " + load.exitValue());
                }
            }
        }
    }

    private static void awaitLeaders(final Admin admin, final Topics topics) throws Exception {
        final List<String> names = topics.all().stream().map(t -> t.name()).toList();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> admin.describeTopics(names).allTopicNames().get().values().stream()
                .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())));
    }

    private static int arg(final String[] args, final int index, final int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }

    private static Map<String, Object> settings(final String bootstrap, final String prefix, final Path dir,
                                                final int streams) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonConfig.TOPICS_PREFIX_CONFIG, prefix);
        settings.put(ApiConfig.APPLICATION_ID_CONFIG, prefix + "api");
        settings.put(ApiConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        settings.put(ApiConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.HTTP_PORT_CONFIG, 0);
        settings.put(ApiConfig.AUTH_KEYS_CONFIG, "bench:" + Hmac.sha256Hex(KEY) + ":*:1000000");
        settings.put(ApiConfig.RATE_LIMIT_BURST_CONFIG, 1_000_000);
        settings.put(ApiConfig.SECRET_CONFIG, SECRET);
        settings.put(ApiConfig.STANDBY_REPLICAS_CONFIG, 0);
        settings.put(ApiConfig.STREAM_MAX_CONFIG, Math.max(streams, 1));
        settings.put(ApiConfig.STREAM_MAX_PER_KEY_CONFIG, Math.max(streams, 1));
        // variants without a rebuild: -Dapi.<setting>=... (STREAM_BENCH_OPTS of stream-bench.sh)
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("api."))
            .forEach(n -> settings.put(n, System.getProperty(n)));
        return settings;
    }

    /** Insider states and network sizes of {@code insiders} insiders (what a profile read needs). */
    private static void produceGraph(final String bootstrap, final Topics topics, final int insiders) {
        final Instant joined = Instant.now().minus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < insiders; n++) {
                final String id = Fixtures.id(n);
                final byte[] key = id.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topics.insiderState().name(), key, topics.insiderState()
                    .valueSerde().serializer().serialize(topics.insiderState().name(),
                        Fixtures.insider(id, "bench", n, joined))));
                producer.send(new ProducerRecord<>(topics.networkSizes().name(), key, topics.networkSizes()
                    .valueSerde().serializer().serialize(topics.networkSizes().name(),
                        Fixtures.sizes(id, 3, 9, 27, joined))));
            }
            producer.flush();
        }
    }

    private static void awaitLoaded(final int port, final int insiders) throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        // the stores answer once restored: the last insiders written are readable
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int n = Math.max(0, insiders - 20); n < insiders; n++) {
                final HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/insiders/" + Fixtures.id(n))).header("X-API-Key", KEY).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
    }
}
