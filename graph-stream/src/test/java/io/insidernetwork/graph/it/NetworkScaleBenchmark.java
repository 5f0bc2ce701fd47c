package io.insidernetwork.graph.it;

import io.insidernetwork.graph.GraphStreamConfig;
import io.insidernetwork.graph.GraphStreamService;
import io.insidernetwork.graph.logic.ConnectionStates;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.SignupStatus;
import io.insidernetwork.schemas.kafka.EmbeddedKafkaBroker;
import io.insidernetwork.schemas.topic.TopicAdmin;
import io.insidernetwork.schemas.topic.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network-size part at scale: {@code connections} insider-to-insider connections over {@code insiders} insiders
 * (every insider shares with {@code connections / insiders} distinct others, recipients by a power law, so a few
 * hubs are in almost everyone's second degree) are written to the connections topic the network processor writes
 * in production, and the whole graph-stream application runs over them on the in-process broker. Measured: time
 * until the network-size service's checkpoint covers every connection and until every network size is published,
 * heap and disk; then the
 * published sizes of a sample of insiders (the biggest hubs included) are checked against a plain BFS.
 *
 * <p>Partner events are not generated: at the event path's measured rate (docs/benchmarks.md) ten million
 * connections would take hours on this machine, while the exact-degree part is the one whose cost grows with the
 * graph. {@code graph-stream/scale-bench.sh [insiders=1000000] [connections=10000000]}.
 */
public final class NetworkScaleBenchmark {

    private static final Logger log = LoggerFactory.getLogger(NetworkScaleBenchmark.class);
    private static final int SAMPLE = 300;

    private NetworkScaleBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int insiders = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final long connections = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        final int perInsider = (int) Math.max(1, connections / insiders);
        final Path dir = Files.createTempDirectory("graph-scale");
        try {
            long started = System.nanoTime();
            final String[] names = new String[insiders];
            for (int i = 0; i < insiders; i++) {
                names[i] = EventGenerator.insider(i);
            }
            final int[][] out = graph(insiders, perInsider, new Random(11));
            log.info("RESULT generated {} insiders x {} connections = {} connections in {} s", insiders, perInsider,
                (long) insiders * perInsider, BenchSupport.seconds(started));

            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("broker")).start()) {
                final Topics topics = Topics.create("scale.", 3, Duration.ofDays(30));
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                    TopicAdmin.ensureTopics(admin, topics.all(), (short) 1, Duration.ofSeconds(30));
                }
                started = System.nanoTime();
                produce(broker, topics, names, out);
                final double produceSeconds = BenchSupport.seconds(started);
                log.info("RESULT produced {} connection changes in {} s = {} /s", (long) insiders * perInsider,
                    BenchSupport.round(produceSeconds), Math.round(insiders * (double) perInsider / produceSeconds));
                final long heapBefore = usedHeapAfterGc();

                final Path state = dir.resolve("graph-state");
                final Map<String, Object> settings = new HashMap<>();
                settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
                settings.put("topics.prefix", "scale.");
                settings.put(GraphStreamConfig.APPLICATION_ID_CONFIG, "scale-graph");
                settings.put(GraphStreamConfig.STATE_DIR_CONFIG, state.toString());
                settings.put(GraphStreamConfig.HTTP_PORT_CONFIG, 0);
                System.getProperties().stringPropertyNames().stream()
                    .filter(k -> k.startsWith("graph.") || k.startsWith("kafka."))
                    .forEach(k -> settings.put(k, System.getProperty(k)));
                started = System.nanoTime();
                try (GraphStreamService graph = GraphStreamService.start(new GraphStreamConfig(settings))) {
                    awaitApplied(broker, topics);
                    final double applySeconds = BenchSupport.seconds(started);
                    log.info("RESULT every network size computed (checkpoint at the end of the connections) after {} s ({} /s)", BenchSupport.round(applySeconds),
                        Math.round(insiders * (double) perInsider / applySeconds));
                    // the last pending network size was written once nothing was for 15 s
                    BenchSupport.lastGrowth(broker, topics.networkSizes().name(), Duration.ofSeconds(15),
                        Duration.ofSeconds(1));
                    final double sizesSeconds = BenchSupport.seconds(started);
                    final long heapAfter = usedHeapAfterGc();
                    log.info("RESULT every network size published after {} s; heap used after GC {} MB (before "
                            + "graph-stream {} MB, so about {} MB for graph-stream)", BenchSupport.round(sizesSeconds),
                        heapAfter >> 20, heapBefore >> 20, (heapAfter - heapBefore) >> 20);
                    log.info("RESULT disk: graph-stream state {} MB, broker logs {} MB", bytes(state) >> 20,
                        bytes(dir.resolve("broker")) >> 20);
                    check(broker, topics, names, out);
                }
            }
        } finally {
            // a run leaves gigabytes of broker logs and state behind
            Utils.delete(dir.toFile());
        }
    }

    /** Every insider gets {@code perInsider} distinct recipients (not itself), picked by a power law. */
    private static int[][] graph(final int insiders, final int perInsider, final Random random) {
        final double[] cumulative = new double[insiders];
        double sum = 0;
        for (int i = 0; i < insiders; i++) {
            sum += 1.0 / Math.pow(i + 1, 1.1);
            cumulative[i] = sum;
        }
        final int[][] out = new int[insiders][];
        for (int s = 0; s < insiders; s++) {
            final int[] targets = new int[perInsider];
            int n = 0;
            while (n < perInsider) {
                int t = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                t = t < 0 ? Math.min(insiders - 1, -t - 1) : t;
                if (t != s && !contains(targets, n, t)) {
                    targets[n++] = t;
                }
            }
            out[s] = targets;
        }
        return out;
    }

    private static boolean contains(final int[] values, final int size, final int value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static void produce(final EmbeddedKafkaBroker broker, final Topics topics, final String[] names,
                                final int[][] out) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // not idempotent: under this bulk load the in-process broker rejected an idempotent producer's batches as
        // out of sequence (incoming 0) and the producer retried forever; one request in flight keeps the order
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        final Instant time = Instant.now();
        final AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, ConnectionState> producer = new KafkaProducer<>(props, new StringSerializer(),
            topics.connectionState().valueSerde().serializer())) {
            for (int s = 0; s < out.length; s++) {
                for (final int t : out[s]) {
                    producer.send(new ProducerRecord<>(topics.connectionState().name(), null, time.toEpochMilli(),
                        names[s] + "|" + names[t], ConnectionStates.create(names[s], names[t], "scale",
                            SignupStatus.INVITED, time)), (metadata, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                        });
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " connection changes could not be written");
        }
    }

    /** Waits until the network-size service's checkpoint is at the end of the connections topic. */
    private static void awaitApplied(final EmbeddedKafkaBroker broker, final Topics topics) throws Exception {
        BenchSupport.awaitDrained(broker, "scale-graph-network-sizes", List.of(topics.connectionState().name()));
    }

    /** The last published size of a sample of insiders (hubs first) against a plain BFS over the generated graph. */
    private static void check(final EmbeddedKafkaBroker broker, final Topics topics, final String[] names,
                              final int[][] out) {
        final Map<String, Integer> sample = new HashMap<>();
        final Random random = new Random(5);
        for (int i = 0; i < 10; i++) {
            sample.put(names[i], i);
        }
        while (sample.size() < Math.min(SAMPLE, names.length)) {
            final int n = random.nextInt(names.length);
            sample.put(names[n], n);
        }
        final Map<String, NetworkSizes> published = new HashMap<>();
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        final long started = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<String, NetworkSizes> sizes = new KafkaConsumer<>(props, new StringDeserializer(),
            topics.networkSizes().valueSerde().deserializer())) {
            final List<TopicPartition> partitions = sizes.partitionsFor(topics.networkSizes().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            sizes.assign(partitions);
            sizes.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = sizes.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> sizes.position(p) < end.get(p))) {
                for (final var r : sizes.poll(Duration.ofMillis(500))) {
                    read++;
                    if (sample.containsKey(r.key())) {
                        published.put(r.key(), r.value());
                    }
                }
            }
        }
        final int[] stamp = new int[names.length];
        int epoch = 0;
        int exact = 0;
        for (final var entry : sample.entrySet()) {
            final long[] expected = bfs(out, entry.getValue(), stamp, ++epoch);
            final NetworkSizes got = published.get(entry.getKey());
            final long[] actual = got == null ? new long[] {0, 0, 0}
                : new long[] {got.getFirstDegree(), got.getSecondDegree(), got.getThirdDegree()};
            if (Arrays.equals(expected, actual)) {
                exact++;
            } else {
                log.warn("RESULT MISMATCH {}: published {}, BFS {}", entry.getKey(), Arrays.toString(actual),
                    Arrays.toString(expected));
            }
        }
        final long[] hub = bfs(out, 0, stamp, ++epoch);
        log.info("RESULT exact network sizes: {} of {} sampled insiders equal a plain BFS (insider 0: {}, "
                + "insider 1: {}); {} size records read in {} s", exact, sample.size(), Arrays.toString(hub),
            Arrays.toString(bfs(out, 1, stamp, ++epoch)), read, BenchSupport.seconds(started));
    }

    /** Counts of nodes at shortest distance exactly 1, 2 and 3 from {@code start}. */
    private static long[] bfs(final int[][] out, final int start, final int[] stamp, final int epoch) {
        final long[] counts = new long[3];
        int[] frontier = {start};
        stamp[start] = epoch;
        for (int depth = 0; depth < 3; depth++) {
            int[] next = new int[16];
            int size = 0;
            for (final int node : frontier) {
                for (final int target : out[node]) {
                    if (stamp[target] != epoch) {
                        stamp[target] = epoch;
                        if (size == next.length) {
                            next = Arrays.copyOf(next, size * 2);
                        }
                        next[size++] = target;
                    }
                }
            }
            counts[depth] = size;
            frontier = Arrays.copyOf(next, size);
        }
        return counts;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long bytes(final Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
