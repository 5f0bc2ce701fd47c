package io.insidernetwork.api.bench;

import io.insidernetwork.api.ApiConfig;
import io.insidernetwork.api.ApiService;
import io.insidernetwork.api.auth.Hmac;
import io.insidernetwork.schemas.config.CommonConfig;
import io.insidernetwork.schemas.graph.ChangeType;
import io.insidernetwork.schemas.graph.ConnectionChange;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InstanceShared;
import io.insidernetwork.schemas.graph.NetworkSize;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.NetworkUpdateType;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
import java.math.BigDecimal;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load benchmark of api-sink on a generated graph: per endpoint p50/p99/p99.9 latency and throughput with one and
 * with two instances, the profile endpoint at a fixed 5k req/s (open loop, latency from the intended send time),
 * the raw broker's produce/consume rate as the baseline, and degree-3 network queries beside an embedded Neo4j
 * answering the equivalent Cypher over the same graph. Results go to the log and to target/bench-results.md.
 */
public final class ApiBenchmark {

    private static final Logger log = LoggerFactory.getLogger(ApiBenchmark.class);
    private static final String KEY = "bench-key";
    private static final String SECRET = "bench-secret-bench-secret-bench-secret-0123";
    private static final Instant T0 = Instant.now().minus(Duration.ofDays(5))
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final int EDGES_PER_INSIDER = 3;

    private final int insiders;
    private final int seconds;
    private final int[][] targets;
    private final double[][] weights;
    private final StringBuilder report = new StringBuilder();
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();

    private ApiBenchmark(final int insiders, final int seconds) {
        this.insiders = insiders;
        this.seconds = seconds;
        final Random random = new Random(42);
        targets = new int[insiders][EDGES_PER_INSIDER];
        weights = new double[insiders][EDGES_PER_INSIDER];
        for (int i = 0; i < insiders; i++) {
            for (int e = 0; e < EDGES_PER_INSIDER; e++) {
                int t;
                do {
                    t = random.nextInt(insiders);
                } while (t == i);
                targets[i][e] = t;
                weights[i][e] = 0.05 + random.nextDouble() * 0.9;
            }
        }
    }

    static String id(final int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    public static void main(final String[] args) throws Exception {
        final int insiders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        new ApiBenchmark(insiders, seconds).run(Path.of(args.length > 2 ? args[2] : "target/bench"));
    }

    private void run(final Path dir) throws Exception {
        Files.createDirectories(dir);
        line("# api-sink benchmark: %d insiders, %d edges, %d s per measurement", insiders,
            insiders * EDGES_PER_INSIDER, seconds);
        line("machine: %d cores, max heap %d MiB, Java %s", Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka-" + System.nanoTime()))
            .start()) {
            final String prefix = "bench" + System.nanoTime() + ".";
            final Topics topics = Topics.create(prefix, 3, Duration.ofDays(30));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
                TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
                awaitLeaders(admin, topics);
            }
            final long records = produce(broker.bootstrapServers(), topics);
            consumeBaseline(broker.bootstrapServers(), topics, records);
            try (ApiService one = start(broker.bootstrapServers(), prefix, dir, 0)) {
                final long loadStart = System.nanoTime();
                awaitLoaded(List.of(one.port()));
                line("api-sink materialized the graph in %.1f s", (System.nanoTime() - loadStart) / 1e9);
                measureAll("one instance", List.of(one.port()));
                final Histogram apiDegree3 = closedLoop(List.of(one.port()), 1, this::degree3Path);
                final double apiDegree3Rate = lastRate;
                try (ApiService two = start(broker.bootstrapServers(), prefix, dir, 1)) {
                    awaitLoaded(List.of(one.port(), two.port()));
                    measureAll("two instances", List.of(one.port(), two.port()));
                }
                neo4jComparison(dir, apiDegree3, apiDegree3Rate);
            }
        }
        Files.writeString(Path.of("target/bench-results.md"), report.toString());
        http.executor().ifPresent(e -> ((ExecutorService) e).shutdownNow());
    }

    private static void awaitLeaders(final Admin admin, final Topics topics) throws Exception {
        final List<String> names = List.of(topics.insiderState().name(), topics.connectionState().name(),
            topics.purchases().name(), topics.networkUpdates().name(), topics.networkSizes().name());
        for (int attempt = 0; attempt < 100; attempt++) {
            final boolean ready = admin.describeTopics(names).allTopicNames().get().values().stream()
                .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (ready) {
                return;
            }
            // benchmark set-up polling (no Awaitility outside tests): leaders are usually there within a second
            Thread.sleep(100);
        }
    }

    private void line(final String format, final Object... args) {
        final String text = String.format(Locale.ROOT, format, args);
        log.info(text);
        report.append(text).append('\n');
    }

    private long produce(final String bootstrap, final Topics topics) throws Exception {
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
            // fresh topics elect leaders while the first batches fly; without idempotence retries just resend
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        long count = 0;
        long bytes = 0;
        final long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < insiders; i++) {
                final String id = id(i);
                final Instant joined = T0.plusSeconds(i);
                bytes += send(producer, topics.insiderState(), id, null, insider(i, joined));
                for (int e = 0; e < EDGES_PER_INSIDER; e++) {
                    bytes += send(producer, topics.connectionState(), id, id(targets[i][e]),
                        edge(i, e, joined));
                    count++;
                }
                if (i % 5 == 0) {
                    bytes += send(producer, topics.purchases(), id, "evt-" + i, purchase(i, joined));
                    count++;
                }
                bytes += send(producer, topics.networkUpdates(), id, null, update(i, joined));
                bytes += send(producer, topics.networkSizes(), id, null, new NetworkSizes(id, 3L, 9L, 27L, joined));
                count += 3;
            }
            producer.flush();
        }
        final double secs = (System.nanoTime() - start) / 1e9;
        line("baseline: produced %d graph records (%.1f MiB Avro) with acks=all in %.1f s = %.0f rec/s", count,
            bytes / 1048576.0, secs, count / secs);
        return count;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private long send(final KafkaProducer<byte[], byte[]> producer, final TopicSpec<String, ?> topic,
                      final String insider, final String suffix, final Object value) {
        final byte[] v = ((TopicSpec) topic).valueSerde().serializer().serialize(topic.name(), value);
        final String key = suffix == null ? insider : insider + "|" + suffix;
        final Integer partition = suffix == null ? null
            : Utils.toPositive(Utils.murmur2(insider.getBytes(StandardCharsets.UTF_8))) % topic.partitions();
        producer.send(new ProducerRecord<>(topic.name(), partition, null, key.getBytes(StandardCharsets.UTF_8), v));
        return v.length;
    }

    private void consumeBaseline(final String bootstrap, final Topics topics, final long records) {
        final long start = System.nanoTime();
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-baseline",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.insiderState().name(), topics.connectionState().name(),
                topics.purchases().name(), topics.networkUpdates().name(), topics.networkSizes().name()));
            while (seen < records && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(2)) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        final double secs = (System.nanoTime() - start) / 1e9;
        line("baseline: consumed %d records back in %.1f s = %.0f rec/s (incl. group join)", seen, secs,
            seen / secs);
    }

    private ApiService start(final String bootstrap, final String prefix, final Path dir, final int index) {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonConfig.TOPICS_PREFIX_CONFIG, prefix);
        settings.put(ApiConfig.APPLICATION_ID_CONFIG, prefix + "api");
        settings.put(ApiConfig.STATE_DIR_CONFIG, dir.resolve("state-" + prefix + index).toString());
        settings.put(ApiConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(ApiConfig.HTTP_PORT_CONFIG, 0);
        settings.put(ApiConfig.AUTH_KEYS_CONFIG, "bench:" + Hmac.sha256Hex(KEY) + ":*:1000000");
        settings.put(ApiConfig.RATE_LIMIT_BURST_CONFIG, 1_000_000);
        settings.put(ApiConfig.SECRET_CONFIG, SECRET);
        settings.put(ApiConfig.STANDBY_REPLICAS_CONFIG, 0);
        return ApiService.start(new ApiConfig(settings));
    }

    private void awaitLoaded(final List<Integer> ports) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (final int port : ports) {
                for (int i = insiders - 30; i < insiders && all; i++) {
                    all = status(port, "/api/v1/insiders/" + id(i) + "/network?degree=1") == 200;
                }
                all = all && status(port, "/api/v1/insiders/" + id(insiders - 5) + "/behavior") == 200;
            }
            if (all) {
                return;
            }
            // benchmark set-up polling: the stores answer once the generated graph is restored
            Thread.sleep(500);
        }
        throw new IllegalStateException("graph not loaded in time");
    }

    private int status(final int port, final String path) {
        try {
            return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (final IOException e) {
            return -1;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpRequest request(final int port, final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", KEY)
            .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private void measureAll(final String setup, final List<Integer> ports) throws Exception {
        line("");
        line("## %s", setup);
        line("| endpoint | load | requests | errors | throughput (req/s) | p50 ms | p99 ms | p99.9 ms |");
        line("|---|---|---|---|---|---|---|---|");
        final Random random = new Random(7);
        openLoop(setup, ports, 5_000, i -> "/api/v1/insiders/" + id(random.nextInt(insiders)));
        row("GET /api/v1/insiders/{id}", "closed, 32 clients", closedLoop(ports, 32,
            i -> "/api/v1/insiders/" + id(random.nextInt(insiders))));
        for (int degree = 1; degree <= 3; degree++) {
            final int d = degree;
            row("GET /insiders/{id}/network?degree=" + d, "closed, 8 clients", closedLoop(ports, 8,
                i -> "/api/v1/insiders/" + id(random.nextInt(insiders)) + "/network?degree=" + d));
        }
        row("GET /insiders/{id}/behavior", "closed, 8 clients", closedLoop(ports, 8,
            i -> "/api/v1/insiders/" + id(random.nextInt(insiders / 5) * 5) + "/behavior"));
        row("GET /networks/dump (limit 100)", "closed, 8 clients", closedLoop(ports, 8,
            i -> {
                final int k = random.nextInt(insiders);
                return "/api/v1/networks/dump?limit=100&sortOrder=asc&lastId=" + 1024L * k + "&lastValue="
                    + T0.plusSeconds(k);
            }));
        row("GET /networks/updates/since (limit 50)", "closed, 8 clients", closedLoop(ports, 8,
            i -> "/api/v1/networks/updates/since/" + T0.plusSeconds(random.nextInt(insiders)) + "?limit=50"));
    }

    private Histogram lastHistogram;
    private long lastErrors;
    private double lastRate;

    private void row(final String endpoint, final String load, final Histogram h) {
        line("| %s | %s | %d | %d | %.0f | %.2f | %.2f | %.2f |", endpoint, load, h.getTotalCount(), lastErrors,
            lastRate, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3);
    }

    /**
     * Fixed-rate load (as wrk2 does): {@code OPEN_LOOP_WORKERS} threads each own every n-th slot of the schedule and
     * send blocking requests; latency counts from the slot's intended time, so a stall is not hidden.
     */
    private void openLoop(final String setup, final List<Integer> ports, final int rate,
                          final IntFunction<String> path) throws Exception {
        warmUp(ports, path);
        final int workers = 64;
        final Recorder recorder = new Recorder(3);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        final long slots = (long) rate * seconds;
        final ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            final int worker = w;
            pool.submit(() -> {
                for (long slot = worker; slot < slots; slot += workers) {
                    final long intended = start + slot * interval;
                    final long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    final String p;
                    synchronized (path) {
                        p = path.apply((int) slot);
                    }
                    try {
                        final HttpResponse<Void> r = http.send(request(ports.get((int) (slot % ports.size())), p),
                            HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (final IOException e) {
                        errors.incrementAndGet();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - intended) / 1_000));
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 300L, TimeUnit.SECONDS);
        final double secs = (System.nanoTime() - start) / 1e9;
        lastErrors = errors.get();
        lastRate = done.get() / secs;
        row("GET /api/v1/insiders/{id}", "open, " + rate + " req/s target, " + workers + " connections",
            recorder.getIntervalHistogram());
    }

    private void warmUp(final List<Integer> ports, final IntFunction<String> path) throws Exception {
        final int saved = seconds;
        closedLoop(ports, 8, path, Math.min(saved, 5));
    }

    private Histogram closedLoop(final List<Integer> ports, final int clients, final IntFunction<String> path)
        throws Exception {
        return closedLoop(ports, clients, path, seconds);
    }

    private Histogram closedLoop(final List<Integer> ports, final int clients, final IntFunction<String> path,
                                 final int secondsToRun) throws Exception {
        final Recorder recorder = new Recorder(3);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong done = new AtomicLong();
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secondsToRun);
        final ExecutorService pool = Executors.newFixedThreadPool(clients);
        final long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            final int client = c;
            pool.submit(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    final long t = System.nanoTime();
                    final String p;
                    synchronized (path) {
                        p = path.apply(i);
                    }
                    final int port = ports.get((client + i++) % ports.size());
                    try {
                        final HttpResponse<Void> r = http.send(request(port, p), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (final IOException e) {
                        errors.incrementAndGet();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - t) / 1_000));
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(secondsToRun + 120L, TimeUnit.SECONDS);
        lastErrors = errors.get();
        lastRate = done.get() / ((System.nanoTime() - start) / 1e9);
        lastHistogram = recorder.getIntervalHistogram();
        return lastHistogram;
    }

    private final Random rootRandom = new Random(11);

    private String degree3Path(final int i) {
        return "/api/v1/insiders/" + id(rootRandom.nextInt(insiders)) + "/network?degree=3";
    }

    private void neo4jComparison(final Path dir, final Histogram api, final double apiRate) throws Exception {
        final DatabaseManagementService neo = new DatabaseManagementServiceBuilder(dir.resolve("neo4j-"
            + System.nanoTime())).build();
        try {
            final GraphDatabaseService db = neo.database("neo4j");
            final long start = System.nanoTime();
            db.executeTransactionally("CREATE INDEX insider_id IF NOT EXISTS FOR (n:Insider) ON (n.id)");
            final int batch = 10_000;
            for (int from = 0; from < insiders; from += batch) {
                final List<Map<String, Object>> rows = new ArrayList<>();
                for (int i = from; i < Math.min(insiders, from + batch); i++) {
                    rows.add(Map.of("id", id(i)));
                }
                db.executeTransactionally("UNWIND $rows AS row CREATE (:Insider {id: row.id})", Map.of("rows", rows));
            }
            db.executeTransactionally("CALL db.awaitIndexes(300)");
            for (int from = 0; from < insiders; from += batch) {
                final List<Map<String, Object>> rows = new ArrayList<>();
                for (int i = from; i < Math.min(insiders, from + batch); i++) {
                    for (int e = 0; e < EDGES_PER_INSIDER; e++) {
                        rows.add(Map.of("s", id(i), "t", id(targets[i][e]), "w", weights[i][e]));
                    }
                }
                db.executeTransactionally("UNWIND $rows AS row MATCH (s:Insider {id: row.s}) "
                    + "MATCH (t:Insider {id: row.t}) CREATE (s)-[:CONNECTS {weight: row.w}]->(t)", Map.of("rows", rows));
            }
            line("");
            line("## degree=3 beside embedded Neo4j (same graph, same run)");
            line("Neo4j loaded %d nodes and %d relationships in %.1f s", insiders, insiders * EDGES_PER_INSIDER,
                (System.nanoTime() - start) / 1e9);
            final String cypher = "MATCH (r:Insider {id: $id})-[e1:CONNECTS]->(a)-[e2:CONNECTS]->(b)-[e3:CONNECTS]->(c) "
                + "WHERE c <> r AND NOT (r)-[:CONNECTS]->(c) AND NOT (r)-[:CONNECTS]->(:Insider)-[:CONNECTS]->(c) "
                + "WITH c, b, e1.weight * e2.weight * e3.weight AS w ORDER BY w DESC, b.id "
                + "RETURN c.id AS id, collect(b.id)[0] AS through, max(w) AS weight ORDER BY weight DESC, id";
            final Random random = new Random(11);
            for (int i = 0; i < 200; i++) {
                db.executeTransactionally(cypher, Map.of("id", id(random.nextInt(insiders))), r -> r.stream().count());
            }
            final Recorder recorder = new Recorder(3);
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            final long t0 = System.nanoTime();
            long done = 0;
            while (System.nanoTime() < end) {
                final long t = System.nanoTime();
                db.executeTransactionally(cypher, Map.of("id", id(random.nextInt(insiders))),
                    r -> r.stream().count());
                recorder.recordValue(Math.max(1, (System.nanoTime() - t) / 1_000));
                done++;
            }
            final Histogram neoH = recorder.getIntervalHistogram();
            final double neoRate = done / ((System.nanoTime() - t0) / 1e9);
            line("| engine | load | requests | throughput (q/s) | p50 ms | p99 ms | p99.9 ms |");
            line("|---|---|---|---|---|---|---|");
            line("| api-sink HTTP degree=3 (incl. HTTP, JSON, activities) | closed, 1 client | %d | %.0f | %.2f | %.2f | %.2f |",
                api.getTotalCount(), apiRate, api.getValueAtPercentile(50) / 1e3, api.getValueAtPercentile(99) / 1e3,
                api.getValueAtPercentile(99.9) / 1e3);
            line("| Neo4j embedded Cypher, in-process (no HTTP) | closed, 1 client | %d | %.0f | %.2f | %.2f | %.2f |",
                neoH.getTotalCount(), neoRate, neoH.getValueAtPercentile(50) / 1e3,
                neoH.getValueAtPercentile(99) / 1e3, neoH.getValueAtPercentile(99.9) / 1e3);
            line("speed-up at p50: %.1fx, throughput: %.1fx", neoH.getValueAtPercentile(50)
                / (double) api.getValueAtPercentile(50), apiRate / neoRate);
        } finally {
            neo.shutdown();
        }
    }

    // ---- graph records, shaped as graph-stream writes them ----

    private static BigDecimal money(final long v) {
        return BigDecimal.valueOf(v).setScale(4);
    }

    private InsiderState insider(final int i, final Instant joined) {
        final List<String> shared = new ArrayList<>();
        for (final int t : targets[i]) {
            shared.add(id(t));
        }
        return InsiderState.newBuilder().setInsiderId(id(i)).setNetworkId("bench").setSeq(1024L * i)
            .setJoinedDate(joined).setTimeUpdated(joined).setSignupStatus(SignupStatus.SIGNED_UP)
            .setInstancesPurchased(List.of())
            .setInstancesShared(List.of(new InstanceShared("sku-" + (i % 100), 3L, List.of("instagram"), shared,
                List.of(), joined, (long) shared.size(), 0L)))
            .setConversionRate(0.1).setTotalShares(3L).setUserValue(money(10)).setTotalPurchaseAmount(money(10))
            // network_size as graph-stream creates it and leaves it: the sizes are the NetworkSizes records
            .setTotalGeneratedAmount(money(0)).setNetworkSize(new NetworkSize(0L, 0L, 0L, joined)).build();
    }

    private ConnectionState edge(final int i, final int e, final Instant time) {
        return ConnectionState.newBuilder().setSourceId(id(i)).setTargetId(id(targets[i][e])).setNetworkId("bench")
            // the copies of the target's figures as graph-stream creates and leaves them (the target's are its own)
            .setWeight(weights[i][e]).setScore(1.0).setScoreTime(time).setSignupStatus(SignupStatus.INVITED)
            .setPlatformStrengths(Map.of("instagram", 0.5)).setPartnerConversionRate(0.0)
            .setTotalGenerated(money(0)).setLastSharedInstanceId("sku-1").setLastSharedAt(time)
            .setFirstConnected(time).setTimeUpdated(time).build();
    }

    private static PurchaseRecord purchase(final int i, final Instant time) {
        return PurchaseRecord.newBuilder().setInsiderId(id(i)).setSeq(1).setEventId("evt-" + i)
            .setOrderId("order-" + i).setTimestamp(time).setPartnerNetworkId("other").setStoreName("store")
            .setInstanceId("sku-1").setAmount(money(42)).setCurrency("USD").setOrderSummary("1 item")
            .setCampaignSummary("none").setBehaviorSummary("first purchase").setSpendingRange("$0-$50").build();
    }

    private NetworkUpdate update(final int i, final Instant time) {
        return NetworkUpdate.newBuilder().setInsiderId(id(i)).setNetworkId("bench")
            .setUpdateType(NetworkUpdateType.INSIDER_ADDED).setJoinedDate(time).setUpdatedAt(time)
            .setConnections(List.of(new ConnectionChange(id(targets[i][0]), weights[i][0], ChangeType.ADDED)))
            .build();
    }
}
